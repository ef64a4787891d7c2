// The Batch tab: whole IFEval files evaluated in the browser by the crab-batch bundle (loaded
// on first use) in a Web Worker, checked against Google's expected results and the `crab eval`
// CLI byte for byte.
//
// - GPT-4's 541 responses (../shared/data/ifeval/): the four metrics equal expected/report.txt,
//   the downloaded strict and loose files equal expected/eval_results_*.jsonl, the CSV equals
//   what `crab eval --format csv` writes (run here, at test time); chart, table, the failed-only
//   filter and a row opened in Verify. The evaluation time is logged.
// - A malformed input file: messages name the file and line; the other rows are scored; the
//   picked files stay.
// - 50,000 rows (the GPT-4 rows 93 times, distinct prompts): run to the end with the longest main-thread task
//   logged (PerformanceObserver 'longtask'), then run again and cancelled: the page stays usable
//   and keeps the rows scored so far.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { useBrowser, openPage, shot, axeViolations } from './support.mjs';

const env = useBrowser();
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const IFEVAL = '/work/shared/data/ifeval';
const INPUT = `${IFEVAL}/input_data_gpt4_20231107_145030.jsonl`;
const RESPONSES = `${IFEVAL}/input_response_data_gpt4_20231107_145030.jsonl`;

let dir;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crab-batch-'));
});

/** Opens the page on the Batch tab, with the view loaded. */
async function openBatch() {
  const opened = await openPage(env);
  await opened.page.getByRole('tab', { name: 'Batch' }).click();
  await opened.page.getByTestId('batch-view').waitFor({ timeout: 60_000 });
  return opened;
}

/** Picks the files and runs; waits for the run to end (or for `status`). */
async function evaluate(page, input, responses, { status = 'done', timeout = 120_000 } = {}) {
  await page.getByTestId('batch-input').setInputFiles(input);
  await page.getByTestId('batch-input-name').filter({ hasText: 'Loaded' }).waitFor();
  if (responses) {
    await page.getByTestId('batch-responses').setInputFiles(responses);
    await page.getByTestId('batch-responses-name').filter({ hasText: 'Loaded' }).waitFor();
  }
  await page.getByTestId('batch-run').click();
  await page.locator(`[data-testid="batch-status"][data-status="${status}"]`).waitFor({ state: 'attached', timeout });
}

/** Clicks `testid` and returns the downloaded file's name and text. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

/** The four headline numbers of Google's report (strict prompt, instruction; loose ...). */
async function expectedMetrics() {
  const report = await readFile(`${IFEVAL}/expected/report.txt`, 'utf8');
  const grab = (name) => [...report.matchAll(new RegExp(`^${name}: (\\S+)$`, 'gm'))].map((m) => m[1]);
  const [promptStrict, promptLoose] = grab('prompt-level');
  const [instructionStrict, instructionLoose] = grab('instruction-level');
  return { promptStrict, instructionStrict, promptLoose, instructionLoose };
}

