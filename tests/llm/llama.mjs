// Starts the one real OpenAI-compatible server the tests run against, not written by us:
// llama-cpp-python's `python -m llama_cpp.server`, built once into a cache outside the checkout
// by scripts/llm/setup_llama_server.sh (which `make setup` runs), serving a tiny two-layer llama
// model with random weights that scripts/llm/make_tiny_gguf.py writes on first use (no model can
// be downloaded here). Its text is gibberish; its HTTP is the real thing, quirks included.
//
//   import { startLlamaServer } from '../llm/llama.mjs';
//   const llama = await startLlamaServer();   // { url, port, model, modelPath, close(), log() }
//   ... fetch(`${llama.url}/chat/completions`, …) with model: llama.model ...
//   await llama.close();
//
//   node tests/llm/llama.mjs [--port 8432] [--api-key KEY]     (manual use; Ctrl-C stops it)
//
// Options: `port` (default 0: a free one), `ctx` (context length of the model, default 256, so a
// request over it is easy to make), `seed` (of the model's weights, default 0), `apiKey` (the
// server's --api_key), `alias` (the model id it reports, default 'crab-tiny'), `args` (more
// server arguments), `timeoutMs` (to wait for /v1/models, default 60,000).
//
// The server dies with the process that started it, however that ends: it runs under a small
// Python wrapper that exits when its standard input (a pipe from this process) closes.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, mkdirSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const LLAMA_CPP_PYTHON_VERSION = '0.3.36';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MAKE_MODEL = join(ROOT, 'scripts/llm/make_tiny_gguf.py');
const VOCAB = 'ggml-vocab-llama-spm.gguf';

/** The cache directory setup_llama_server.sh builds into. */
export function llamaCacheDir() {
  const base = process.env.CRAB_CACHE || join(homedir(), '.cache/crab-playground');
  return join(base, `llama-cpp-python-${LLAMA_CPP_PYTHON_VERSION}`);
}

/** The venv's Python, or throws an Error that says how to build it. */
function venvPython(cache) {
  const python = join(cache, 'venv/bin/python');
  if (!existsSync(join(cache, '.stamp')) || !existsSync(python) || !existsSync(join(cache, VOCAB))) {
    throw new Error(`llama-cpp-python ${LLAMA_CPP_PYTHON_VERSION} is not built in ${cache}: run \`bash scripts/llm/setup_llama_server.sh\` (part of \`make setup\`)`);
  }
  return python;
}

/**
 * The tiny model for `ctx` and `seed`, written on first use into the cache (named after a hash
 * of the script that writes it, so a change to the script writes a new one).
 */
export function tinyModel({ ctx = 256, seed = 0 } = {}) {
  const cache = llamaCacheDir();
  const python = venvPython(cache);
  const hash = createHash('sha256').update(readFileSync(MAKE_MODEL)).digest('hex').slice(0, 12);
  const dir = join(cache, 'models');
  const path = join(dir, `tiny-${hash}-ctx${ctx}-seed${seed}.gguf`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    const run = spawnSync(python, [MAKE_MODEL, join(cache, VOCAB), tmp, '--ctx', String(ctx), '--seed', String(seed)], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`make_tiny_gguf.py failed (${run.status}): ${run.stderr}`);
    renameSync(tmp, path);
  }
  return path;
}

/** A port that was free a moment ago. */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// Runs llama_cpp.server as __main__, and exits at once when stdin reaches its end: the process
// that spawned it is gone (or asked it to stop by closing the pipe).
const WRAPPER = `
import os, runpy, sys, threading
def watch():
    while sys.stdin.buffer.read(1 << 16):
        pass
    os._exit(0)
threading.Thread(target=watch, daemon=True).start()
sys.argv = ["llama_cpp.server"] + sys.argv[1:]
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
`;

/** Starts the server on a free port and resolves once GET /v1/models answers 200. */
export async function startLlamaServer({
  port = 0, ctx = 256, seed = 0, apiKey = null, alias = 'crab-tiny', args = [], timeoutMs = 60_000,
} = {}) {
  const cache = llamaCacheDir();
  const python = venvPython(cache);
  const modelPath = tinyModel({ ctx, seed });
  for (let attempt = 1; ; attempt++) {
    const p = port || (await freePort());
    try {
      return await launch({ python, modelPath, port: p, ctx, apiKey, alias, args, timeoutMs });
    } catch (err) {
      // Someone took the free port in between: try another, twice more.
      if (port || attempt >= 3 || !/address already in use/i.test(err.message)) throw err;
    }
  }
}

async function launch({ python, modelPath, port, ctx, apiKey, alias, args, timeoutMs }) {
  const argv = [
    '-c', WRAPPER,
    '--model', modelPath, '--model_alias', alias, '--n_ctx', String(ctx),
    '--host', '127.0.0.1', '--port', String(port), '--n_threads', '1', '--verbose', 'False',
    ...(apiKey ? ['--api_key', apiKey] : []), ...args,
  ];
  const child = spawn(python, argv, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  let output = '';
  const keep = (d) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.stdin.on('error', () => {});
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const url = `http://127.0.0.1:${port}/v1`;
  const close = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  };

  const deadline = Date.now() + timeoutMs;
  let early = null;
  exited.then((e) => (early = e));
  for (;;) {
    if (early) {
      await close();
      throw new Error(`llama_cpp.server exited (${early.code ?? early.signal}) before answering:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/models`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {} });
      if (res.status === 200) {
        await res.arrayBuffer();
        break;
      }
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await close();
      throw new Error(`llama_cpp.server did not answer /v1/models within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return { url, port, model: alias, modelPath, process: child, close, log: () => output };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const a = process.argv.slice(2);
  const opt = (name) => (a.includes(name) ? a[a.indexOf(name) + 1] : undefined);
  const llama = await startLlamaServer({ port: Number(opt('--port') ?? 8432), apiKey: opt('--api-key') ?? null });
  console.log(`llama_cpp.server ${LLAMA_CPP_PYTHON_VERSION}: ${llama.url} (model ${llama.model}, ${llama.modelPath})`);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => llama.close().then(() => process.exit(0)));
}
