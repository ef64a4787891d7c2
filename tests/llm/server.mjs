// A scripted OpenAI-compatible chat server for tests (node:http only, no dependencies, loopback).
//
// Why: the app talks to any OpenAI-compatible endpoint, and real servers differ in exactly the
// places a client gets wrong (error shapes, streams that end badly, CORS). This server answers what
// a test scripts, one answer per chat request, so that every such case can be played on demand, at
// a pace a browser test can observe, and every request it received can be inspected afterwards.
//
//   import { startLlmServer } from '../llm/server.mjs';
//   const llm = await startLlmServer({ models, apiKey, cors, defaultDelayMs, port, host });
//   llm.url      // 'http://127.0.0.1:PORT/v1'
//   llm.control.script([{ content: 'Hello there.' }, { fault: '500-openai' }]);
//   llm.control.log();   // every request received
//   await llm.close();
//
//   node tests/llm/server.mjs [--port 8431] [--api-key KEY] [--no-cors] [--delay MS] [--models a,b]
//
// CONTRACT
//
// Options (all optional): `models` (default ['crab-test-small', 'crab-test-large']), `apiKey`
// (when set, /v1/models and /v1/chat/completions need `Authorization: Bearer <apiKey>`; a missing
// or wrong key gets 401 in the OpenAI shape; OPTIONS never needs it), `cors` (default true; false:
// no answer of the API carries any CORS header, OPTIONS included), `defaultDelayMs` (default 30,
// the pause between two writes of a stream), `port` (default 0: a free one), `host` (127.0.0.1).
//
// GET  /v1/models → 200 {"object":"list","data":[{"id","object":"model","created","owned_by":"crab-test"}]}
// POST /v1/chat/completions, checked in this order, before any scripted answer is taken:
//   1. the key, when the server has one: 401 {"error":{"message","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
//   2. the body must be JSON: 400 {"error":{"message","type":"invalid_request_error","param":null,"code":null}}
//   3. `model` a string and `messages` a non-empty array: 400 in the same shape, param named
//   4. `model` one of the list: 404 {"error":{"message":"The model `x` does not exist","type":"invalid_request_error","param":"model","code":"model_not_found"}}
//   Then the next scripted ANSWER is taken from the queue (when it is empty: an answer whose
//   content is the text of the last user message, echoed). With `stream: true` the answer is
//   `Content-Type: text/event-stream; charset=utf-8`, events `data: <chunk>\n\n` where a chunk is
//   {"id","object":"chat.completion.chunk","created","model","choices":[{"index":0,"delta":{…},"finish_reason":null}]}:
//   first the delta {"role":"assistant","content":""}, then the reasoning pieces (delta
//   {"reasoning_content":…}), then the content pieces (delta {"content":…}), then a chunk with
//   delta {} and finish_reason "stop" ("length" when `max_tokens` or `max_completion_tokens` cut
//   the content: tokens are whitespace-separated pieces, and the content is cut after the Nth);
//   then, when `stream_options.include_usage` is true, {"id","object","created","model",
//   "choices":[],"usage":{"prompt_tokens","completion_tokens","total_tokens"}}; then `data: [DONE]\n\n`.
//   Without `stream`: one {"object":"chat.completion",…,"choices":[{"index":0,"message":{"role":
//   "assistant","content"[,"reasoning_content"]},"finish_reason"}],"usage":{…}} with status 200.
//   Token counts: prompt = whitespace pieces of every message's text; completion = pieces of the
//   reasoning plus the content as sent.
// Anything else under /v1: 404 (unknown path) or 405 (wrong method), OpenAI shape.
//
// CORS (unless `cors: false`, or the answer's fault is "no-cors"): every answer carries
// `Access-Control-Allow-Origin` = the request's Origin (or `*` without one) and `Vary: Origin`.
// OPTIONS (any path) → 204 with `Access-Control-Allow-Methods: GET, POST, OPTIONS`,
// `Access-Control-Allow-Headers` = the request's Access-Control-Request-Headers (when sent),
// `Access-Control-Max-Age: 0`, and `Access-Control-Allow-Private-Network: true` when asked for.
// A preflight of /v1/chat/completions while the next scripted answer has fault "no-cors" is
// answered without CORS headers and *takes* that answer (a browser sends no POST after a failed
// preflight, so it would otherwise stay queued); a client that sends no preflight (Node's fetch)
// gets that answer on its POST, with its normal body and no CORS headers.
//
// Control API (on the same server, not logged, always `Access-Control-Allow-Origin: *`), also
// callable from Node through the returned `control` object:
//   POST /__control/script {"answers":[ANSWER, …]}  replaces the queue  (control.script(answers))
//   POST /__control/append {"answers":[ANSWER, …]}  adds to the queue    (control.append(answers))
//   POST /__control/reset                           empties queue and log (control.reset())
//   GET  /__control/log                             the log, oldest first (control.log())
//   control.remaining() is the number of answers still queued. A malformed ANSWER (unknown field
//   or fault, wrong type) is refused with 400 (an Error thrown from Node), so a typo fails a test.
// Log entry: {id, method, path, headers (lower-case names), body (parsed JSON, or null),
//   bodyText (only when the body was not JSON), status (null until sent), fault (null or the
//   fault played), aborted (the client went away before the answer ended), receivedAt,
//   firstByteAt, endedAt (ms since the epoch; null until they happen)}.
//
// ANSWER: a string (= {content: string}) or an object with these fields, all optional:
//   content          the answer text (default "")
//   reasoning        thinking, sent before the content as `reasoning_content` delta fields
//   reasoningAs      "reasoning_content" (default), "reasoning" (that field name instead), or
//                    "think_tags" (put into the content as `<think>…</think>` before the text)
//   chunkChars       content (and reasoning) pieces of this many characters (default 4; whole
//                    code points, so a UTF-8 character is never split)
//   splitBytes       true: the raw bytes of the body are written in pieces of 1 to 9 bytes (a
//                    fixed pseudo-random sequence), cutting multi-byte characters, `data:` lines
//                    and line endings; a number N: pieces of exactly N bytes
//   delayMs          pause between two writes (default: the server's defaultDelayMs; 0 writes
//                    everything at once, for throughput)
//   firstByteDelayMs pause before the status line and headers (default 0; 3000 for "slow-first-byte")
//   keepAlive        write a `: keep-alive\n\n` comment between every two events
//   crlf             `\r\n` line endings instead of `\n`
//   usage            an object merged over the computed usage; null: send no usage at all
//                    (no usage chunk even when asked, none in a plain answer)
//   cutMode          for "cut": "end" (default: the body ends cleanly, without [DONE]) or
//                    "destroy" (the connection is destroyed: the client sees a network error)
//   errorMessage     the message of a fault's error body, instead of the default one
//   match            a string, or a list of strings: the answer is for a request whose last user
//                    message contains them all. A request takes the first queued answer whose
//                    match fits it, else the first queued answer without `match`, else the echo,
//                    so that clients sending requests concurrently get answers by content, not
//                    by arrival order (`crab backtranslate --concurrency`)
//   repeat           true: the answer stays queued after it is taken (every request it fits
//                    gets it), for runs of many requests
//   fault            one of:
//     "401"            401 {"error":{"message","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
//     "404-model"      404 model_not_found as above, naming the request's model
//     "500-openai"     500 {"error":{"message","type":"server_error","param":null,"code":null}}
//     "500-vllm-old"   500 {"object":"error","message","type":"InternalServerError","param":null,"code":500}
//     "500-llamacpp"   500 {"error":{"code":500,"message","type":"server_error"}}
//     "400-empty"      400 with an empty body
//     "400-stream-unsupported"  when the request has `stream_options`: 400 {"error":{"message"
//                      naming stream_options,"type":"invalid_request_error","param":"stream_options",
//                      "code":null}} and the answer stays at the head of the queue; a request
//                      without `stream_options` then takes it and gets it normally (as a plain
//                      chat.completion when it asks for no stream)
//     "html"           502 text/html, a proxy's error page
//     "non-json"       200 `Content-Type: application/json` with a plain-text body
//     "not-event-stream"  200 application/json: a streamed request gets a plain chat.completion
//     "mid-stream-error"  the role chunk and the first half of the content pieces, then
//                      `data: {"error":{"message","type":"server_error"}}\n\n` and the end (no
//                      [DONE]); a request without `stream` gets 200 with that error object as body
//     "cut"            the role chunk and half of the content pieces, then the end (see cutMode),
//                      no finish chunk, no [DONE]; without `stream`: half of the JSON body
//     "cut-empty"      200 text/event-stream (application/json without `stream`) with no body
//     "slow-first-byte"  waits firstByteDelayMs (default 3000) before the headers, then answers
//     "stall"          the role chunk and half of the content pieces, then nothing, the
//                      connection open, until the client aborts (or the server closes);
//                      without `stream`: the headers and half of the JSON body, then nothing
//     "no-cors"        the answer (and the preflight before it, see CORS) without CORS headers
// Abort: when the client goes away before the answer ended (mid-stream, while stalled or during
// a first-byte delay), nothing more is written and the log entry gets `aborted: true`.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const DEFAULT_MODELS = ['crab-test-small', 'crab-test-large'];