test('GPT-4 responses: Google metrics, byte-identical exports and CSV, chart, table, open in Verify', async () => {
  const { page, done } = await openBatch();
  // The bundle was not loaded before the tab was shown (app.test.mjs checks the first load).
  await evaluate(page, INPUT, RESPONSES);
  const ms = Number(await page.getByTestId('batch-status').getAttribute('data-elapsed-ms'));
  const scoring = Number(await page.getByTestId('batch-status').getAttribute('data-scoring-ms'));
  console.log(`batch: 541 GPT-4 rows evaluated in ${ms} ms in the worker (of which scoring ${scoring} ms; the rest reads the files and fetches and parses the language data), headless Chromium`);
  assert.match(await page.getByTestId('batch-count').textContent(), /541 \/ 541 rows/);

  const expected = await expectedMetrics();
  const shown = {};
  for (const [key, id] of [
    ['promptStrict', 'prompt-strict'], ['instructionStrict', 'instruction-strict'],
    ['promptLoose', 'prompt-loose'], ['instructionLoose', 'instruction-loose'],
  ]) {
    shown[key] = await page.getByTestId(`metric-${id}-exact`).textContent();
    assert.ok((await page.getByTestId(`metric-${id}`).textContent()).length > 40, 'each metric has its definition');
  }
  assert.deepEqual(shown, expected);

  // Google's two files, byte for byte.
  for (const [testid, file] of [['export-strict', 'eval_results_strict.jsonl'], ['export-loose', 'eval_results_loose.jsonl']]) {
    const got = await download(page, testid);
    assert.equal(got.name, file);
    assert.ok(got.text === (await readFile(`${IFEVAL}/expected/${file}`, 'utf8')), `${file} differs from Google's`);
  }
  // The CSV equals the CLI's, produced now.
  const out = join(dir, 'cli');
  await run('cargo', ['run', '--quiet', '-p', 'crab-cli', '--', 'eval', '--input-data', INPUT, '--responses', RESPONSES,
    '--output-dir', out, '--format', 'csv'], { cwd: ROOT, maxBuffer: 1 << 26 });
  const csv = await download(page, 'export-csv');
  assert.equal(csv.name, 'eval_results.csv');
  assert.ok(csv.text === (await readFile(join(out, 'eval_results.csv'), 'utf8')), 'the CSV differs from crab eval --format csv');

  // Charts: one bar row per family (9) and per id (25).
  assert.equal(await page.getByTestId('chart-families').locator('g.bar-row').count(), 9);
  assert.equal(await page.getByTestId('chart-ids').locator('g.bar-row').count(), 25);
  assert.equal(await page.locator('[data-testid="chart-families"] g[data-name="punctuation"] rect').count(), 2);

  // The table: 200 of 541 shown; failed only = prompts not all followed strictly (541 - 417).
  assert.match(await page.getByTestId('table-count').textContent(), /^541 of 541 rows match/);
  await page.getByTestId('filter-failed').check();
  const failed = 541 - Math.round(Number(expected.promptStrict) * 541);
  assert.match(await page.getByTestId('table-count').textContent(), new RegExp(`^${failed} of 541 rows match`));
  const strictFlags = await page.getByTestId('batch-row').evaluateAll((rows) => rows.map((r) => r.dataset.strict));
  assert.ok(strictFlags.length > 0 && strictFlags.every((s) => s === 'false'), strictFlags.join());
  await page.getByTestId('filter-id').selectOption('punctuation:no_comma');
  const withId = await page.getByTestId('batch-row').evaluateAll((rows) => rows.map((r) => r.textContent));
  assert.ok(withId.length > 0 && withId.every((t) => t.includes('punctuation:no_comma')));
  await page.getByTestId('filter-id').selectOption('');
  await page.getByTestId('filter-failed').uncheck();
  await page.getByTestId('filter-search').fill('limerick');
  const searched = await page.getByTestId('batch-row').count();
  assert.ok(searched > 0 && searched < 541, `${searched} rows mention a limerick`);
  await page.getByTestId('filter-search').fill('');
  // Sorting by key (ascending, then descending).
  await page.getByTestId('sort-key').click();
  await page.getByTestId('sort-key').click();
  const keys = await page.getByTestId('batch-row').evaluateAll((rows) => rows.slice(0, 3).map((r) => r.children[1].textContent));
  assert.deepEqual(keys, [...keys].sort().reverse());
  await shot(page, 'batch-gpt4');
  assert.deepEqual(await axeViolations(page), [], 'the Batch view with results');
  // The view has the page's whole width: the editors step aside while the tab is shown.
  assert.equal(await page.getByTestId('response').isVisible(), false);
  const width = await page.getByTestId('batch-view').evaluate((el) => el.getBoundingClientRect().width / window.innerWidth);
  assert.ok(width > 0.85, `the Batch view is ${width.toFixed(2)} of the window's width`);

  // A row opens in Verify with its prompt, constraints and response.
  await page.getByTestId('sort-key').click();
  const first = page.getByTestId('batch-row').first();
  const line = Number(await first.getAttribute('data-line'));
  await first.getByTestId('open-row').click();
  assert.equal(await page.getByRole('tab', { name: 'Verify' }).getAttribute('aria-selected'), 'true');
  assert.ok(await page.getByTestId('response').isVisible(), 'the editors are back beside the Verify tab');
  const inputLines = (await readFile(INPUT, 'utf8')).split('\n');
  const row = JSON.parse(inputLines[line - 1]);
  assert.equal(await page.getByTestId('instruction').inputValue(), row.prompt);
  assert.equal(await page.getByTestId('constraint-row').count(), row.instruction_id_list.length);
  const response = (await readFile(RESPONSES, 'utf8')).split('\n').filter((l) => l).map((l) => JSON.parse(l))
    .find((r) => r.prompt === row.prompt).response;
  assert.equal(await page.getByTestId('response').inputValue(), response);
  // Back on the Batch tab, the run is still there.
  await page.getByRole('tab', { name: 'Batch' }).click();
  assert.match(await page.getByTestId('batch-count').textContent(), /541 \/ 541 rows/);
  await done();
});

