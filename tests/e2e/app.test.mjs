// The shell: persistence across reloads, relative asset URLs, themes, tabs by keyboard, and the
// accessibility scan of every panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, shot, axeViolations } from './support.mjs';

const env = useBrowser();

test('typing a response updates the word count, and the text survives a reload', async () => {
  const { page, done } = await openPage(env, { viewport: { width: 1100, height: 700 } });
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
  await shot(page, 'skeleton');
  await done();
});

test('a schema-1 saved response is migrated into the session', async () => {
  const { page, done } = await openPage(env);
  await page.evaluate(() => {
    localStorage.clear();
    localStorage.setItem('crab-playground/v1/response', 'Saved by the first release.');
  });
  await page.reload();
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Response' }).inputValue(), 'Saved by the first release.');
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('crab-playground/session')));
  assert.equal(saved.version, 2);
  assert.equal(saved.response, 'Saved by the first release.');
  assert.equal(await page.evaluate(() => localStorage.getItem('crab-playground/v1/response')), null);
  await done();
});

test('an unreadable saved session is backed up, not lost, and the page says so', async () => {
  const { page, done } = await openPage(env);
  await page.evaluate(() => localStorage.setItem('crab-playground/session', '{"response": 42'));
  await page.reload();
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  await page.getByTestId('status').getByText('could not be read').waitFor();
  assert.equal(
    await page.evaluate(() => localStorage.getItem('crab-playground/unreadable-session-backup')),
    '{"response": 42',
  );
  await done();
});

test('a full storage quota shows a message and keeps the edit in the page', async () => {
  const { page, done } = await openPage(env);
  await page.evaluate(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException('quota', 'QuotaExceededError');
    };
  });
  await page.getByRole('textbox', { name: 'Response' }).fill('Kept in memory.');
  await page.getByTestId('status').getByText('full or blocked').waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Response' }).inputValue(), 'Kept in memory.');
  await done();
});

test('the favicon and stylesheet load from the sub-path', async () => {
  const { page, done } = await openPage(env);
  const icon = await page.evaluate(() => document.querySelector('link[rel=icon]')?.href ?? '');
  assert.ok(icon.startsWith(env.base), `favicon ${icon} is not under ${env.base}`);
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(font, /system-ui/);
  await done();
});

test('themes: dark follows the system, the picker forces either, and it persists', async () => {
  const { page, done } = await openPage(env, { colorScheme: 'dark' });
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const darkBg = await bg();
  await page.getByTestId('theme').selectOption('light');
  const lightBg = await bg();
  assert.notEqual(darkBg, lightBg);
  await page.reload();
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  assert.equal(await bg(), lightBg);
  await page.getByTestId('theme').selectOption('dark');
  assert.equal(await bg(), darkBg);
  await shot(page, 'theme-dark');
  await done();
});

test('tabs work from the keyboard', async () => {
  const { page, done } = await openPage(env);
  await page.getByRole('tab', { name: 'Verify' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('tab', { name: 'Back-translate' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-backtranslate');
  await page.keyboard.press('End');
  assert.equal(await page.getByRole('tab', { name: 'Batch' }).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Home');
  assert.equal(await page.getByRole('tab', { name: 'Verify' }).getAttribute('aria-selected'), 'true');
  await done();
});

for (const scheme of ['light', 'dark']) {
  test(`no serious or critical accessibility violations on any panel (${scheme})`, async () => {
    const { page, done } = await openPage(env, { colorScheme: scheme });
    for (const tab of ['Verify', 'Back-translate', 'Examples', 'Quiz', 'Batch']) {
      await page.getByRole('tab', { name: tab }).click();
      if (tab === 'Batch') await page.getByTestId('batch-view').waitFor({ timeout: 60_000 });
      const violations = await axeViolations(page);
      assert.deepEqual(violations, [], `${tab} (${scheme})`);
    }
    await done();
  });
}

// The budget for the first load: 750 KB gzip for wasm + js + css (decimal kilobytes, the
// stricter reading), raised from 600 KB for the model features (endpoints, streaming, LLM
// back-translation and judge, IFBench). BENCHMARKS.md lists what keeps it there (no `regex` crate
// in the bundle, `erase_components`, the front-coded Punkt table, language data fetched on first
// need).
const FIRST_LOAD_LIMIT = 750_000;

test('first load is within the 750 KB budget (wasm + js + css gzip; language and tagger data excluded)', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const { gzipSync } = await import('node:zlib');
  const { DIST } = await import('./support.mjs');
  assert.ok((await readdir(DIST)).some((f) => f === 'crab-batch_bg.wasm'), 'the batch bundle is built');
  // What the page really loads before use: every wasm, js and css file it requests up to the
  // point where it answers (wasm-bindgen's snippets included), measured as the files in dist/.
  const { page, done } = await openPage(env);
  const requested = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const root = new URL('.', page.url());
  const files = [...new Set(requested.filter((u) => u.startsWith(root.href)).map((u) => decodeURIComponent(new URL(u).pathname.slice(root.pathname.length))))]
    .filter((f) => /\.(wasm|js|css)$/.test(f))
    .sort();
  let total = 0;
  const sizes = [];
  for (const f of files) {
    const raw = await readFile(`${DIST}/${f}`);
    const gz = gzipSync(raw, { level: 9 }).length;
    total += gz;
    sizes.push(`${f}: ${raw.length} B raw, ${gz} B gzip`);
  }
  console.log(`first-load transfer: ${total} B gzip\n  ${sizes.join('\n  ')}`);
  assert.ok(files.some((f) => f.endsWith('.wasm')), 'the bundle has a wasm module');
  // Every top-level stylesheet and the app's own module are among them (the list is complete).
  for (const f of await readdir(DIST)) {
    const lazy = f.startsWith('crab-batch') || f === 'batch.css';
    if (/\.(wasm|js|css)$/.test(f) && !lazy) assert.ok(files.includes(f), `${f} is in dist/ but was not counted`);
  }
  assert.ok(total <= FIRST_LOAD_LIMIT, `first load is ${total} B gzip, over the ${FIRST_LOAD_LIMIT} B budget`);

  // And nothing else before use: no language or tagger data, no examples, no Batch bundle (its module, wasm,
  // worker script and stylesheet load when the Batch tab is first shown).
  for (const asset of ['lang-profiles', 'pos-tagger', 'crab-batch', 'batch.css', 'examples.json']) {
    assert.ok(!requested.some((u) => u.includes(asset)), `fetched early: ${requested.join(', ')}`);
  }
  await done();
});
