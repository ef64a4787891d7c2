// The part-of-speech tagger's model (pos-tagger.bin, fetched by src/tagger.rs): shipped next to
// the app, never part of the first load, fetched when a listed constraint needs it. The verify
// panel shows the verdict as pending until the model has arrived, then decides it; a failed
// fetch is said in the row, and the verdict stays pending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useBrowser, openPage, shot, until, DIST } from './support.mjs';

const env = useBrowser();
const TAGGER = 'pos-tagger.bin';

/** The URLs of the tagger's model the page has fetched so far. */
const taggerFetches = (page) =>
  page.evaluate(
    (file) => performance.getEntriesByType('resource').map((e) => e.name).filter((u) => u.endsWith(`/${file}`)),
    TAGGER,
  );

/** Adds `words:start_verb` from the catalog; returns its row. */
async function addStartVerb(page) {
  await page.getByRole('searchbox', { name: 'Search checks' }).fill('start_verb');
  const entry = page.getByTestId('check-words:start_verb');
  await entry.locator('summary').click();
  // The catalog says the check loads the tagger's model.
  assert.match(await entry.getByTestId('needs-tagger').textContent(), /part-of-speech tagger/);
  await entry.getByRole('button', { name: /^Add/ }).click();
  return page.locator('[data-testid=constraint-row][data-id="words:start_verb"]');
}

test('the model is fetched when words:start_verb is added, and the verdict waits for it', async () => {
  const { page, done } = await openPage(env);
  const response = page.getByRole('textbox', { name: 'Response' });
  await response.fill('Take a deep breath; tomorrow is another day.');
  // Another check does not need it: nothing is fetched at first load, nor for it.
  await page.getByRole('searchbox', { name: 'Search checks' }).fill('no_comma');
  await page.getByTestId('check-punctuation:no_comma').locator('summary').click();
  await page.getByTestId('check-punctuation:no_comma').getByRole('button', { name: /^Add/ }).click();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(await taggerFetches(page), [], 'no tagger data before a check needs it');

  // Hold the model back until the pending verdict has been seen.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let requests = 0;
  await page.route(`**/${TAGGER}`, async (route) => {
    requests += 1;
    await held;
    await route.continue();
  });
  const row = await addStartVerb(page);
  assert.equal(await row.getAttribute('data-id'), 'words:start_verb');
  const badge = row.getByTestId('strict-badge');
  await until(page, () => document.querySelector('[data-id="words:start_verb"] [data-testid=strict-badge]')?.classList.contains('pending'));
  assert.equal(await row.getByTestId('row-detail').textContent(), 'part-of-speech tagger data not loaded yet');
  assert.equal(requests, 1, 'the model is requested once the check is listed');
  await shot(page, 'tagger-pending');

  release();
  await until(page, () => document.querySelector('[data-id="words:start_verb"] [data-testid=strict-badge]')?.classList.contains('pass'));
  assert.equal(await badge.textContent(), 'strict pass');
  assert.equal(await row.getByTestId('row-detail').textContent(), '`Take` is tagged VB (a verb)');

  // Decided live from now on: an imperative the tagger reads as a proper noun fails.
  await response.fill('Go home and rest.');
  await until(page, () => document.querySelector('[data-id="words:start_verb"] [data-testid=strict-badge]')?.classList.contains('fail'));
  assert.equal(await row.getByTestId('row-detail').textContent(), '`Go` is tagged NNP, not a verb');
  await shot(page, 'tagger-decided');

  // Fetched once, the file the bundle ships.
  assert.equal(requests, 1, 'the model is fetched once');
  const fetched = await taggerFetches(page);
  assert.deepEqual(fetched, [`${env.base}${TAGGER}`]);
  await page.unroute(`**/${TAGGER}`);
  const shipped = await readFile(join(DIST, TAGGER));
  const served = await page.evaluate(async (file) => {
    const bytes = new Uint8Array(await (await fetch(new URL(file, document.baseURI))).arrayBuffer());
    return { length: bytes.length, magic: Array.from(bytes.slice(0, 5)) };
  }, TAGGER);
  assert.equal(served.length, shipped.length);
  assert.deepEqual(served.magic, [...Buffer.from('CRPT\x01', 'latin1')]);
  await done();
});

test('a failed fetch is said in the row, and the verdict stays pending', async () => {
  const { page, problems, done } = await openPage(env);
  await page.route(`**/${TAGGER}`, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.getByRole('textbox', { name: 'Response' }).fill('Take a break.');
  const row = await addStartVerb(page);
  await until(page, () => /Could not load/.test(document.querySelector('[data-id="words:start_verb"] [data-testid=row-detail]')?.textContent ?? ''));
  assert.match(
    await row.getByTestId('row-detail').textContent(),
    /^Could not load the part-of-speech tagger data: HTTP 404 for .*pos-tagger\.bin\.$/,
  );
  assert.equal(await row.getByTestId('strict-badge').textContent(), 'strict pending');
  // The provoked 404 (and the browser's console line about it) are expected here.
  const provoked = (p) => p.includes(TAGGER) || /status of 404/.test(p);
  const others = problems.filter((p) => !provoked(p));
  problems.length = 0;
  problems.push(...others);
  await done();
});
