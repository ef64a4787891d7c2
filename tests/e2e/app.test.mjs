// End-to-end tests: the release bundle (dist/) in headless Chromium, driven by playwright-core.
//
// The bundle is served under a sub-path to prove that its asset URLs are relative. Every test
// fails on any console error or uncaught page error, and saves a screenshot under test-results/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

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

/** Opens a fresh page that records every console error and page error. */
async function openPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { page, problems };
}

test('typing a response updates the word count, and the text survives a reload', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  const { page, problems } = await openPage(context);
  await page.goto(base);
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  const count = page.getByTestId('word-count');
  assert.equal(await count.textContent(), '0');

  await page.getByRole('textbox', { name: 'Response' }).fill('The quick brown fox — jumps over 3.14 lazy_dogs!');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=word-count]')?.textContent === '9',
  );

  await page.reload();
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  assert.equal(
    await page.getByRole('textbox', { name: 'Response' }).inputValue(),
    'The quick brown fox — jumps over 3.14 lazy_dogs!',
  );
  assert.equal(await count.textContent(), '9');

  await page.screenshot({ path: `${OUT}/skeleton.png`, fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test('the favicon and stylesheet load from the sub-path', async () => {
  const context = await browser.newContext();
  const { page, problems } = await openPage(context);
  await page.goto(base);
  await page.getByTestId('word-count').waitFor();
  const icon = await page.evaluate(() => document.querySelector('link[rel=icon]')?.href ?? '');
  assert.ok(icon.startsWith(base), `favicon ${icon} is not under ${base}`);
  const bg = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(bg, /system-ui/);
  assert.deepEqual(problems, []);
  await context.close();
});