test('a malformed file: the messages name file and line, the other rows are scored, nothing is lost', async () => {
  const lines = (await readFile(INPUT, 'utf8')).split('\n').filter((l) => l).slice(0, 10);
  lines[2] = '{"key": 1, "prompt": '; // line 3: not JSON
  lines[5] = lines[5].replace(/"instruction_id_list": \[/, '"instruction_id_list": ["no:such_id", '); // line 6
  const input = join(dir, 'bad-input.jsonl');
  await writeFile(input, `${lines.join('\n')}\n`);
  const { page, done } = await openBatch();
  await evaluate(page, input, RESPONSES);
  const problems = await page.getByTestId('batch-problems').locator('li').allTextContents();
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.match(problems[0], /^bad-input\.jsonl:3: not valid JSON/);
  assert.match(problems[1], /^bad-input\.jsonl:6: /);
  assert.match(await page.getByTestId('batch-count').textContent(), /10 \/ 10 rows/);
  assert.match(await page.getByTestId('table-count').textContent(), /^8 of 8 rows match/);
  assert.match(await page.getByTestId('batch-input-name').textContent(), /bad-input\.jsonl/);
  await done();
});

test('one file whose rows carry their response (as crab backtranslate writes), dropped; markup stays text', async () => {
  const rows = [
    { key: 1, prompt: 'Say <b>hi</b> <img src=x id=injected>', instruction_id_list: ['punctuation:no_comma'], kwargs: [{}], response: '<b>hi</b> there' },
    { key: 2, prompt: 'Write two words.', instruction_id_list: ['length_constraints:number_words'], kwargs: [{ relation: 'less than', num_words: 3 }], response: 'Two words' },
    { key: 3, prompt: 'No response here.', instruction_id_list: ['punctuation:no_comma'], kwargs: [{}] },
  ];
  const file = join(dir, 'pairs.jsonl');
  await writeFile(file, rows.map((r) => JSON.stringify(r)).join('\n'));
  const { page, done } = await openBatch();
  // Dropped on the input zone rather than picked.
  const text = await readFile(file, 'utf8');
  const transfer = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'pairs.jsonl', { type: 'application/jsonl' }));
    return dt;
  }, text);
  await page.getByTestId('batch-input-zone').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.getByTestId('batch-input-zone').dispatchEvent('drop', { dataTransfer: transfer });
  await page.getByTestId('batch-input-name').filter({ hasText: 'Loaded: pairs.jsonl' }).waitFor();
  await page.getByTestId('batch-run').click();
  await page.locator('[data-testid="batch-status"][data-status="done"]').waitFor({ state: 'attached' });
  assert.match(await page.getByTestId('table-count').textContent(), /^2 of 2 rows match/);
  const problems = await page.getByTestId('batch-problems').locator('li').allTextContents();
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^pairs\.jsonl:3: key 3: no `response` field/);
  assert.equal(await page.getByTestId('metric-prompt-strict-exact').textContent(), '1.0');
  const cell = page.getByTestId('batch-row').first().locator('td.prompt');
  assert.equal(await cell.textContent(), rows[0].prompt);
  assert.equal(await page.locator('#injected').count(), 0, 'markup in the data became an element');
  await page.getByTestId('batch-row').first().getByTestId('open-row').click();
  assert.equal(await page.getByTestId('response').inputValue(), rows[0].response);
  await done();
});

