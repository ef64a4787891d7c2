// One pipeline, two front ends: a row written by `crab backtranslate`, reproduced in the
// browser from its pair, its options, its key and its `seed`, gives the same composed prompt,
// the same derived constraints (ids, texts, which are combined), the same exported IFEval row and
// the same CRAB items, byte for byte. The CLI runs without `--exclude`: the browser derives key
// phrases (`crab:key_phrases`, YAKE) in the Batch bundle's worker and merges them into its
// derivation, so they are compared too (the list and the prompt are pending until they arrive).
//
// The pairs (tests/e2e/fixtures/parity-pairs.jsonl) were written for this test: English with a
// title and a postscript, German (a language constraint under IFEval's id), Turkish (outside
// IFEval's 30 codes: `crab:response_language`), a JSON object, all capitals, Hindi, a list.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { useBrowser, openPage } from './support.mjs';

const env = useBrowser();
const run = promisify(execFile);
const PAIRS = fileURLToPath(new URL('./fixtures/parity-pairs.jsonl', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Two option sets: CRAB's defaults, and every setting the panel has.
const OPTION_SETS = [
  { name: 'defaults', cli: ['--seed', '42'], ui: {} },
  {
    name: 'every setting',
    cli: [
      '--seed', '9', '--min', '2', '--max', '4', '--connector', 'numbered',
      '--template', 'labelled', '--weight', 'keywords=3', '--ifeval-only',
    ],
    ui: { min: '2', max: '4', connector: 'numbered', template: 'labelled', weights: { keywords: '3' }, ifevalOnly: true },
  },
];

/** Runs `crab backtranslate` on the pairs; returns the output lines by key (as JSON text). */
async function cli(dir, extra, format) {
  const out = join(dir, `${format}-${extra.join('_').replace(/[^a-z0-9_=-]/gi, '')}.jsonl`);
  await run(
    'cargo',
    ['run', '--quiet', '-p', 'crab-cli', '--', 'backtranslate', '--input', PAIRS, '--output', out,
      '--format', format, ...extra],
    { cwd: ROOT, maxBuffer: 1 << 26 },
  );
  return (await readFile(out, 'utf8')).split('\n').filter((l) => l !== '');
}

let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crab-parity-'));
});

/** Clicks `testid` and returns the downloaded file's text. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return readFile(await file.path(), 'utf8');
}

async function applyOptions(page, ui) {
  if (ui.connector) await page.getByTestId('connector').selectOption(ui.connector);
  if (ui.template) await page.getByTestId('template').selectOption(ui.template);
  for (const field of ['min', 'max']) {
    if (ui[field]) {
      await page.getByTestId(field).fill(ui[field]);
      await page.getByTestId(field).press('Enter');
    }
  }
  if (ui.ifevalOnly) await page.getByTestId('ifeval-only').check();
  for (const [family, weight] of Object.entries(ui.weights ?? {})) {
    await page.getByText('Priority weights by family').click();
    await page.getByTestId(`weight-${family}`).fill(weight);
    await page.getByTestId(`weight-${family}`).press('Enter');
  }
}

for (const options of OPTION_SETS) {
  test(`a CLI row's seed reproduces it in the browser, byte for byte (${options.name})`, async () => {
    const pairs = (await readFile(PAIRS, 'utf8')).split('\n').filter((l) => l).map((l) => JSON.parse(l));
    const rows = await cli(dir, options.cli, 'rows');
    const crab = await cli(dir, options.cli, 'crab');
    assert.equal(rows.length, pairs.length);
    let compared = 0;
    for (const [i, pair] of pairs.entries()) {
      const row = JSON.parse(rows[i]);
      assert.deepEqual(row.key, pair.key);
      const { page, done } = await openPage(env);
      await page.getByTestId('instruction').fill(pair.instruction);
      await page.getByTestId('response').fill(pair.response);
      await page.getByRole('tab', { name: 'Back-translate' }).click();
      await page.getByTestId('derived-row').first().waitFor();
      await applyOptions(page, options.ui);
      await page.getByTestId('row-key').fill(JSON.stringify(pair.key));
      await page.getByTestId('row-key').press('Enter');
      await page.getByTestId('seed').fill(String(row.seed));
      await page.getByTestId('seed').press('Enter');
      // The language data arrives on first need: wait until the prompt settles on the CLI's.
      await page
        .waitForFunction(
          (want) => document.querySelector('[data-testid=composed-prompt]')?.value === want,
          row.prompt,
          { timeout: 15_000 },
        )
        .catch(async () => {
          const got = await page.getByTestId('composed-prompt').inputValue();
          assert.equal(got, row.prompt, `key ${pair.key}: the composed prompt differs`);
        });

      // The worker's key phrases have arrived (nothing is pending) before anything is compared.
      await page.waitForFunction(
        () => document.querySelector('[data-testid=bt-results]')?.dataset.pending === 'false',
        null,
        { timeout: 15_000 },
      );
      assert.equal(await page.getByTestId('bt-keyphrases').textContent(), '', `key ${pair.key}: no key phrase message`);
      assert.equal(await page.getByTestId('composed-prompt').inputValue(), row.prompt, `key ${pair.key}: the composed prompt`);
      const listed = await page.getByTestId('derived-row').evaluateAll((els) =>
        els.map((e) => ({
          id: e.dataset.id,
          text: e.querySelector('[data-testid=derived-text]').textContent,
          combined: e.dataset.combined === 'true',
        })),
      );
      const expected = row.constraints.map((c) => ({ id: c.id, text: c.text, combined: c.combined }));
      assert.deepEqual(listed, expected, `key ${pair.key}: the derived constraints differ`);

      assert.equal(await download(page, 'export-ifeval'), `${rows[i]}\n`, `key ${pair.key}: IFEval row`);
      const items = crab.filter((l) => {
        const id = JSON.parse(l).id;
        return id === `${pair.key}_forward` || id === `${pair.key}_reverse`;
      });
      assert.ok(items.length >= 1);
      assert.equal(await download(page, 'export-crab'), items.map((l) => `${l}\n`).join(''), `key ${pair.key}: CRAB items`);
      compared += 1;
      await done();
    }
    assert.equal(compared, pairs.length);
    const languages = rows.flatMap((l) => JSON.parse(l).constraints.map((c) => c.id)).filter((id) => id.endsWith(':response_language'));
    assert.ok(languages.includes('language:response_language') && languages.includes('crab:response_language'), languages.join());
    // Key phrases are derived (by the worker) for several pairs, so they were compared too.
    const phrases = rows.filter((l) => JSON.parse(l).constraints.some((c) => c.id === 'crab:key_phrases'));
    assert.ok(phrases.length >= 2, `key phrases derived for ${phrases.length} pairs`);
  });
}
