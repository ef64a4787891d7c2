// The scripted LLM test server does what its contract (top of server.mjs) says: every route,
// check, ANSWER field and fault, over `fetch` for what a client sees and over a raw socket for the
// bytes on the wire. The end-to-end tests trust this server, so it is tested on its own first.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startLlmServer, checkAnswer } from './server.mjs';
import { rawRequest } from './raw-http.mjs';

let llm;
before(async () => {
  llm = await startLlmServer({ defaultDelayMs: 0 });
});
after(() => llm.close());
beforeEach(() => llm.control.reset());

const USER = [{ role: 'user', content: 'Say hello in five words.' }];

/** POSTs a chat request to `server` (default: the shared one); `body` is merged over defaults. */
function chat(body = {}, { server = llm, headers = {}, signal } = {}) {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'crab-test-small', messages: USER, ...body }),
    signal,
  });
}

/** The data of every SSE event in `text` (joined data lines), as parsed JSON or the raw string. */
function events(text) {
  const out = [];
  for (const block of text.replace(/\r\n/g, '\n').split('\n\n')) {
    const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart());
    if (data.length === 0) continue;
    const joined = data.join('\n');
    out.push(joined === '[DONE]' ? joined : JSON.parse(joined));
  }
  return out;
}

/** The content (or another delta field) of a stream's chunks, joined. */
const joinDeltas = (evs, field = 'content') =>
  evs.filter((e) => e.choices?.length).map((e) => e.choices[0].delta[field] ?? '').join('');

/** Polls `fn` every 10 ms until it returns a truthy value (at most `ms`). */
async function until(fn, ms = 3000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`condition not met in ${ms} ms: ${fn}`);
    await new Promise((ok) => setTimeout(ok, 10));
  }
}

const accessHeaders = (res) => [...res.headers.keys()].filter((k) => k.startsWith('access-control-'));

test('GET /v1/models lists the configured models in the OpenAI shape', async () => {
  const res = await fetch(`${llm.url}/models`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.object, 'list');
  assert.deepEqual(body.data.map((m) => m.id), ['crab-test-small', 'crab-test-large']);
  for (const m of body.data) {
    assert.equal(m.object, 'model');
    assert.equal(m.owned_by, 'crab-test');
    assert.ok(Number.isInteger(m.created));
  }
  const other = await startLlmServer({ models: ['only-one'] });
  try {
    const list = await (await fetch(`${other.url}/models`)).json();
    assert.deepEqual(list.data.map((m) => m.id), ['only-one']);
    assert.equal((await chat({}, { server: other })).status, 404);
  } finally {
    await other.close();
  }
});

