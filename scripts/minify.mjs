// Minifies the release bundle's JavaScript with terser (run by scripts/build.sh after
// `trunk build`, before scripts/csp.mjs).
//
//   node scripts/minify.mjs [DIST]      (default dist)
//
// Trunk minifies the CSS and the page, but its JavaScript minifier cannot parse wasm-bindgen's
// ES modules (a "Failed to minify JS" warning) and leaves them as written: comments, JSDoc and
// long local names, about a quarter of the first load's JavaScript. terser parses them as
// modules, so every `export` and `import` keeps its name; property names are never mangled, so
// the names the .wasm imports (`__wbg_…` keys of the imports object) stay as they are. The
// page's one inline script (Trunk's loader, allowed by its hash) is not touched.
//
// Trunk's index.html preloads the scripts with Subresource Integrity (`integrity=sha384-…`), so
// the digests of the rewritten files are computed again there; nothing else in the page changes.
//
// Every .js file under DIST is rewritten in place; a file terser cannot parse stops the build
// (exit status 1) instead of shipping half-minified code. Running it again is harmless.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { minify } from 'terser';

const OPTIONS = {
  module: true,
  ecma: 2020,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
};

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

/** The `sha384-…` Subresource Integrity value of `bytes`. */
const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/**
 * `html` with the `integrity` of every `<link>` whose `href` names one of `rewritten` (paths
 * relative to DIST) set to that file's digest now. Trunk writes the attributes quoted or not.
 */
function updateIntegrity(html, rewritten, read) {
  return html.replace(/<link\b[^>]*>/g, (tag) => {
    const href = tag.match(/\shref=(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/);
    const path = href && (href[1] ?? href[2] ?? href[3]).replace(/^\.\//, '');
    if (!path || !rewritten.has(path)) return tag;
    return tag.replace(/(\sintegrity=)(?:"[^"]*"|'[^']*'|[^\s"'>]+)/, (_, name) => `${name}${sri(read(path))}`);
  });
}

const dist = process.argv[2] ?? 'dist';
let before = 0;
let after = 0;
const rewritten = new Set();
for (const file of jsFiles(dist).sort()) {
  const source = readFileSync(file, 'utf8');
  let result;
  try {
    result = await minify(source, OPTIONS);
  } catch (e) {
    console.error(`minify: ${relative(dist, file)}: ${e.message ?? e}`);
    process.exit(1);
  }
  writeFileSync(file, result.code);
  rewritten.add(relative(dist, file));
  before += source.length;
  after += result.code.length;
}
const page = join(dist, 'index.html');
writeFileSync(page, updateIntegrity(readFileSync(page, 'utf8'), rewritten, (path) => readFileSync(join(dist, path))));
console.log(`minify: JavaScript in ${dist}: ${before} -> ${after} bytes (terser)`);