const FAULTS = new Set([
  '401', '404-model', '500-openai', '500-vllm-old', '500-llamacpp', '400-empty',
  '400-stream-unsupported', 'html', 'non-json', 'not-event-stream', 'mid-stream-error', 'cut',
  'cut-empty', 'slow-first-byte', 'stall', 'no-cors',
]);

const ANSWER_FIELDS = {
  content: 'string',
  reasoning: 'string',
  reasoningAs: ['reasoning_content', 'reasoning', 'think_tags'],
  chunkChars: 'positive',
  splitBytes: 'splitBytes',
  delayMs: 'nonnegative',
  firstByteDelayMs: 'nonnegative',
  keepAlive: 'boolean',
  crlf: 'boolean',
  usage: 'usage',
  cutMode: ['end', 'destroy'],
  errorMessage: 'string',
  fault: [...FAULTS],
  match: 'match',
  repeat: 'boolean',
};

const PROXY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>test-proxy</center>\r\n</body>\r\n</html>\r\n';

/** A copy of `answer` as an object, or throws an Error that says what is wrong with it. */
export function checkAnswer(answer, index = 0) {
  if (typeof answer === 'string') return { content: answer };
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
    throw new Error(`answer ${index}: a string or an object, not ${JSON.stringify(answer)}`);
  }
  for (const [key, value] of Object.entries(answer)) {
    const kind = ANSWER_FIELDS[key];
    const bad = (want) => new Error(`answer ${index}: ${key} must be ${want}, not ${JSON.stringify(value)}`);
    if (kind === undefined) {
      throw new Error(`answer ${index}: unknown field ${key} (known: ${Object.keys(ANSWER_FIELDS).join(', ')})`);
    } else if (Array.isArray(kind)) {
      if (!kind.includes(value)) throw bad(`one of ${kind.join(', ')}`);
    } else if (kind === 'string' || kind === 'boolean') {
      if (typeof value !== kind) throw bad(`a ${kind}`);
    } else if (kind === 'positive') {
      if (!Number.isInteger(value) || value < 1) throw bad('an integer of at least 1');
    } else if (kind === 'nonnegative') {
      if (typeof value !== 'number' || !(value >= 0)) throw bad('a number of at least 0');
    } else if (kind === 'splitBytes') {
      if (typeof value !== 'boolean' && !(Number.isInteger(value) && value >= 1)) {
        throw bad('true, false or an integer of at least 1');
      }
    } else if (kind === 'match') {
      const all = [value].flat();
      if (all.length === 0 || !all.every((m) => typeof m === 'string')) throw bad('a string or a non-empty list of strings');
    } else if (kind === 'usage') {
      if (value !== null && (typeof value !== 'object' || Array.isArray(value))) throw bad('an object or null');
    }
  }
  return { ...answer };
}

