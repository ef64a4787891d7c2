// The language-detection profiles in the release bundle (dist/): shipped next to the app as
// lang-profiles.bin, reachable relative to the page under a sub-path (where src/lang.rs fetches
// them), and never downloaded by the first load. The app does not request them from its UI yet
// (no language constraint can be added); when it does, the loading flow belongs here too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { recordViolations } from './support.mjs';

const DIST = process.env.DIST ?? 'dist';
const OUT = process.env.TEST_OUTPUT ?? 'test-results/e2e';
const PREFIX = '/some/sub/path/';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

let server;
let browser;
let base;

before(async () => {
  await mkdir(OUT, { recursive: true });
  server = await serve(DIST, { prefix: PREFIX });
  base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  server?.close();
});

test('the language profiles ship in the bundle and are not part of the first load', async () => {
  const context = await browser.newContext();
  const violations = await recordViolations(context);
  const page = await context.newPage();
  const problems = [];
  const requested = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (req) => requested.push(req.url()));

  await page.goto(base);
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  await page.getByRole('textbox', { name: 'Response' }).fill('Ceci est une réponse en français.');
  await page.waitForLoadState('networkidle');
  const profiles = requested.filter((url) => url.endsWith('lang-profiles.bin'));
  assert.deepEqual(profiles, [], 'the first load must not download the language profiles');

  // Where src/lang.rs looks: relative to document.baseURI.
  const fetched = await page.evaluate(async () => {
    const url = new URL('lang-profiles.bin', document.baseURI).href;
    const res = await fetch(url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { url, status: res.status, length: bytes.length, magic: Array.from(bytes.slice(0, 5)) };
  });
  const shipped = await readFile(join(DIST, 'lang-profiles.bin'));
  assert.equal(fetched.url, `${base}lang-profiles.bin`);
  assert.equal(fetched.status, 200);
  assert.equal(fetched.length, shipped.length);
  assert.deepEqual(fetched.magic, [...Buffer.from('CRLP\x02', 'latin1')]);

  await page.screenshot({ path: `${OUT}/lang-profiles.png` });
  assert.deepEqual(problems, []);
  assert.deepEqual(violations, [], 'Content-Security-Policy violations');
  await context.close();
});