test('a streamed answer: role first, 4-character pieces, stop, no usage unless asked, [DONE]', async () => {
  llm.control.script([{ content: 'Hello there, friend.' }]);
  const res = await chat({ stream: true });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const evs = events(await res.text());
  assert.equal(evs.at(-1), '[DONE]');
  const chunks = evs.slice(0, -1);
  for (const c of chunks) {
    assert.equal(c.object, 'chat.completion.chunk');
    assert.equal(c.model, 'crab-test-small');
    assert.equal(c.id, chunks[0].id);
    assert.ok(Number.isInteger(c.created));
    assert.equal(c.usage, undefined);
  }
  assert.deepEqual(chunks[0].choices, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  assert.deepEqual(chunks.slice(1, -1).map((c) => c.choices[0].delta.content), ['Hell', 'o th', 'ere,', ' fri', 'end.']);
  assert.deepEqual(chunks.at(-1).choices, [{ index: 0, delta: {}, finish_reason: 'stop' }]);
});

test('include_usage adds a usage chunk with choices [] before [DONE]; tokens are whitespace pieces', async () => {
  llm.control.script([{ content: 'one two  three\nfour' }]);
  const evs = events(await (await chat({ stream: true, stream_options: { include_usage: true } })).text());
  assert.equal(evs.at(-1), '[DONE]');
  const usage = evs.at(-2);
  assert.deepEqual(usage.choices, []);
  assert.equal(usage.object, 'chat.completion.chunk');
  assert.deepEqual(usage.usage, { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
  assert.equal(evs.at(-3).choices[0].finish_reason, 'stop');
  // include_usage false: no usage chunk.
  llm.control.script(['a b']);
  const plain = events(await (await chat({ stream: true, stream_options: { include_usage: false } })).text());
  assert.ok(plain.every((e) => e === '[DONE]' || e.usage === undefined));
});

test('without stream: one chat.completion with usage', async () => {
  llm.control.script([{ content: 'Fine, thanks.' }]);
  const res = await chat({ messages: [{ role: 'system', content: 'Be brief.' }, ...USER] });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const body = await res.json();
  assert.equal(body.object, 'chat.completion');
  assert.equal(body.model, 'crab-test-small');
  assert.match(body.id, /^chatcmpl-/);
  assert.deepEqual(body.choices, [{ index: 0, message: { role: 'assistant', content: 'Fine, thanks.' }, finish_reason: 'stop' }]);
  assert.deepEqual(body.usage, { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
});

test('max_tokens (or max_completion_tokens) cuts the content after N pieces with finish_reason length', async () => {
  llm.control.script(['one two three four five', 'one two three four five', 'one two three', 'one two three']);
  const streamed = events(await (await chat({ stream: true, max_tokens: 3 })).text());
  assert.equal(joinDeltas(streamed), 'one two three');
  assert.equal(streamed.at(-2).choices[0].finish_reason, 'length');
  const plain = await (await chat({ max_completion_tokens: 2 })).json();
  assert.equal(plain.choices[0].message.content, 'one two');
  assert.equal(plain.choices[0].finish_reason, 'length');
  assert.equal(plain.usage.completion_tokens, 2);
  // Exactly as many pieces as allowed, or more allowed: not cut.
  const exact = await (await chat({ max_tokens: 3 })).json();
  assert.deepEqual([exact.choices[0].message.content, exact.choices[0].finish_reason], ['one two three', 'stop']);
  const room = await (await chat({ max_tokens: 100 })).json();
  assert.equal(room.choices[0].finish_reason, 'stop');
});

test('the queue: answers in order, then an echo of the last user message', async () => {
  llm.control.script(['first', { content: 'second' }]);
  assert.equal(llm.control.remaining(), 2);
  const got = [];
  for (let i = 0; i < 3; i++) {
    got.push((await (await chat({ messages: [{ role: 'user', content: 'older' }, { role: 'assistant', content: 'x' }, { role: 'user', content: `echo me ${i}` }] })).json()).choices[0].message.content);
  }
  assert.deepEqual(got, ['first', 'second', 'echo me 2']);
  // Content given as parts is echoed as its text.
  const parts = await (await chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'from parts' }] }] })).json();
  assert.equal(parts.choices[0].message.content, 'from parts');
});