/** Whitespace-separated pieces of `text`: this server's idea of a token. */
function countTokens(text) {
  return text.split(/\s+/).filter(Boolean).length;
}

/** `text` cut after its `n`th whitespace-separated piece, and whether it was cut. */
function cutTokens(text, n) {
  if (!(Number.isInteger(n) && n >= 0)) return { text, cut: false };
  const re = /\S+/g;
  let m;
  let count = 0;
  while ((m = re.exec(text))) {
    count += 1;
    if (count === n) {
      const end = m.index + m[0].length;
      // Cut only when there is another piece after the nth.
      return /\S/.test(text.slice(end)) ? { text: text.slice(0, end), cut: true } : { text, cut: false };
    }
  }
  return n === 0 && /\S/.test(text) ? { text: '', cut: true } : { text, cut: false };
}

/** The text of one message's content (a string, or an array of parts with `text`). */
function messageText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p.text === 'string' ? p.text : '')).join(' ');
  }
  return '';
}

/** `text` in pieces of `size` code points. */
function pieces(text, size) {
  const chars = Array.from(text);
  const out = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

/** Byte pieces of `buf`: fixed `size`, or 1..9 bytes from a fixed pseudo-random sequence. */
function bytePieces(buf, size) {
  const out = [];
  let seed = 0x2545f491;
  for (let at = 0; at < buf.length;) {
    let n = size;
    if (typeof n !== 'number') {
      // xorshift32: the same cuts on every run.
      seed ^= seed << 13; seed >>>= 0;
      seed ^= seed >>> 17;
      seed ^= seed << 5; seed >>>= 0;
      n = 1 + (seed % 9);
    }
    out.push(buf.subarray(at, at + n));
    at += n;
  }
  return out;
}

/** Waits `ms`, or less when the answer closes meanwhile (so no timer outlives its answer). */
function pause(ms, state) {
  return new Promise((ok) => {
    if (state.closed) return ok();
    const onClose = () => {
      clearTimeout(timer);
      ok();
    };
    const timer = setTimeout(() => {
      state.onClose.delete(onClose);
      ok();
    }, ms);
    state.onClose.add(onClose);
  });
}

function openAiError(message, type, param = null, code = null) {
  return { error: { message, type, param, code } };
}

/**
 * Starts the server; resolves to `{ url, port, close(), control }` once it listens. See the
 * contract at the top of this file.
 */
export async function startLlmServer({
  models = DEFAULT_MODELS,
  apiKey = null,
  cors = true,
  defaultDelayMs = 30,
  port = 0,
  host = '127.0.0.1',
} = {}) {
  let queue = [];
  let log = [];
  let nextId = 1;
  // One promise per answer not yet closed, for close().
  const open = new Set();
  let created = Math.floor(Date.now() / 1000);

  const control = {
    script(answers) {
      queue = checkAnswers(answers);
    },
    append(answers) {
      queue.push(...checkAnswers(answers));
    },
    reset() {
      queue = [];
      log = [];
    },
    log() {
      return structuredClone(log);
    },
    remaining() {
      return queue.length;
    },
  };

  function checkAnswers(answers) {
    if (!Array.isArray(answers)) throw new Error('answers must be an array');
    return answers.map((a, i) => checkAnswer(a, i));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      // A bug here must show in the test output, not hang the client.
      console.error('llm test server:', err);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });

  async function handle(req, res) {
    res.on('error', () => {});
    req.on('error', () => {});
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    const raw = await readBody(req);

    if (path.startsWith('/__control/')) return controlApi(req, res, path, raw);

    const entry = {
      id: nextId++,
      method: req.method,
      path,
      headers: { ...req.headers },
      body: null,
      status: null,
      fault: null,
      aborted: false,
      receivedAt: Date.now(),
      firstByteAt: null,
      endedAt: null,
    };
    log.push(entry);
    let parsed;
    let parseError = false;
    if (raw.length > 0) {
      try {
        parsed = JSON.parse(raw.toString('utf8'));
        entry.body = parsed;
      } catch {
        parseError = true;
        entry.bodyText = raw.toString('utf8');
      }
    }

    // The state of this answer: `closed` once the client went away or we ended it.
    const state = { closed: false, cut: false, onClose: new Set() };
    const closed = new Promise((ok) => state.onClose.add(ok));
    open.add(closed);
    state.onClose.add(() => open.delete(closed));
    res.on('close', () => {
      state.closed = true;
      entry.endedAt ??= Date.now();
      if (!res.writableFinished && !state.cut) entry.aborted = true;
      for (const f of state.onClose) f();
    });
    const origin = req.headers.origin;
    let withCors = cors;
    const corsHeaders = () => (withCors ? { 'access-control-allow-origin': origin ?? '*', vary: 'Origin' } : {});
    const head = (status, headers) => {
      entry.status = status;
      entry.firstByteAt = Date.now();
      res.writeHead(status, { ...corsHeaders(), ...headers });
    };
    const json = (status, value) => {
      const body = Buffer.from(JSON.stringify(value));
      head(status, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    };

    if (req.method === 'OPTIONS') {
      if (path === '/v1/chat/completions' && queue[0]?.fault === 'no-cors') {
        withCors = false;
        entry.fault = 'no-cors';
        queue.shift();
      }
      const headers = {};
      if (withCors) {
        headers['access-control-allow-methods'] = 'GET, POST, OPTIONS';
        const asked = req.headers['access-control-request-headers'];
        if (asked) headers['access-control-allow-headers'] = asked;
        headers['access-control-max-age'] = '0';
        if (req.headers['access-control-request-private-network'] === 'true') {
          headers['access-control-allow-private-network'] = 'true';
        }
      }
      head(204, headers);
      return res.end();
    }

    const routes = { '/v1/models': 'GET', '/v1/chat/completions': 'POST' };
    if (!(path in routes)) {
      return json(404, openAiError(`Unknown path ${path}`, 'invalid_request_error'));
    }
    if (req.method !== routes[path]) {
      return json(405, openAiError(`${req.method} ${path} is not allowed; use ${routes[path]}`, 'invalid_request_error'));
    }
    if (apiKey !== null) {
      const auth = req.headers.authorization;
      if (auth === undefined) {
        return json(401, openAiError(
          'No API key was provided; send it as the header Authorization: Bearer <key>.',
          'invalid_request_error', null, 'invalid_api_key'));
      }
      if (auth !== `Bearer ${apiKey}`) {
        return json(401, openAiError('The API key provided is not valid.', 'invalid_request_error', null, 'invalid_api_key'));
      }
    }
    if (path === '/v1/models') {
      return json(200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created, owned_by: 'crab-test' })),
      });
    }

    // POST /v1/chat/completions
    if (parseError || raw.length === 0) {
      return json(400, openAiError('The request body is not valid JSON.', 'invalid_request_error'));
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return json(400, openAiError('The request body must be a JSON object.', 'invalid_request_error'));
    }
    if (typeof parsed.model !== 'string') {
      return json(400, openAiError('The model parameter is missing; name a model.', 'invalid_request_error', 'model'));
    }
    if (!Array.isArray(parsed.messages) || parsed.messages.length === 0) {
      return json(400, openAiError('messages must be a non-empty array.', 'invalid_request_error', 'messages'));
    }
    if (!models.includes(parsed.model)) {
      return json(404, modelNotFound(parsed.model));
    }

    const hasStreamOptions = parsed.stream_options !== undefined;
    let answer;
    if (queue[0]?.fault === '400-stream-unsupported' && hasStreamOptions) {
      // Stays queued for the retry without stream_options.
      answer = queue[0];
    } else {
      answer = takeAnswer(parsed.messages) ?? echoAnswer(parsed.messages);
    }
    entry.fault = answer.fault ?? null;
    await play(answer, parsed, { req, res, state, head, json, entry, hasStreamOptions, setCors: (v) => { withCors = v; } });
  }

  function modelNotFound(model) {
    return openAiError(`The model \`${model}\` does not exist`, 'invalid_request_error', 'model', 'model_not_found');
  }

  // The first queued answer whose `match` fits the last user message, else the first without
  // `match`; a `repeat` answer stays queued.
  function takeAnswer(messages) {
    const text = lastUserText(messages);
    let at = queue.findIndex((a) => a.match !== undefined && [a.match].flat().every((m) => text.includes(m)));
    if (at < 0) at = queue.findIndex((a) => a.match === undefined);
    if (at < 0) return undefined;
    const answer = queue[at];
    if (!answer.repeat) queue.splice(at, 1);
    return answer;
  }

  function lastUserText(messages) {
    const users = messages.filter((m) => m && m.role === 'user');
    const last = users.length > 0 ? users[users.length - 1] : messages[messages.length - 1];
    return messageText(last?.content);
  }

  function echoAnswer(messages) {
    const users = messages.filter((m) => m && m.role === 'user');
    const last = users.length > 0 ? users[users.length - 1] : messages[messages.length - 1];
    return { content: messageText(last?.content) };
  }

  async function play(answer, request, { res, state, head, json, hasStreamOptions, setCors }) {
    const fault = answer.fault;
    const stream = request.stream === true;
    const delayMs = answer.delayMs ?? defaultDelayMs;
    const firstByteDelayMs = answer.firstByteDelayMs ?? (fault === 'slow-first-byte' ? 3000 : 0);
    if (fault === 'no-cors') setCors(false);

    if (firstByteDelayMs > 0) {
      await pause(firstByteDelayMs, state);
      if (state.closed) return;
    }

    const message = (fallback) => answer.errorMessage ?? fallback;
    switch (fault) {
      case '401':
        return json(401, openAiError(message('The API key provided is not valid.'), 'invalid_request_error', null, 'invalid_api_key'));
      case '404-model':
        return json(404, answer.errorMessage ? openAiError(answer.errorMessage, 'invalid_request_error', 'model', 'model_not_found') : modelNotFound(request.model));
      case '500-openai':
        return json(500, openAiError(message('The server had an error while processing your request.'), 'server_error'));
      case '500-vllm-old':
        return json(500, { object: 'error', message: message('The engine failed while generating.'), type: 'InternalServerError', param: null, code: 500 });
      case '500-llamacpp':
        return json(500, { error: { code: 500, message: message('The model failed to generate.'), type: 'server_error' } });
      case '400-empty':
        head(400, { 'content-length': 0 });
        return res.end();
      case '400-stream-unsupported':
        if (hasStreamOptions) {
          return json(400, openAiError(message('Unrecognized request argument supplied: stream_options'), 'invalid_request_error', 'stream_options'));
        }
        break;
      case 'html': {
        const body = Buffer.from(PROXY_PAGE);
        head(502, { 'content-type': 'text/html', 'content-length': body.length });
        return res.end(body);
      }
      case 'non-json': {
        const body = Buffer.from(message('upstream answered: something went wrong, try later'));
        head(200, { 'content-type': 'application/json', 'content-length': body.length });
        return res.end(body);
      }
      case 'cut-empty':
        head(200, { 'content-type': stream ? 'text/event-stream; charset=utf-8' : 'application/json', 'cache-control': 'no-cache' });
        return res.end();
      default:
        break;
    }

    // The answer's text, cut by max_tokens.
    const reasoningAs = answer.reasoningAs ?? 'reasoning_content';
    let reasoning = answer.reasoning ?? '';
    let content = answer.content ?? '';
    if (reasoningAs === 'think_tags' && answer.reasoning !== undefined) {
      content = `<think>${reasoning}</think>${content}`;
      reasoning = '';
    }
    const limit = request.max_tokens ?? request.max_completion_tokens;
    const limited = cutTokens(content, limit);
    content = limited.text;
    const finishReason = limited.cut ? 'length' : 'stop';
    let usage = null;
    if (answer.usage !== null) {
      const prompt = request.messages.reduce((n, m) => n + countTokens(messageText(m?.content)), 0);
      const completion = countTokens(reasoning) + countTokens(content);
      usage = { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, ...answer.usage };
    }
    const id = `chatcmpl-crab-${nextId}-${Math.random().toString(36).slice(2, 10)}`;
    const createdAt = Math.floor(Date.now() / 1000);
    const model = request.model;

    if (!stream || fault === 'not-event-stream') {
      const msg = { role: 'assistant', content };
      if (reasoning) msg[reasoningAs] = reasoning;
      const value = fault === 'mid-stream-error'
        ? { error: { message: message('The model crashed while generating.'), type: 'server_error' } }
        : {
          id, object: 'chat.completion', created: createdAt, model,
          choices: [{ index: 0, message: msg, finish_reason: finishReason }],
          ...(usage ? { usage } : {}),
        };
      let body = Buffer.from(JSON.stringify(value));
      const partial = fault === 'cut' || fault === 'stall';
      if (partial) body = body.subarray(0, Math.floor(body.length / 2));
      head(200, { 'content-type': 'application/json', ...(partial ? {} : { 'content-length': body.length }) });
      const end = fault === 'stall' ? 'stall' : fault === 'cut' ? (answer.cutMode ?? 'end') : 'end';
      return write([body], answer, { res, state, delayMs, end, raw: true });
    }

    const chunk = (delta, finish = null) => ({
      id, object: 'chat.completion.chunk', created: createdAt, model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    const size = answer.chunkChars ?? 4;
    const events = [chunk({ role: 'assistant', content: '' })];
    for (const p of pieces(reasoning, size)) events.push(chunk({ [reasoningAs]: p }));
    const contentEvents = pieces(content, size).map((p) => chunk({ content: p }));
    let end = 'end';
    if (fault === 'mid-stream-error' || fault === 'cut' || fault === 'stall') {
      events.push(...contentEvents.slice(0, Math.ceil(contentEvents.length / 2)));
      if (fault === 'mid-stream-error') {
        events.push({ error: { message: message('The model crashed while generating.'), type: 'server_error' } });
      }
      end = fault === 'stall' ? 'stall' : fault === 'cut' ? (answer.cutMode ?? 'end') : 'end';
    } else {
      events.push(...contentEvents, chunk({}, finishReason));
      if (usage && request.stream_options?.include_usage === true) {
        events.push({ id, object: 'chat.completion.chunk', created: createdAt, model, choices: [], usage });
      }
      events.push('[DONE]');
    }
    const texts = events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`);
    head(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    res.flushHeaders();
    return write(texts, answer, { res, state, delayMs, end });
  }

  /** Writes `texts` (events, or raw buffers with `raw`) as the answer says, then ends as `end` says. */
  async function write(texts, answer, { res, state, delayMs, end, raw = false }) {
    let segments = [];
    for (const [i, t] of texts.entries()) {
      if (i > 0 && answer.keepAlive && !raw) segments.push(': keep-alive\n\n');
      segments.push(t);
    }
    if (answer.crlf && !raw) segments = segments.map((s) => s.replace(/\n/g, '\r\n'));
    let writes = segments.map((s) => (typeof s === 'string' ? Buffer.from(s) : s));
    if (answer.splitBytes) {
      writes = bytePieces(Buffer.concat(writes), answer.splitBytes === true ? null : answer.splitBytes);
    }
    let flushed = Promise.resolve();
    for (const [i, w] of writes.entries()) {
      if (i > 0 && delayMs > 0) await pause(delayMs, state);
      if (state.closed) return;
      flushed = new Promise((ok) => res.write(w, ok));
    }
    if (end === 'stall') {
      // Until the client aborts, or the server closes.
      await new Promise((ok) => (state.closed ? ok() : state.onClose.add(ok)));
      return;
    }
    if (end === 'destroy') {
      // Everything written reaches the client first; then the connection closes in the middle of
      // the body (no last chunk), as when a server process dies.
      await flushed;
      if (delayMs > 0) await pause(delayMs, state);
      if (state.closed) return;
      state.cut = true;
      res.socket?.end();
      return;
    }
    res.end();
  }

  async function controlApi(req, res, path, raw) {
    const reply = (status, value) => {
      const body = Buffer.from(JSON.stringify(value));
      res.writeHead(status, {
        'content-type': 'application/json',
        'content-length': body.length,
        'access-control-allow-origin': '*',
      });
      res.end(body);
    };
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '',
        });
        return res.end();
      }
      if (path === '/__control/log' && req.method === 'GET') return reply(200, log);
      if (req.method !== 'POST') return reply(405, { error: `${req.method} ${path} is not allowed` });
      if (path === '/__control/reset') {
        control.reset();
        return reply(200, { ok: true });
      }
      if (path === '/__control/script' || path === '/__control/append') {
        const body = JSON.parse(raw.toString('utf8') || 'null');
        control[path === '/__control/script' ? 'script' : 'append'](body?.answers);
        return reply(200, { ok: true, queued: queue.length });
      }
      return reply(404, { error: `unknown control path ${path}` });
    } catch (err) {
      return reply(400, { error: err.message });
    }
  }

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const actual = server.address().port;
  created = Math.floor(Date.now() / 1000);
  return {
    url: `http://${host}:${actual}/v1`,
    port: actual,
    control,
    server,
    /** Stops listening and drops every open connection (stalled streams included). */
    close() {
      const stopped = new Promise((ok) => server.close(ok));
      server.closeAllConnections();
      // After every answer's own close event, so that the log is final when this resolves.
      return Promise.all([stopped, ...open]).then(() => {});
    },
  };
}

function readBody(req) {
  return new Promise((ok) => {
    const parts = [];
    req.on('data', (d) => parts.push(d));
    req.on('end', () => ok(Buffer.concat(parts)));
    req.on('error', () => ok(Buffer.concat(parts)));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const server = await startLlmServer({
    port: Number(opt('--port') ?? 8431),
    apiKey: opt('--api-key') ?? null,
    cors: !args.includes('--no-cors'),
    defaultDelayMs: opt('--delay') === undefined ? 30 : Number(opt('--delay')),
    models: opt('--models')?.split(',') ?? DEFAULT_MODELS,
  });
  console.log(`CRAB test LLM server: ${server.url} (control: http://127.0.0.1:${server.port}/__control/)`);
}
