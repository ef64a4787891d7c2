// Records real answers of llama-cpp-python's OpenAI-compatible server, byte for byte, as fixtures
// for crab-llm's tests: crates/crab-llm/tests/fixtures/llama-cpp-python/NAME.http (every byte
// received on the socket: status line, headers, chunked framing) and NAME.body (the body as a
// client's fetch sees it, without the framing).
//
//   bash scripts/llm/setup_llama_server.sh && node scripts/llm/capture_llama.mjs [OUT_DIR]
//
// It starts the server with tests/llm/llama.mjs (the tiny random model, context 256), sends one
// request per capture over a plain socket (tests/llm/raw-http.mjs), and prints what each shows.
// Greedy decoding (temperature 0) with a fixed seed, so the texts repeat; the Date header and the
// ids do not.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLlamaServer, LLAMA_CPP_PYTHON_VERSION } from '../../tests/llm/llama.mjs';
import { rawRequest } from '../../tests/llm/raw-http.mjs';

const OUT = process.argv[2] ?? 'crates/crab-llm/tests/fixtures/llama-cpp-python';
const ORIGIN = 'http://127.0.0.1:8421';
const USER = [{ role: 'user', content: 'Write one short sentence about crabs.' }];
const LONG = [{ role: 'user', content: 'crab '.repeat(300).trim() }];

const llama = await startLlamaServer();
const keyed = await startLlamaServer({ apiKey: 'sk-crab-test' });
const json = { 'Content-Type': 'application/json', Accept: 'text/event-stream' };
const chat = (body, extra = {}) => ({
  path: '/chat/completions', method: 'POST', headers: { ...json, ...extra },
  body: JSON.stringify({ model: llama.model, messages: USER, max_tokens: 8, temperature: 0, seed: 1, ...body }),
});

const captures = [
  ['models', 'GET /v1/models', { path: '/models' }],
  ['cors_origin', 'GET /v1/models with an Origin: the origin echoed, with credentials', { path: '/models', headers: { Origin: ORIGIN } }],
  ['preflight', 'OPTIONS preflight of a chat request with an Origin', {
    path: '/chat/completions', method: 'OPTIONS',
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
  }],
  ['stream', 'streamed chat completion, no stream_options', chat({ stream: true }, { Origin: ORIGIN })],
  ['stream_usage', 'streamed chat completion with stream_options.include_usage (ignored: no usage chunk)', chat({ stream: true, stream_options: { include_usage: true } }, { Origin: ORIGIN })],
  ['completion', 'non-streamed chat completion', chat({}, { Origin: ORIGIN })],
  ['unknown_model', 'a model name the server does not have (accepted, answered)', chat({ model: 'no-such-model' })],
  ['stream_over_context', 'streamed request over the 256-token context: 200 and an empty body', chat({ stream: true, messages: LONG })],
  ['over_context', 'the same request without stream: 400 context_length_exceeded', chat({ messages: LONG })],
  ['malformed_json', 'a body that is not JSON, with an Origin: plain-text 500, no CORS headers', {
    path: '/chat/completions', method: 'POST', headers: { ...json, Origin: ORIGIN }, body: '{"model": "crab-tiny", "messages": [',
  }],
  ['unauthorized', 'a chat request without the key to a server started with --api_key', { ...chat({}), server: keyed }],
];

await mkdir(OUT, { recursive: true });
try {
  for (const [name, what, req] of captures) {
    const server = req.server ?? llama;
    const res = await rawRequest(`${server.url}${req.path}`, req);
    await writeFile(join(OUT, `${name}.http`), res.raw);
    await writeFile(join(OUT, `${name}.body`), res.body);
    const cors = res.headers.filter(([k]) => k.startsWith('access-control-')).map(([k, v]) => `${k}: ${v}`);
    console.log(`\n== ${name}: ${what}\n${res.statusLine}  ${res.header('content-type') ?? '(no content-type)'}`
      + `\n${cors.length ? cors.join('\n') : '(no CORS headers)'}\nbody ${res.body.length} bytes: ${JSON.stringify(res.body.toString('utf8').slice(0, 300))}`);
  }
  console.log(`\nllama-cpp-python ${LLAMA_CPP_PYTHON_VERSION}, captured ${new Date().toISOString()} into ${OUT}`);
} finally {
  await llama.close();
  await keyed.close();
}