test('50,000 rows (the GPT-4 rows 93 times): steady progress, the longest main-thread task, and Cancel', async () => {
  const inputs = (await readFile(INPUT, 'utf8')).split('\n').filter((l) => l).map((l) => JSON.parse(l));
  const responses = (await readFile(RESPONSES, 'utf8')).split('\n').filter((l) => l).map((l) => JSON.parse(l));
  const big = [];
  const bigResponses = [];
  const copies = Math.ceil(50_000 / inputs.length); // 93: 50,313 rows
  for (let copy = 0; copy < copies; copy++) {
    for (const row of inputs) big.push(JSON.stringify({ ...row, key: row.key + 100_000 * copy, prompt: `[copy ${copy}] ${row.prompt}` }));
    for (const r of responses) bigResponses.push(JSON.stringify({ prompt: `[copy ${copy}] ${r.prompt}`, response: r.response }));
  }
  const input = join(dir, 'big-input.jsonl');
  const responseFile = join(dir, 'big-responses.jsonl');
  await writeFile(input, `${big.join('\n')}\n`);
  await writeFile(responseFile, `${bigResponses.join('\n')}\n`);
  const total = big.length;

  const { page, done } = await openBatch();
  await page.evaluate(() => {
    window.__longest = 0;
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__longest = Math.max(window.__longest, e.duration);
        window.__long.push(`${Math.round(e.startTime)}+${Math.round(e.duration)}`);
      }
    }).observe({ type: 'longtask', buffered: false });
  });
  // To the end: progress moves steadily.
  const start = Date.now();
  await page.getByTestId('batch-input').setInputFiles(input);
  await page.getByTestId('batch-input-name').filter({ hasText: 'Loaded' }).waitFor();
  await page.getByTestId('batch-responses').setInputFiles(responseFile);
  await page.getByTestId('batch-responses-name').filter({ hasText: 'Loaded' }).waitFor();
  await page.evaluate(() => { window.__longest = 0; window.__long = []; window.__t0 = performance.now(); });
  await page.getByTestId('batch-run').click();
  const seen = new Set();
  while ((await page.getByTestId('batch-status').getAttribute('data-status')) === 'running') {
    seen.add(await page.getByTestId('batch-progress').getAttribute('value'));
    await page.waitForTimeout(250);
    assert.ok(Date.now() - start < 600_000, 'the large run takes too long');
  }
  assert.equal(await page.getByTestId('batch-status').getAttribute('data-status'), 'done');
  const ms = Number(await page.getByTestId('batch-status').getAttribute('data-elapsed-ms'));
  const longest = await page.evaluate(() => window.__longest);
  const tasks = await page.evaluate(() => `run started at ${Math.round(window.__t0)}; long tasks (start+ms): ${window.__long.join(', ')}`);
  console.log(`batch: ${total} rows evaluated in ${ms} ms; ${seen.size} distinct progress values seen; longest main-thread task ${longest} ms\n  ${tasks}`);
  assert.ok(seen.size >= 5, `progress was not steady: ${[...seen].join(', ')}`);
  assert.match(await page.getByTestId('batch-count').textContent(), new RegExp(`${total} / ${total} rows`));

  // Again, cancelled: the page answers, the rows so far are kept.
  await page.getByTestId('batch-run').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="batch-progress"]').getAttribute('value')) > 1000);
  await page.getByTestId('batch-cancel').click();
  await page.locator('[data-testid="batch-status"][data-status="cancelled"]').waitFor({ state: 'attached' });
  const count = await page.getByTestId('batch-count').textContent();
  const scored = Number(count.split(' / ')[0]);
  assert.ok(scored > 0 && scored < total, count);
  await page.waitForTimeout(500);
  assert.equal(await page.getByTestId('batch-count').textContent(), count, 'progress moved after Cancel');
  assert.match(await page.getByTestId('table-count').textContent(), / rows match/);
  await page.getByRole('tab', { name: 'Verify' }).click();
  await page.getByTestId('instruction').fill('Still answering.');
  assert.equal(await page.getByTestId('instruction').inputValue(), 'Still answering.');
  await done();
});

