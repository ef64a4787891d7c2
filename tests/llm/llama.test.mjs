// The real server the end-to-end tests use (llama-cpp-python 0.3.36, tests/llm/llama.mjs) starts,
// answers as an OpenAI-compatible server, shows the five quirks the bring-your-own-model issue
// lists (the app must cope with each), and dies with the process that started it.
// Needs the build of scripts/llm/setup_llama_server.sh (run by `make setup` / scripts/setup.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startLlamaServer } from './llama.mjs';

let llama;
before(async () => {
  llama = await startLlamaServer();
});
after(() => llama?.close());

const ORIGIN = 'http://127.0.0.1:8421';

// Every request on a fresh connection: uvicorn closes a kept-alive connection after an error answer
// (tests 5 and 6 provoke two), and a pooled socket it has just closed fails the next fetch with
// "fetch failed" on a loaded machine. The quirks under test are in the answers, not in reuse.
function request(path, init = {}) {
  return fetch(`${llama.url}${path}`, { ...init, headers: { connection: 'close', ...init.headers } });
}

function chat(body, headers = {}) {
  return request('/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify({
      model: llama.model, messages: [{ role: 'user', content: 'Say something.' }], max_tokens: 6, temperature: 0, seed: 1, ...body,
    }),
  });
}

const dataLines = (text) => text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));

test('GET /v1/models lists the tiny model under its alias', async () => {
  const res = await request('/models');
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.object, 'list');
  assert.deepEqual(body.data.map((m) => m.id), ['crab-tiny']);
});

test('a streamed answer is OpenAI-shaped chunks ending in [DONE]; include_usage is ignored (quirk)', async () => {
  const res = await chat({ stream: true, stream_options: { include_usage: true } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/event-stream/);
  const data = dataLines(await res.text());
  assert.equal(data.at(-1), '[DONE]');
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
  assert.ok(chunks.length >= 3);
  assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.choices.length === 1));
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  assert.equal(chunks.at(-1).choices[0].finish_reason, 'length');
  assert.ok(chunks.every((c) => c.usage === undefined), 'no usage chunk although include_usage was asked for');
});

test('CORS echoes the Origin with credentials (quirk), preflight included', async () => {
  const res = await request('/models', { headers: { origin: ORIGIN } });
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
  const pre = await request('/chat/completions', {
    method: 'OPTIONS',
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });
  assert.equal(pre.status, 200);
  assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(pre.headers.get('access-control-allow-headers'), 'authorization,content-type');
});

test('an unknown model name is accepted and answered (quirk)', async () => {
  const res = await chat({ model: 'no-such-model' });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.model, 'no-such-model');
  assert.equal(body.choices[0].message.role, 'assistant');
});

test('a streamed request over the context window answers 200 with an empty body (quirk); unstreamed, 400', async () => {
  const messages = [{ role: 'user', content: 'crab '.repeat(300) }];
  const streamed = await chat({ stream: true, messages });
  assert.equal(streamed.status, 200);
  assert.match(streamed.headers.get('content-type'), /^text\/event-stream/);
  assert.equal(await streamed.text(), '');
  const plain = await chat({ messages });
  assert.equal(plain.status, 400);
  assert.equal((await plain.json()).error.code, 'context_length_exceeded');
});

test('malformed JSON gets a plain-text 500 without CORS headers (quirk)', async () => {
  const res = await chat('{"model": ', { origin: ORIGIN });
  assert.equal(res.status, 500);
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  assert.equal(await res.text(), 'Internal Server Error');
  assert.deepEqual([...res.headers.keys()].filter((k) => k.startsWith('access-control-')), []);
});

test('the server dies with the process that started it, even one killed with SIGKILL', async () => {
  const script = `
    import { startLlamaServer } from ${JSON.stringify(new URL('./llama.mjs', import.meta.url).href)};
    const l = await startLlamaServer();
    console.log(l.process.pid);
    setInterval(() => {}, 1000);
  `;
  const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = Number(await new Promise((ok) => parent.stdout.once('data', (d) => ok(d.toString().trim()))));
  // Alive: the process exists and is not a zombie waiting for whoever adopted it to reap it.
  const alive = () => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  assert.ok(alive());
  parent.kill('SIGKILL');
  const deadline = Date.now() + 10_000;
  while (alive() && Date.now() < deadline) await new Promise((ok) => setTimeout(ok, 50));
  assert.equal(alive(), false, `llama_cpp.server ${pid} outlived its parent`);
});
