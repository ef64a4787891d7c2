// Adds the Content-Security-Policy to the release bundle's index.html (run by scripts/build.sh
// after `trunk build`).
//
//   node scripts/csp.mjs [DIST]      (default dist)
//
// The page has one inline script, Trunk's module loader (it imports the hashed .js and starts the
// .wasm), so the policy allows it by its sha256 instead of allowing inline scripts at all. The
// loader names the hashed files, so its hash changes with every build: that is why the policy is
// computed here, from the file Trunk just wrote, and not written by hand.
//
// The script refuses (exit status 1) a page the policy would break or could not describe: more
// than one inline script, an inline script that is not Trunk's loader, a `<style>` element, a
// `style=` or `on…=` attribute, a `javascript:` URL, or a script, stylesheet, icon or preload
// from another origin. Everything else in the page is left byte for byte as Trunk wrote it; the
// `<meta http-equiv="Content-Security-Policy">` goes right after `<meta charset>`, before any
// script or link. Running it again replaces its own meta, so the result is the same.
//
// It prints the policy and writes the header form (the meta form plus `frame-ancestors 'none'`,
// which a meta policy ignores) to DIST/content-security-policy.txt for the host (README.md,
// "Hosting the app").
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The policy's directives; `hashes` are the inline scripts' `'sha256-…'` sources. */
export function directives(hashes) {
  return [
    ['default-src', "'self'"],
    // The loader by hash; the .js and its wasm-bindgen snippets from the page's origin;
    // compiling the .wasm needs 'wasm-unsafe-eval' (JavaScript eval stays blocked).
    ['script-src', "'self'", "'wasm-unsafe-eval'", ...hashes],
    // Stylesheets only: no <style> elements and no style= attributes (the app sets styles
    // through classes, and CSSOM writes from script are not restricted by style-src).
    ['style-src', "'self'"],
    // The favicon; nothing uses data: images.
    ['img-src', "'self'"],
    // lang-profiles.bin and the .wasm from the page's origin, and the LLM endpoints the person
    // configures (any http: or https: URL; a browser still refuses http: from an https: page).
    ['connect-src', "'self'", 'http:', 'https:'],
    ['worker-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
  ];
}

/** Only in the header: browsers ignore `frame-ancestors` in a meta policy. */
export const HEADER_ONLY = [['frame-ancestors', "'none'"]];

export const render = (list) => list.map((d) => d.join(' ')).join('; ');

/** The `'sha256-…'` source of an inline script's text, as the browser hashes it. */
export function sha256Source(text) {
  // The HTML parser turns CRLF and lone CR into LF before the script sees its text.
  const normalized = text.replace(/\r\n?/g, '\n');
  return `'sha256-${createHash('sha256').update(normalized, 'utf8').digest('base64')}'`;
}

/**
 * The elements of an HTML document in order: `{ name, attrs: Map, start, end, text }`, where
 * `text` is the raw content of `<script>` and `<style>`. A tokenizer for the documents Trunk
 * writes, not a full HTML parser: it throws on anything it does not understand.
 */
export function elements(html) {
  const out = [];
  const attr = /\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;
  let at = 0;
  while ((at = html.indexOf('<', at)) !== -1) {
    if (html.startsWith('<!--', at)) {
      const end = html.indexOf('-->', at + 4);
      if (end === -1) throw new Error(`unterminated comment at byte ${at}`);
      at = end + 3;
      continue;
    }
    if (html.startsWith('<!', at) || html.startsWith('</', at)) {
      const end = html.indexOf('>', at);
      if (end === -1) throw new Error(`unterminated tag at byte ${at}`);
      at = end + 1;
      continue;
    }
    const name = /^<([a-zA-Z][a-zA-Z0-9-]*)/.exec(html.slice(at, at + 64))?.[1]?.toLowerCase();
    if (!name) throw new Error(`unexpected "<" at byte ${at}`);
    const start = at;
    let pos = at + 1 + name.length;
    const attrs = new Map();
    for (;;) {
      const close = /^\s*\/?>/.exec(html.slice(pos, pos + 64));
      if (close) {
        pos += close[0].length;
        break;
      }
      attr.lastIndex = pos;
      const m = attr.exec(html);
      if (!m || m[0].length === 0) throw new Error(`cannot read the attributes of <${name}> at byte ${start}`);
      const key = m[1].toLowerCase();
      if (attrs.has(key)) throw new Error(`<${name}> at byte ${start} repeats the attribute ${key}`);
      attrs.set(key, m[2] ?? m[3] ?? m[4] ?? '');
      pos = attr.lastIndex;
    }
    let text = null;
    let end = pos;
    if (name === 'script' || name === 'style') {
      const closing = html.toLowerCase().indexOf(`</${name}`, pos);
      if (closing === -1) throw new Error(`unterminated <${name}> at byte ${start}`);
      text = html.slice(pos, closing);
      end = html.indexOf('>', closing) + 1;
    }
    out.push({ name, attrs, start, end, text });
    at = end;
  }
  return out;
}

/** The meta this script writes (removed first when it runs again). */
const OWN_META = /\n[ \t]*<meta http-equiv="Content-Security-Policy" content="[^"]*">/g;

