// One HTTP/1.1 exchange over a plain socket, keeping the exact bytes of the answer.
//
// Why: `fetch` hides what a stream looked like on the wire (how the server cut it into writes,
// its line endings, the chunked framing). The scripted server's own tests check its byte-level
// modes with this, and the capture script records real servers' answers with it.
import { connect } from 'node:net';

/**
 * Sends one request to `url` and resolves to `{ raw, status, headers, body, chunks }` once the
 * server closes the connection (the request says `Connection: close`). `raw` is every byte
 * received; `body` is the body without chunked framing; `chunks` the body's chunks as the server
 * framed them (one per write), or null when the body was not chunked.
 */
export function rawRequest(url, { method = 'GET', headers = {}, body } = {}) {
  const u = new URL(url);
  const payload = body === undefined ? null : Buffer.from(body);
  const lines = [`${method} ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (payload) lines.push(`Content-Length: ${payload.length}`);
  lines.push('Connection: close', '', '');
  return new Promise((ok, fail) => {
    const parts = [];
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.write(lines.join('\r\n'));
      if (payload) socket.write(payload);
    });
    socket.on('data', (d) => parts.push(d));
    socket.on('error', fail);
    socket.on('close', () => {
      try {
        ok(parseResponse(Buffer.concat(parts)));
      } catch (err) {
        fail(err);
      }
    });
  });
}

/** Splits raw response bytes into status, headers (lower-case names, in order) and body. */
export function parseResponse(raw) {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no end of headers in ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const [statusLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = headerLines.map((l) => {
    const i = l.indexOf(':');
    return [l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim()];
  });
  const rest = raw.subarray(end + 4);
  const chunked = headers.some(([k, v]) => k === 'transfer-encoding' && /chunked/i.test(v));
  const chunks = chunked ? dechunk(rest) : null;
  const body = chunked ? Buffer.concat(chunks) : rest;
  return { raw, status, statusLine, headers, header: (name) => headers.find(([k]) => k === name)?.[1], body, chunks };
}

/** The chunks of a chunked body (without the final empty one); a cut body gives what arrived. */
function dechunk(buf) {
  const chunks = [];
  let at = 0;
  while (at < buf.length) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    chunks.push(buf.subarray(eol + 2, Math.min(eol + 2 + size, buf.length)));
    at = eol + 2 + size + 2;
  }
  return chunks;
}
