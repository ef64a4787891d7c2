// Shared set-up for the end-to-end tests: serve the release bundle (dist/) under a sub-path,
// launch headless Chromium, open pages that record every console error, failed request, HTTP
// error and Content-Security-Policy violation, save screenshots, and run the axe-core
// accessibility scan.
//
// Each flow lives in its own `*.test.mjs` file and calls `useBrowser()` once at the top.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

const require = createRequire(import.meta.url);
export const DIST = process.env.DIST ?? 'dist';
export const OUT = process.env.TEST_OUTPUT ?? 'test-results/e2e';
export const PREFIX = '/some/sub/path/';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * Starts the server and the browser for this test file; returns a handle filled in `before`.
 * `headers` are sent with every response (the CSP test serves the policy's header form).
 */
export function useBrowser({ headers } = {}) {
  const env = { browser: null, server: null, base: null };
  before(async () => {
    await mkdir(OUT, { recursive: true });
    env.server = await serve(DIST, { prefix: PREFIX, headers });
    env.base = `http://127.0.0.1:${env.server.address().port}${PREFIX}`;
    env.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  after(async () => {
    await env.browser?.close();
    env.server?.close();
  });
  return env;
}

/**
 * Opens a fresh context and page (empty storage) that records every console error, page error,
 * failed request and HTTP error status in `problems`, and every Content-Security-Policy
 * violation the page reports in `violations` (the bundle carries the policy: scripts/csp.mjs).
 * Call `done()` at the end of the test: it asserts there were none and closes the context.
 * `bypassCSP` turns the policy off, for tests that must see what the app alone does.
 * `expectErrorsFrom` lists origins (test LLM servers) whose failures the test provokes on
 * purpose: the browser's own console messages and failed requests about them are not problems.
 */
export async function openPage(
  env,
  { viewport = { width: 1280, height: 860 }, colorScheme = 'light', url, bypassCSP = false, expectErrorsFrom = [] } = {},
) {
  const expected = (u) => expectErrorsFrom.some((o) => (u ?? '').startsWith(o));
  const context = await env.browser.newContext({ viewport, colorScheme, bypassCSP });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.base).origin });
  const violations = await recordViolations(context);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    const about = msg.location()?.url ?? '';
    const provoked = expected(about) || expectErrorsFrom.some((o) => msg.text().includes(o));
    if (msg.type() === 'error' && provoked) return;
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    else if (/Content.Security.Policy/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A request cut short by the test navigating (reload, new URL) is not a failure.
    if (req.failure()?.errorText === 'net::ERR_ABORTED' || expected(req.url())) return;
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400 && !expected(res.url())) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(url ?? env.base);
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  const done = async () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(violations, [], 'Content-Security-Policy violations');
    await context.close();
  };
  return { context, page, problems, violations, done };
}

/**
 * Collects the `securitypolicyviolation` events of every page and frame of `context` into the
 * returned array (it survives reloads and navigations). The listener is an init script, so it is
 * in place before the page's first script runs; it reports through a binding, which the page's
 * policy does not govern.
 */
export async function recordViolations(context) {
  const violations = [];
  await context.exposeBinding('__crabCspViolation', ({ frame }, v) => violations.push({ ...v, page: frame.url() }));
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) =>
        window.__crabCspViolation({
          directive: e.effectiveDirective,
          blocked: e.blockedURI,
          source: e.sourceFile,
          line: e.lineNumber,
          disposition: e.disposition,
        }),
      true,
    );
  });
  return violations;
}

/** Saves a full-page screenshot as OUT/<name>.png. */
export async function shot(page, name) {
  // From the top: the editors column is sticky, so a page scrolled down would show it stuck
  // wherever the scroll left it in a full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
}

let axeSource = null;

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function axeViolations(page) {
  // Evaluated through the DevTools protocol: `addScriptTag` would insert an inline <script>,
  // which the page's Content-Security-Policy rightly refuses.
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')})`);
}

/** Waits until `fn` (run in the page) returns a truthy value. */
export async function until(page, fn, arg) {
  await page.waitForFunction(fn, arg, { timeout: 10_000 });
}