/** A URL that stays on the page's origin (relative, without a scheme or host). */
const sameOrigin = (url) => !/^\s*([a-zA-Z][a-zA-Z0-9+.-]*:|\/\/|\\)/.test(url);

/**
 * Checks `html` (Trunk's index.html) and returns it with the policy meta, plus the policy's parts.
 * `files` says whether a file exists in the bundle (to recognise Trunk's loader).
 */
export function addPolicy(html, files) {
  const page = html.replace(OWN_META, '');
  const problems = [];
  const inline = [];
  for (const el of elements(page)) {
    const where = `<${el.name}> at byte ${el.start}`;
    for (const [key, value] of el.attrs) {
      if (key.startsWith('on')) problems.push(`${where} has an event-handler attribute (${key}=)`);
      if (key === 'style') problems.push(`${where} has a style= attribute`);
      if (/^\s*javascript:/i.test(value)) problems.push(`${where} has a javascript: URL in ${key}=`);
    }
    if (el.name === 'style') problems.push(`${where} is an inline <style> element`);
    if (el.name === 'meta' && /^content-security-policy/i.test(el.attrs.get('http-equiv') ?? '')) {
      problems.push(`${where} is another Content-Security-Policy meta`);
    }
    if (el.name === 'base') problems.push(`${where} is a <base> element (base-uri is 'none')`);
    for (const key of ['src', 'href']) {
      const url = el.attrs.get(key);
      if (url !== undefined && ['script', 'link', 'img', 'iframe'].includes(el.name) && !sameOrigin(url)) {
        problems.push(`${where} loads ${url} from another origin`);
      }
    }
    if (el.name === 'script') {
      if (el.attrs.has('src')) {
        if (el.text.trim() !== '') problems.push(`${where} has both src= and inline text`);
      } else {
        inline.push(el);
      }
    }
  }
  if (inline.length !== 1) {
    problems.push(`expected one inline script (Trunk's loader), found ${inline.length}`);
  }
  for (const el of inline) {
    // Trunk's default initializer: imports the .js and passes it the .wasm, both in the bundle.
    const m = /^\s*import init, \* as bindings from '\.\/([\w.-]+\.js)';\s*const wasm = await init\(\{ module_or_path: '\.\/([\w.-]+\.wasm)' \}\);\s*window\.wasmBindings = bindings;\s*dispatchEvent\(new CustomEvent\("TrunkApplicationStarted", \{detail: \{wasm\}\}\)\);\s*$/.exec(el.text);
    if (el.attrs.get('type') !== 'module' || !m) {
      problems.push(`the inline script at byte ${el.start} is not Trunk's loader:\n${el.text}`);
    } else {
      for (const file of [m[1], m[2]]) if (!files(file)) problems.push(`the loader imports ${file}, which is not in the bundle`);
    }
  }
  if (problems.length) throw new Error(`the page does not fit the policy:\n  ${problems.join('\n  ')}`);

  const hashes = inline.map((el) => sha256Source(el.text));
  const meta = render(directives(hashes));
  const header = render([...directives(hashes), ...HEADER_ONLY]);
  // Right after <meta charset> (which must stay in the first 1024 bytes), before any script.
  const charset = elements(page).find((el) => el.name === 'meta' && el.attrs.has('charset'));
  if (!charset) throw new Error('the page has no <meta charset>');
  const firstLoad = elements(page).find((el) => ['script', 'link', 'style'].includes(el.name));
  if (firstLoad && firstLoad.start < charset.end) {
    throw new Error(`<${firstLoad.name}> at byte ${firstLoad.start} comes before <meta charset>`);
  }
  const tag = `\n    <meta http-equiv="Content-Security-Policy" content="${meta}">`;
  const out = page.slice(0, charset.end) + tag + page.slice(charset.end);
  return { html: out, hashes, meta, header };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = process.argv[2] ?? 'dist';
  const index = join(dist, 'index.html');
  try {
    const { html, hashes, meta, header } = addPolicy(readFileSync(index, 'utf8'), (f) => existsSync(join(dist, f)));
    writeFileSync(index, html);
    writeFileSync(join(dist, 'content-security-policy.txt'), `Content-Security-Policy: ${header}\n`);
    console.log(`Content-Security-Policy added to ${index}`);
    console.log(`  inline script hash: ${hashes.join(' ')}`);
    console.log(`  meta:   ${meta}`);
    console.log(`  header: ${header}  (in ${join(dist, 'content-security-policy.txt')})`);
  } catch (e) {
    console.error(`scripts/csp.mjs: ${index}: ${e.message}`);
    process.exit(1);
  }
}