test('compare: a run kept as the baseline against a second response file, side by side', async () => {
  // The second "model": the first 20 responses emptied, so those prompts follow nothing.
  const responseRows = (await readFile(RESPONSES, 'utf8')).split('\n').filter((l) => l).map((l) => JSON.parse(l));
  const emptied = new Set(responseRows.slice(0, 20).map((r) => r.prompt));
  const second = join(dir, 'second-responses.jsonl');
  await writeFile(second, responseRows.map((r, i) => JSON.stringify({ ...r, response: i < 20 ? '' : r.response })).join('\n'));
  const followedBefore = async (file) => (await readFile(`${IFEVAL}/expected/${file}`, 'utf8')).split('\n').filter((l) => l)
    .map((l) => JSON.parse(l)).filter((r) => emptied.has(r.prompt) && r.follow_all_instructions).length;
  const strictLost = await followedBefore('eval_results_strict.jsonl');
  const looseLost = await followedBefore('eval_results_loose.jsonl');

  const { page, done } = await openBatch();
  await evaluate(page, INPUT, RESPONSES);
  await page.getByTestId('keep-baseline').click();
  assert.match(await page.getByTestId('baseline-name').textContent(), /input_response_data_gpt4/);
  await page.getByTestId('batch-responses').setInputFiles(second);
  await page.getByTestId('batch-responses-name').filter({ hasText: 'second-responses' }).waitFor();
  await page.getByTestId('batch-run').click();
  await page.locator('[data-testid="batch-status"][data-status="done"]').waitFor({ state: 'attached', timeout: 120_000 });
  await page.getByTestId('batch-compare').waitFor();
  assert.equal(await page.getByTestId('flips-strict-no-longer').textContent(), `${strictLost} no longer followed`);
  assert.equal(await page.getByTestId('flips-strict-now').textContent(), '0 now followed');
  assert.equal(await page.getByTestId('flips-loose-no-longer').textContent(), `${looseLost} no longer followed`);
  const strictRow = await page.getByTestId('compare-prompt-strict').locator('td').allTextContents();
  const pct = (followed) => (100 * (followed / 541)).toFixed(1);
  assert.ok(strictLost > 0);
  assert.deepEqual(strictRow, [`${pct(417)}%`, `${pct(417 - strictLost)}%`, `${(100 * ((417 - strictLost) / 541 - 417 / 541)).toFixed(1)} pt`]);
  assert.ok((await page.getByTestId('compare-ids').locator('tbody tr').count()) > 0);
  await shot(page, 'batch-compare');
  assert.deepEqual(await axeViolations(page), [], 'the comparison');

  // A run of other rows is not compared with it.
  const lines = (await readFile(INPUT, 'utf8')).split('\n').filter((l) => l).slice(0, 10);
  const ten = join(dir, 'ten-input.jsonl');
  await writeFile(ten, `${lines.join('\n')}\n`);
  await evaluate(page, ten, null);
  assert.match(await page.getByTestId('compare-error').textContent(), /cannot be compared: the earlier run has 541 rows and this run 10/);
  await done();
});

test('runs kept in IndexedDB: listed, reopened after a reload, deleted; a full store is a message', async () => {
  const lines = (await readFile(INPUT, 'utf8')).split('\n').filter((l) => l).slice(0, 10);
  const ten = join(dir, 'kept-input.jsonl');
  await writeFile(ten, `${lines.join('\n')}\n`);
  const { page, done } = await openBatch();
  await evaluate(page, ten, RESPONSES);
  const metric = await page.getByTestId('metric-prompt-strict-exact').textContent();
  const strict = await download(page, 'export-strict');
  await page.getByTestId('keep-run').click();
  await page.getByTestId('kept-message').filter({ hasText: 'Kept input_response_data_gpt4' }).waitFor();
  assert.equal(await page.getByTestId('kept-run').count(), 1);

  await page.reload();
  await page.getByRole('tab', { name: 'Batch' }).click();
  await page.getByTestId('kept-run').first().waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('kept-run').textContent(), /input_response_data_gpt4_20231107_145030\.jsonl — 10 rows/);
  await page.getByTestId('reopen-run').click();
  await page.locator('[data-testid="batch-status"][data-status="done"]').waitFor({ state: 'attached' });
  assert.match(await page.getByTestId('table-count').textContent(), /^10 of 10 rows match/);
  assert.equal(await page.getByTestId('metric-prompt-strict-exact').textContent(), metric);
  assert.ok((await download(page, 'export-strict')).text === strict.text, 'the reopened run exports the same file');

  await page.getByTestId('delete-run').click();
  await page.getByTestId('kept-message').filter({ hasText: 'Deleted' }).waitFor();
  assert.equal(await page.getByTestId('kept-run').count(), 0);
  await page.reload();
  await page.getByRole('tab', { name: 'Batch' }).click();
  await page.getByTestId('batch-view').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('kept-run').count(), 0);

  // A full store (the browser's quota error, provoked) is a message; the run stays on the page.
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function () { throw new DOMException('quota', 'QuotaExceededError'); };
  });
  await page.reload();
  await page.getByRole('tab', { name: 'Batch' }).click();
  await page.getByTestId('batch-view').waitFor({ timeout: 60_000 });
  await evaluate(page, ten, RESPONSES);
  await page.getByTestId('keep-run').click();
  await page.getByTestId('kept-message').filter({ hasText: 'storage is full' }).waitFor();
  assert.match(await page.getByTestId('table-count').textContent(), /^10 of 10 rows match/);
  await done();
});