test('the control API over HTTP: script, append, log, reset, and malformed answers refused', async () => {
  const base = llm.url.replace(/\/v1$/, '');
  const post = (path, body) => fetch(`${base}/__control/${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal((await post('script', { answers: ['A'] })).status, 200);
  assert.deepEqual(await (await post('append', { answers: [{ content: 'B' }] })).json(), { ok: true, queued: 2 });
  const contents = [];
  for (let i = 0; i < 2; i++) contents.push((await (await chat()).json()).choices[0].message.content);
  assert.deepEqual(contents, ['A', 'B']);
  const log = await (await fetch(`${base}/__control/log`)).json();
  assert.equal(log.length, 2);
  assert.ok(log.every((e) => e.path === '/v1/chat/completions'), 'control requests are not logged');
  const refused = await post('script', { answers: [{ content: 'x', fualt: '401' }] });
  assert.equal(refused.status, 400);
  assert.match((await refused.json()).error, /unknown field fualt/);
  assert.equal((await post('script', { answers: [{ fault: 'teapot' }] })).status, 400);
  assert.equal((await post('script', { answers: [{ chunkChars: 0 }] })).status, 400);
  assert.equal((await post('script', {})).status, 400);
  assert.throws(() => llm.control.script([{ delayMs: -1 }]), /delayMs/);
  assert.throws(() => checkAnswer(42), /a string or an object/);
  assert.equal((await post('reset', {})).status, 200);
  assert.deepEqual(await (await fetch(`${base}/__control/log`)).json(), []);
  assert.equal(llm.control.remaining(), 0);
});

test('the log records method, path, headers, parsed body, status, fault and ordered timestamps', async () => {
  llm.control.script([{ content: 'x' }, { fault: '500-openai' }]);
  await (await chat({ stream: true }, { headers: { 'x-probe': 'yes' } })).text();
  await (await chat()).text();
  await fetch(`${llm.url}/chat/completions`, { method: 'OPTIONS', headers: { origin: 'http://a.test', 'access-control-request-method': 'POST' } });
  await fetch(`${llm.url}/chat/completions`, { method: 'POST', body: '{"model": ' });
  const log = llm.control.log();
  assert.deepEqual(log.map((e) => [e.method, e.status, e.fault]), [
    ['POST', 200, null], ['POST', 500, '500-openai'], ['OPTIONS', 204, null], ['POST', 400, null],
  ]);
  const [first] = log;
  assert.equal(first.path, '/v1/chat/completions');
  assert.equal(first.headers['x-probe'], 'yes');
  assert.deepEqual(first.body, { model: 'crab-test-small', messages: USER, stream: true });
  assert.equal(first.aborted, false);
  assert.ok(first.receivedAt <= first.firstByteAt && first.firstByteAt <= first.endedAt);
  assert.equal(log[3].body, null);
  assert.equal(log[3].bodyText, '{"model": ');
  assert.equal(log[2].headers.origin, 'http://a.test');
});

test('requests are checked: malformed JSON 400, missing fields 400, unknown model 404, other paths 404/405', async () => {
  const bad = await fetch(`${llm.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "crab-test-small",' });
  assert.equal(bad.status, 400);
  const badBody = await bad.json();
  assert.equal(badBody.error.type, 'invalid_request_error');
  assert.equal(typeof badBody.error.message, 'string');
  assert.ok('param' in badBody.error && 'code' in badBody.error);
  const noModel = await fetch(`${llm.url}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: USER }) });
  assert.equal(noModel.status, 400);
  assert.equal((await noModel.json()).error.param, 'model');
  const noMessages = await chat({ messages: [] });
  assert.equal(noMessages.status, 400);
  assert.equal((await noMessages.json()).error.param, 'messages');
  llm.control.script(['kept for later']);
  const unknown = await chat({ model: 'gpt-9' });
  assert.equal(unknown.status, 404);
  assert.deepEqual(await unknown.json(), {
    error: { message: 'The model `gpt-9` does not exist', type: 'invalid_request_error', param: 'model', code: 'model_not_found' },
  });
  assert.equal(llm.control.remaining(), 1, 'a refused request takes no scripted answer');
  assert.equal((await fetch(`${llm.url}/completions`, { method: 'POST' })).status, 404);
  assert.equal((await fetch(`${llm.url}/chat/completions`)).status, 405);
});

test('CORS: the Origin is echoed (or *), and a preflight gets 204 with methods, the asked headers and max-age 0', async () => {
  const withOrigin = await fetch(`${llm.url}/models`, { headers: { origin: 'http://127.0.0.1:9999' } });
  assert.equal(withOrigin.headers.get('access-control-allow-origin'), 'http://127.0.0.1:9999');
  const without = await fetch(`${llm.url}/models`);
  assert.equal(without.headers.get('access-control-allow-origin'), '*');
  llm.control.script(['x']);
  const posted = await chat({ stream: true }, { headers: { origin: 'http://app.test' } });
  assert.equal(posted.headers.get('access-control-allow-origin'), 'http://app.test');
  await posted.text();
  const pre = await fetch(`${llm.url}/chat/completions`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://app.test',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-extra',
      'access-control-request-private-network': 'true',
    },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'http://app.test');
  assert.equal(pre.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
  assert.equal(pre.headers.get('access-control-allow-headers'), 'authorization,content-type,x-extra');
  assert.equal(pre.headers.get('access-control-max-age'), '0');
  assert.equal(pre.headers.get('access-control-allow-private-network'), 'true');
  assert.equal(llm.control.log().at(-1).method, 'OPTIONS');
});

test('cors: false leaves every answer without CORS headers, /models and OPTIONS included', async () => {
  const closed = await startLlmServer({ cors: false, defaultDelayMs: 0 });
  try {
    const headers = { origin: 'http://app.test' };
    const models = await fetch(`${closed.url}/models`, { headers });
    assert.equal(models.status, 200);
    assert.deepEqual(accessHeaders(models), []);
    const pre = await fetch(`${closed.url}/chat/completions`, { method: 'OPTIONS', headers: { ...headers, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    assert.deepEqual(accessHeaders(pre), []);
    const res = await chat({ stream: true }, { server: closed, headers });
    assert.deepEqual(accessHeaders(res), []);
    assert.equal(events(await res.text()).at(-1), '[DONE]');
    assert.equal((await chat({ model: 'nope' }, { server: closed, headers })).headers.get('access-control-allow-origin'), null);
    assert.deepEqual(closed.control.log().map((e) => e.method), ['GET', 'OPTIONS', 'POST', 'POST']);
  } finally {
    await closed.close();
  }
});

test('apiKey: /models and chat need the Bearer key (401 OpenAI shape otherwise); OPTIONS does not', async () => {
  const keyed = await startLlmServer({ apiKey: 'sk-test-123', defaultDelayMs: 0 });
  try {
    const none = await fetch(`${keyed.url}/models`);
    assert.equal(none.status, 401);
    const noneBody = await none.json();
    assert.equal(noneBody.error.type, 'invalid_request_error');
    assert.equal(noneBody.error.code, 'invalid_api_key');
    const wrong = await chat({}, { server: keyed, headers: { authorization: 'Bearer sk-wrong' } });
    assert.equal(wrong.status, 401);
    assert.doesNotMatch(JSON.stringify(await wrong.json()), /sk-wrong|sk-test-123/);
    assert.equal((await fetch(`${keyed.url}/models`, { headers: { authorization: 'Bearer sk-test-123' } })).status, 200);
    const right = await chat({}, { server: keyed, headers: { authorization: 'Bearer sk-test-123' } });
    assert.equal(right.status, 200);
    const pre = await fetch(`${keyed.url}/chat/completions`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    assert.equal(pre.status, 204);
  } finally {
    await keyed.close();
  }
});

test('chunkChars splits by code points, never inside a UTF-8 character', async () => {
  const content = 'Ça va? 👋🏽 日本語 ok';
  llm.control.script([{ content, chunkChars: 1 }, { content, chunkChars: 3 }]);
  const ones = events(await (await chat({ stream: true })).text()).slice(1, -2).map((e) => e.choices[0].delta.content);
  assert.deepEqual(ones, Array.from(content));
  const threes = events(await (await chat({ stream: true })).text());
  assert.equal(joinDeltas(threes), content);
  assert.ok(threes.slice(1, -2).every((e) => Array.from(e.choices[0].delta.content).length <= 3));
});

test('reasoning: reasoning_content deltas before the content, or a reasoning field, or <think> tags in the content', async () => {
  llm.control.script([
    { reasoning: 'Think first.', content: 'Answer.' },
    { reasoning: 'Hmm.', content: 'Yes.', reasoningAs: 'think_tags', chunkChars: 3 },
    { reasoning: 'Hmm.', content: 'Yes.', reasoningAs: 'reasoning' },
    { reasoning: 'Plain.', content: 'Done.' },
  ]);
  const evs = events(await (await chat({ stream: true })).text());
  const deltas = evs.slice(1, -2).map((e) => e.choices[0].delta);
  assert.deepEqual(deltas, [
    { reasoning_content: 'Thin' }, { reasoning_content: 'k fi' }, { reasoning_content: 'rst.' },
    { content: 'Answ' }, { content: 'er.' },
  ]);
  const tags = events(await (await chat({ stream: true })).text());
  assert.equal(joinDeltas(tags), '<think>Hmm.</think>Yes.');
  assert.equal(joinDeltas(tags, 'reasoning_content'), '');
  const field = events(await (await chat({ stream: true })).text());
  assert.equal(joinDeltas(field, 'reasoning'), 'Hmm.');
  const plain = await (await chat()).json();
  assert.deepEqual(plain.choices[0].message, { role: 'assistant', content: 'Done.', reasoning_content: 'Plain.' });
  assert.equal(plain.usage.completion_tokens, 2);
});

test('splitBytes cuts the raw stream inside multi-byte characters and data: lines; the bytes are unchanged', async () => {
  const content = 'é日本👋 ok ünïcödé';
  const answer = { content, chunkChars: 5, delayMs: 0 };
  llm.control.script([answer, { ...answer, splitBytes: true }, { ...answer, splitBytes: 1 }]);
  const body = JSON.stringify({ model: 'crab-test-small', messages: USER, stream: true });
  const req = { method: 'POST', headers: { 'content-type': 'application/json' }, body };
  const whole = await rawRequest(`${llm.url}/chat/completions`, req);
  const split = await rawRequest(`${llm.url}/chat/completions`, req);
  const bytes = await rawRequest(`${llm.url}/chat/completions`, req);
  // Without splitBytes: one write per event, each a whole `data: …\n\n`.
  assert.ok(whole.chunks.every((c) => c.toString().startsWith('data: ') && c.toString().endsWith('\n\n')));
  // With it: pieces of 1..9 bytes, some ending inside a UTF-8 sequence (the next piece starts with a
  // continuation byte), some inside a `data:` line; the content arrives intact.
  assert.ok(split.chunks.length > whole.chunks.length);
  assert.ok(split.chunks.every((c) => c.length >= 1 && c.length <= 9));
  assert.ok(split.chunks.slice(1).some((c) => (c[0] & 0xc0) === 0x80), 'a piece starts inside a character');
  assert.ok(split.chunks.some((c) => !c.toString('latin1').endsWith('\n')), 'a piece ends inside a line');
  assert.ok(new Set(split.chunks.map((c) => c.length)).size > 3, 'piece sizes vary');
  assert.equal(joinDeltas(events(split.body.toString('utf8'))), content);
  assert.ok(bytes.chunks.every((c) => c.length === 1));
  assert.equal(joinDeltas(events(bytes.body.toString('utf8'))), content);
  // The same event texts apart from ids and timestamps.
  const strip = (b) => b.toString('utf8').replace(/"id":"[^"]*"|"created":\d+/g, '');
  assert.equal(strip(split.body), strip(whole.body));
  assert.equal(strip(bytes.body), strip(whole.body));
});

test('crlf ends every line with \\r\\n, and keepAlive puts comments between events', async () => {
  llm.control.script([{ content: 'abcdefgh', crlf: true }, { content: 'abcdefgh', keepAlive: true }]);
  const crlf = await (await chat({ stream: true })).text();
  assert.ok(crlf.includes('\r\n\r\n'));
  assert.equal(crlf.replace(/\r\n/g, '').includes('\n'), false, 'no bare \\n');
  assert.equal(joinDeltas(events(crlf)), 'abcdefgh');
  const kept = await (await chat({ stream: true })).text();
  const blocks = kept.split('\n\n').filter(Boolean);
  assert.deepEqual(blocks.map((b) => b.startsWith(': keep-alive')), blocks.map((_, i) => i % 2 === 1));
  assert.equal(joinDeltas(events(kept)), 'abcdefgh');
});

test('usage: an override is merged in, and null sends no usage at all', async () => {
  llm.control.script([
    { content: 'a b', usage: { prompt_tokens: 100, total_tokens: 102 } },
    { content: 'a b', usage: null },
    { content: 'a b', usage: null },
  ]);
  const over = events(await (await chat({ stream: true, stream_options: { include_usage: true } })).text());
  assert.deepEqual(over.at(-2).usage, { prompt_tokens: 100, completion_tokens: 2, total_tokens: 102 });
  const none = events(await (await chat({ stream: true, stream_options: { include_usage: true } })).text());
  assert.ok(none.every((e) => e === '[DONE]' || (e.usage === undefined && e.choices.length === 1)));
  assert.equal((await (await chat()).json()).usage, undefined);
});

test('delayMs spaces the writes; firstByteDelayMs delays the headers', async () => {
  llm.control.script([{ content: 'abcdefghijklmnop', delayMs: 40 }, { content: 'x', firstByteDelayMs: 200 }]);
  const res = await chat({ stream: true });
  await res.text();
  // 1 role + 4 content + finish + [DONE] = 7 writes, 6 pauses of 40 ms.
  const [slow] = llm.control.log();
  assert.ok(slow.endedAt - slow.firstByteAt >= 6 * 40 * 0.9, `${slow.endedAt - slow.firstByteAt} ms`);
  const t0 = Date.now();
  const late = await chat();
  assert.ok(Date.now() - t0 >= 200 * 0.9);
  assert.equal((await late.json()).choices[0].message.content, 'x');
});

test('defaultDelayMs paces the answers that give no delayMs', async () => {
  const paced = await startLlmServer({ defaultDelayMs: 25 });
  try {
    paced.control.script(['abcdefgh']);
    await (await chat({ stream: true }, { server: paced })).text();
    // 1 role + 2 content + finish + [DONE] = 5 writes, 4 pauses of 25 ms.
    const [entry] = paced.control.log();
    assert.ok(entry.endedAt - entry.firstByteAt >= 4 * 25 * 0.9, `${entry.endedAt - entry.firstByteAt} ms`);
  } finally {
    await paced.close();
  }
});

test('delayMs 0 streams a large answer at once (throughput)', async () => {
  const content = 'word '.repeat(20000);
  llm.control.script([{ content, delayMs: 0, chunkChars: 16 }]);
  const evs = events(await (await chat({ stream: true })).text());
  assert.equal(joinDeltas(evs), content);
  assert.equal(evs.length, 1 + content.length / 16 + 2);
});

test('abort: the client going away mid-stream stops the writes and is logged', async () => {
  llm.control.script([{ content: 'x'.repeat(400), chunkChars: 1, delayMs: 20 }]);
  const ctl = new AbortController();
  const res = await chat({ stream: true }, { signal: ctl.signal });
  const reader = res.body.getReader();
  await reader.read();
  ctl.abort();
  const entry = await until(() => llm.control.log().find((e) => e.aborted));
  assert.equal(entry.status, 200);
  assert.ok(entry.endedAt >= entry.firstByteAt);
  // A fresh request is served normally afterwards.
  assert.equal((await chat()).status, 200);
});

test('faults that answer with an error status and body', async () => {
  const cases = [
    ['401', 401, { error: { message: 'The API key provided is not valid.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }],
    ['404-model', 404, { error: { message: 'The model `crab-test-small` does not exist', type: 'invalid_request_error', param: 'model', code: 'model_not_found' } }],
    ['500-openai', 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }],
    ['500-vllm-old', 500, { object: 'error', message: 'The engine failed while generating.', type: 'InternalServerError', param: null, code: 500 }],
    ['500-llamacpp', 500, { error: { code: 500, message: 'The model failed to generate.', type: 'server_error' } }],
  ];
  llm.control.script(cases.map(([fault]) => ({ fault })));
  for (const [fault, status, body] of cases) {
    const res = await chat({ stream: true, stream_options: { include_usage: true } });
    assert.equal(res.status, status, fault);
    assert.equal(res.headers.get('content-type'), 'application/json', fault);
    assert.deepEqual(await res.json(), body, fault);
  }
  llm.control.script([{ fault: '500-openai', errorMessage: 'GPU on fire' }]);
  assert.equal((await (await chat()).json()).error.message, 'GPU on fire');
});

test('400-empty, html and non-json', async () => {
  llm.control.script([{ fault: '400-empty' }, { fault: 'html' }, { fault: 'non-json' }]);
  const empty = await chat({ stream: true });
  assert.equal(empty.status, 400);
  assert.equal(await empty.text(), '');
  const html = await chat({ stream: true });
  assert.equal(html.status, 502);
  assert.equal(html.headers.get('content-type'), 'text/html');
  assert.match(await html.text(), /<title>502 Bad Gateway<\/title>/);
  const text = await chat({ stream: true });
  assert.equal(text.status, 200);
  assert.equal(text.headers.get('content-type'), 'application/json');
  const body = await text.text();
  assert.throws(() => JSON.parse(body));
  assert.ok(body.length > 0);
});

test('400-stream-unsupported refuses stream_options and serves the retry without them', async () => {
  llm.control.script([{ fault: '400-stream-unsupported', content: 'Retried fine.' }, 'next']);
  const refused = await chat({ stream: true, stream_options: { include_usage: true } });
  assert.equal(refused.status, 400);
  const err = (await refused.json()).error;
  assert.match(err.message, /stream_options/);
  assert.equal(err.type, 'invalid_request_error');
  assert.equal(llm.control.remaining(), 2, 'the answer stays queued');
  const retry = await chat({ stream: false });
  assert.equal(retry.status, 200);
  assert.equal((await retry.json()).choices[0].message.content, 'Retried fine.');
  assert.equal(llm.control.remaining(), 1);
});

test('not-event-stream answers a streamed request with a plain chat.completion', async () => {
  llm.control.script([{ fault: 'not-event-stream', content: 'Plain.' }]);
  const res = await chat({ stream: true });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  const body = await res.json();
  assert.equal(body.object, 'chat.completion');
  assert.equal(body.choices[0].message.content, 'Plain.');
});

test('mid-stream-error: half the content, then a data: {"error"} event and the end, no [DONE]', async () => {
  llm.control.script([{ fault: 'mid-stream-error', content: 'abcdefghijklmnop' }, { fault: 'mid-stream-error' }]);
  const res = await chat({ stream: true });
  assert.equal(res.status, 200);
  const evs = events(await res.text());
  assert.equal(joinDeltas(evs.slice(0, -1)), 'abcdefgh');
  assert.deepEqual(evs.at(-1), { error: { message: 'The model crashed while generating.', type: 'server_error' } });
  assert.ok(!evs.includes('[DONE]'));
  assert.ok(evs.every((e) => !e.choices?.[0]?.finish_reason));
  const plain = await chat();
  assert.equal(plain.status, 200);
  assert.equal((await plain.json()).error.type, 'server_error');
});

test('cut: half the content then a clean end without finish or [DONE]; cutMode destroy breaks the connection', async () => {
  llm.control.script([
    { fault: 'cut', content: 'abcdefghijklmnop' },
    { fault: 'cut', content: 'abcdefghijklmnop', cutMode: 'destroy' },
    { fault: 'cut', content: 'abcdefghijklmnop' },
  ]);
  const text = await (await chat({ stream: true })).text();
  const evs = events(text);
  assert.equal(joinDeltas(evs), 'abcdefgh');
  assert.ok(!text.includes('[DONE]'));
  assert.ok(evs.every((e) => !e.choices[0].finish_reason));
  const broken = await chat({ stream: true });
  const reader = broken.body.getReader();
  const seen = [];
  await assert.rejects(async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      seen.push(Buffer.from(value).toString());
    }
  });
  assert.equal(joinDeltas(events(seen.join(''))), 'abcdefgh');
  const log = llm.control.log();
  assert.equal(log[1].aborted, false, 'a cut by the server is no client abort');
  const plain = await (await chat()).text();
  assert.ok(plain.length > 0);
  assert.throws(() => JSON.parse(plain));
});

test('cut-empty: a 200 event stream with no data at all', async () => {
  llm.control.script([{ fault: 'cut-empty' }]);
  const res = await chat({ stream: true });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  assert.equal(await res.text(), '');
});

test('slow-first-byte waits before the headers (3000 ms by default), and an abort meanwhile is logged', async () => {
  llm.control.script([{ fault: 'slow-first-byte', firstByteDelayMs: 150, content: 'late' }, { fault: 'slow-first-byte', content: 'never' }]);
  const t0 = Date.now();
  const res = await chat({ stream: true });
  assert.ok(Date.now() - t0 >= 150 * 0.9);
  assert.equal(joinDeltas(events(await res.text())), 'late');
  const ctl = new AbortController();
  const pending = chat({ stream: true }, { signal: ctl.signal });
  await until(() => llm.control.log().length === 2);
  ctl.abort();
  await assert.rejects(pending);
  const entry = await until(() => llm.control.log().find((e) => e.aborted));
  assert.equal(entry.status, null, 'no headers were sent');
  assert.equal(entry.fault, 'slow-first-byte');
});

test('stall: some chunks, then the connection stays open until the client aborts', async () => {
  llm.control.script([{ fault: 'stall', content: 'abcdefghijklmnop' }]);
  const ctl = new AbortController();
  const res = await chat({ stream: true }, { signal: ctl.signal });
  const reader = res.body.getReader();
  let text = '';
  // Role chunk + 2 content chunks = 3 complete events (bounded: a bug must fail, not hang).
  for (let reads = 0; text.split('\n\n').length <= 3 && reads < 50; reads++) {
    const { done, value } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString();
  }
  assert.equal(joinDeltas(events(text)), 'abcdefgh');
  assert.equal(llm.control.log()[0].endedAt, null, 'still open');
  ctl.abort();
  const entry = await until(() => llm.control.log().find((e) => e.aborted));
  assert.equal(entry.fault, 'stall');
  // Without stream: half of the JSON body, then nothing.
  llm.control.script([{ fault: 'stall', content: 'abcdefghijklmnop' }]);
  const plainCtl = new AbortController();
  const plain = await chat({}, { signal: plainCtl.signal });
  const first = Buffer.from((await plain.body.getReader().read()).value).toString();
  assert.ok(first.startsWith('{"id":"chatcmpl-'));
  assert.throws(() => JSON.parse(first));
  plainCtl.abort();
  await until(() => llm.control.log().filter((e) => e.aborted).length === 2);
});

test('close() ends a server with a stream still stalled', async () => {
  const own = await startLlmServer();
  own.control.script([{ fault: 'stall', content: 'abcd' }]);
  const res = await chat({ stream: true }, { server: own });
  await res.body.getReader().read();
  await own.close();
  assert.equal(own.control.log()[0].aborted, true);
});

test('no-cors: the answer lacks CORS headers, and a preflight before it fails and takes it', async () => {
  llm.control.script([{ fault: 'no-cors', content: 'hidden' }, { fault: 'no-cors', content: 'never sent' }, 'after']);
  const res = await chat({ stream: true }, { headers: { origin: 'http://app.test' } });
  assert.deepEqual(accessHeaders(res), []);
  assert.equal(joinDeltas(events(await res.text())), 'hidden');
  const preflight = () => fetch(`${llm.url}/chat/completions`, { method: 'OPTIONS', headers: { origin: 'http://app.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
  const failed = await preflight();
  assert.deepEqual(accessHeaders(failed), []);
  assert.equal(llm.control.log().at(-1).fault, 'no-cors');
  const ok = await preflight();
  assert.equal(ok.headers.get('access-control-allow-origin'), 'http://app.test');
  assert.equal((await (await chat()).json()).choices[0].message.content, 'after');
});
