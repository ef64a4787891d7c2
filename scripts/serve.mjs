// A tiny static file server for the release bundle (node:http only, no dependencies).
//
//   node scripts/serve.mjs [DIR] [PORT] [PREFIX]
//
// Serves DIR (default dist) at http://127.0.0.1:PORT/PREFIX (default port 8421, prefix "/").
// Tests import `serve` and mount the bundle under a sub-path to prove that it works there.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/** Serves `dir`; `headers` (name → value) are added to every file's response. */
export function serve(dir, { port = 0, host = '127.0.0.1', prefix = '/', headers = {} } = {}) {
  const root = resolve(dir);
  if (!prefix.endsWith('/')) prefix += '/';
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://x');
      let path = decodeURIComponent(url.pathname);
      if (path + '/' === prefix) {
        res.writeHead(301, { location: prefix });
        return res.end();
      }
      if (!path.startsWith(prefix)) {
        res.writeHead(404);
        return res.end('not found');
      }
      path = path.slice(prefix.length) || 'index.html';
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403);
        return res.end('forbidden');
      }
      const info = await stat(file).catch(() => null);
      const target = info && info.isDirectory() ? join(file, 'index.html') : file;
      const body = await readFile(target);
      res.writeHead(200, {
        'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        ...headers,
      });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = 'dist', port = '8421', prefix = '/'] = process.argv.slice(2);
  const server = await serve(dir, { port: Number(port), prefix });
  const { address, port: actual } = server.address();
  console.log(`CRAB Playground: http://${address}:${actual}${prefix.endsWith('/') ? prefix : prefix + '/'}`);
}
