// The Verify flow: live verdicts with evidence highlighted in the response, the catalog (search,
// parameters, add), the IFEval row loader (good and bad rows), conflict warnings, and a
// 10,000-word response with 10 constraints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useBrowser, openPage, shot, axeViolations, until } from './support.mjs';
import { longResponse, TEN_CONSTRAINTS_ROW } from './fixtures/long-session.mjs';

const env = useBrowser();

/** Searches the catalog, opens the check `id` and returns its entry. */
async function openCheck(page, query, id) {
  await page.getByRole('searchbox', { name: 'Search checks' }).fill(query);
  const entry = page.getByTestId(`check-${id}`);
  await entry.locator('summary').click();
  return entry;
}

/** The rows of the constraint list. */
const rows = (page) => page.getByTestId('constraint-row');

/** The texts of the backdrop's marks. */
const marks = (page) => page.getByTestId('response-backdrop').locator('mark').allTextContents();

test('verify with highlighting: the commas are marked, and removing them passes live', async () => {
  const { page, done } = await openPage(env);
  const response = page.getByRole('textbox', { name: 'Response' });
  // Three commas, written so.
  await response.fill('Apples, pears, and plums, all ripe today.');

  const entry = await openCheck(page, 'no_comma', 'punctuation:no_comma');
  assert.equal(await page.getByTestId('catalog-count').textContent(), '1 check');
  await entry.getByRole('button', { name: /^Add/ }).click();

  const row = rows(page).first();
  assert.equal(await rows(page).count(), 1);
  assert.equal(await row.getAttribute('data-id'), 'punctuation:no_comma');
  assert.equal(await row.getByTestId('strict-badge').textContent(), 'strict fail');
  assert.equal(await row.getByTestId('row-detail').textContent(), '3 commas');
  assert.equal(await page.getByTestId('verify-summary').textContent(), '0 of 1 pass strict · 0 of 1 loose');

  // Deselect, then select with the keyboard: exactly the three commas are marked.
  const main = row.locator('.row-main');
  await main.click();
  assert.equal(await main.getAttribute('aria-pressed'), 'false');
  assert.deepEqual(await marks(page), []);
  await main.focus();
  await page.keyboard.press('Enter');
  assert.equal(await main.getAttribute('aria-pressed'), 'true');
  assert.deepEqual(await marks(page), [',', ',', ',']);
  assert.equal(await page.getByTestId('mark-count').textContent(), '3 marks');
  // The backdrop holds the same text as the textarea, so the marks sit under the commas.
  assert.equal(
    await page.getByTestId('response-backdrop').textContent(),
    await response.inputValue(),
  );
  await shot(page, 'verify-highlight');

  // Edit the response while the constraint is selected: the verdict follows live.
  await response.fill('Apples and pears and plums, all ripe today.');
  await until(page, () => document.querySelectorAll('[data-testid=response-backdrop] mark').length === 1);
  await response.fill('Apples and pears and plums are all ripe today.');
  await until(page, () => document.querySelector('[data-testid=strict-badge]')?.textContent === 'strict pass');
  assert.equal(await row.getByTestId('row-detail').textContent(), 'no commas');
  assert.deepEqual(await marks(page), []);
  assert.equal(await page.getByTestId('verify-summary').textContent(), '1 of 1 pass strict · 1 of 1 loose');

  await page.getByTestId('clear-highlight').click();
  assert.equal(await page.getByTestId('mark-info').textContent(), '');
  await done();
});

test('catalog: search, set parameters, add; the verdict matches a text of known length; edit and remove', async () => {
  const { page, done } = await openPage(env);
  // Twelve words, by construction.
  await page.getByRole('textbox', { name: 'Response' }).fill(
    'one two three four five six seven eight nine ten eleven twelve',
  );
  await page.getByRole('searchbox', { name: 'Search checks' }).fill('words');
  const count = Number((await page.getByTestId('catalog-count').textContent()).split(' ')[0]);
  assert.ok(count >= 2, `searching "words" finds the word checks (got ${count})`);
  const visibleIds = await page.locator('.check:visible').evaluateAll((els) => els.map((e) => e.dataset.testid));
  assert.equal(visibleIds.length, count);
  assert.ok(visibleIds.includes('check-length_constraints:number_words'));

  const entry = page.getByTestId('check-length_constraints:number_words');
  await entry.locator('summary').click();
  await entry.getByLabel('relation').selectOption('less than');
  await entry.getByLabel('num_words').fill('10');
  await entry.getByRole('button', { name: /^Add/ }).click();

  const row = rows(page).first();
  assert.equal(await row.getByTestId('row-detail').textContent(), '12 words; needs less than 10');
  assert.equal(await row.getByTestId('strict-badge').textContent(), 'strict fail');
  assert.match(await row.locator('.row-params').textContent(), /num_words: 10/);

  // A value the library refuses is shown with its message, inline; the catalog adds nothing.
  await entry.getByLabel('num_words').fill('-1');
  await entry.getByRole('button', { name: /^Add/ }).click();
  assert.match(await entry.getByTestId('check-error').textContent(), /num_words.*at least 0/);
  assert.equal(await rows(page).count(), 1);
  await shot(page, 'verify-catalog');

  // Edit the listed constraint: the verdict follows, and a bad value keeps the typed text.
  await row.getByTestId('edit-constraint').click();
  const form = row.getByTestId('row-form');
  await form.getByLabel('num_words').fill('13');
  await until(page, () => document.querySelector('[data-testid=row-detail]')?.textContent === '12 words; needs less than 13');
  assert.equal(await row.getByTestId('strict-badge').textContent(), 'strict pass');
  await form.getByLabel('num_words').fill('-3');
  await until(page, () => /at least 0, got -3/.test(document.querySelector('[data-testid=row-detail]')?.textContent ?? ''));
  assert.equal(await row.getByTestId('strict-badge').textContent(), 'strict invalid');
  assert.equal(await form.getByLabel('num_words').inputValue(), '-3');
  await form.getByLabel('num_words').fill('12');
  await until(page, () => document.querySelector('[data-testid=strict-badge]')?.textContent === 'strict fail');

  await row.getByTestId('remove-constraint').click();
  assert.equal(await rows(page).count(), 0);
  await done();
});

const GOOD_ROW = {
  key: 1000,
  prompt: 'Write a short note about the harvest. Do not use commas.',
  instruction_id_list: ['punctuation:no_comma', 'length_constraints:number_words', 'keywords:existence'],
  kwargs: [{}, { relation: 'at least', num_words: 5, num_sentences: null }, { keywords: ['harvest'] }],
};

test('IFEval row paste: a good row loads; malformed JSON and an unknown id change nothing', async () => {
  const { page, done } = await openPage(env);
  const response = page.getByRole('textbox', { name: 'Response' });
  await response.fill('The harvest came in early this year.');
  await page.getByRole('textbox', { name: 'Instruction' }).fill('Old instruction');
  await page.getByTestId('row-paste').locator('summary').click();
  const box = page.getByLabel('input row (JSON)');

  await box.fill(JSON.stringify(GOOD_ROW));
  await page.getByTestId('load-row').click();
  assert.equal(await page.getByRole('textbox', { name: 'Instruction' }).inputValue(), GOOD_ROW.prompt);
  assert.equal(await response.inputValue(), 'The harvest came in early this year.');
  assert.deepEqual(
    await rows(page).evaluateAll((els) => els.map((e) => e.dataset.id)),
    GOOD_ROW.instruction_id_list,
  );
  // The response has no comma, seven words and the keyword: all three hold.
  assert.equal(await page.getByTestId('verify-summary').textContent(), '3 of 3 pass strict · 3 of 3 loose');
  await shot(page, 'verify-row-paste');

  // Malformed JSON: the message names the place, nothing changes, the text stays.
  const broken = '{"key": 1, "prompt": "x", "instruction_id_list": [}';
  await box.fill(broken);
  await page.getByTestId('load-row').click();
  assert.match(await page.getByTestId('row-error').textContent(), /not valid JSON.*line 1 column \d+/);
  assert.equal(await box.inputValue(), broken);
  assert.equal(await page.getByRole('textbox', { name: 'Instruction' }).inputValue(), GOOD_ROW.prompt);
  assert.equal(await rows(page).count(), 3);

  // An unknown id: the message names it; nothing changes.
  const unknown = JSON.stringify({ ...GOOD_ROW, key: 7, prompt: 'New', instruction_id_list: ['punctuation:no_semicolon'], kwargs: [{}] });
  await box.fill(unknown);
  await page.getByTestId('load-row').click();
  assert.match(await page.getByTestId('row-error').textContent(), /key 7: unknown instruction id `punctuation:no_semicolon`/);
  assert.equal(await page.getByRole('textbox', { name: 'Instruction' }).inputValue(), GOOD_ROW.prompt);
  assert.equal(await rows(page).count(), 3);

  // A bad parameter names the id and the field.
  const badKwargs = JSON.stringify({ ...GOOD_ROW, kwargs: [{}, { relation: 'more than', num_words: 5 }, { keywords: ['x'] }] });
  await box.fill(badKwargs);
  await page.getByTestId('load-row').click();
  assert.match(await page.getByTestId('row-error').textContent(), /length_constraints:number_words: parameter `relation`/);
  assert.equal(await rows(page).count(), 3);
  await done();
});

/** Row `key` of IFBench's test set, as written there (string key, floats, every key with null). */
function ifbenchRow(key) {
  const lines = readFileSync('/work/shared/data/ifbench/IFBench_test.jsonl', 'utf8').split('\n');
  return lines.find((l) => l.startsWith(`{"key": "${key}",`));
}

test('IFBench row paste: the row loads as written (string key, floats, nulls) and verifies live; a bad parameter is named', async () => {
  const { page, done } = await openPage(env);
  await page.getByTestId('row-paste').locator('summary').click();
  const box = page.getByLabel('input row (JSON)');
  // Key 46: count:word_count_range with 90.0 and 100.0, format:list with sep "!?!?", every other
  // kwargs key null.
  const row = ifbenchRow(46);
  await box.fill(row);
  await page.getByTestId('load-row').click();
  assert.equal(await page.getByTestId('row-error').textContent(), '');
  assert.equal(await page.getByRole('textbox', { name: 'Instruction' }).inputValue(), JSON.parse(row).prompt);
  assert.deepEqual(
    await rows(page).evaluateAll((els) => els.map((e) => e.dataset.id)),
    ['count:word_count_range', 'format:list'],
  );
  const items = Array.from({ length: 95 }, (_, i) => `w${i}`);
  const response = page.getByRole('textbox', { name: 'Response' });
  await response.fill(`!?!? ${items.slice(0, 50).join(' ')}\n!?!? ${items.slice(50).join(' ')}`);
  const summary = (want) => until(page, (t) => document.querySelector('[data-testid=verify-summary]')?.textContent === t, want);
  await summary('2 of 2 pass strict · 2 of 2 loose');
  await response.fill(items.slice(0, 80).join(' '));
  await summary('0 of 2 pass strict · 0 of 2 loose');

  // A bad parameter in IFBench's shape (a string where a number belongs): named, nothing changes.
  const parsed = JSON.parse(row);
  const bad = JSON.stringify({ ...parsed, key: '9', kwargs: [{ ...parsed.kwargs[0], min_words: 'ninety' }, parsed.kwargs[1]] });
  await box.fill(bad);
  await page.getByTestId('load-row').click();
  assert.match(await page.getByTestId('row-error').textContent(), /key "9": count:word_count_range: parameter `min_words`/);
  assert.equal(await rows(page).count(), 2);
  await done();
});

test('conflict warning: all lowercase and all capitals are flagged on both rows', async () => {
  const { page, done } = await openPage(env);
  await page.getByRole('textbox', { name: 'Response' }).fill('hello there, friend.');
  for (const id of ['change_case:english_lowercase', 'change_case:english_capital']) {
    const entry = await openCheck(page, id, id);
    await entry.getByRole('button', { name: /^Add/ }).click();
    await entry.locator('summary').click();
  }
  await page.getByTestId('conflict-summary').waitFor();
  assert.match(await page.getByTestId('conflict-summary').textContent(), /1 conflict/);
  const warnings = await page.getByTestId('row-conflict').allTextContents();
  assert.equal(warnings.length, 2);
  assert.match(warnings[0], /Conflicts with #2 \(change_case:english_capital\)/);
  assert.match(warnings[1], /Conflicts with #1 \(change_case:english_lowercase\)/);
  // Removing one clears the warning.
  await shot(page, 'verify-conflict');
  await rows(page).nth(1).getByTestId('remove-constraint').click();
  assert.equal(await page.getByTestId('conflict-summary').count(), 0);
  await done();
});

test('the verify panel passes the accessibility scan in light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, done } = await openPage(env, { colorScheme });
    await page.getByRole('textbox', { name: 'Response' }).fill('Apples, pears.');
    await page.getByTestId('row-paste').locator('summary').click();
    await page.getByLabel('input row (JSON)').fill(
      JSON.stringify({ ...GOOD_ROW, instruction_id_list: ['punctuation:no_comma', 'change_case:english_lowercase', 'change_case:english_capital'], kwargs: [{}, {}, {}] }),
    );
    await page.getByTestId('load-row').click();
    await rows(page).first().locator('.row-main').click();
    await rows(page).first().getByTestId('edit-constraint').click();
    await page.getByLabel('input row (JSON)').fill('{');
    await page.getByTestId('load-row').click();
    await (await openCheck(page, 'words', 'length_constraints:number_words')).waitFor();
    assert.deepEqual(await axeViolations(page), [], `${colorScheme} theme`);
    await done();
  }
});

test('a 10,000-word response with 10 constraints stays responsive while typing', async () => {
  const { page, done } = await openPage(env);
  // Set in one input event (as a paste does); a debug build needs a while for the first analysis.
  await page.evaluate((text) => {
    const area = document.querySelector('[data-testid=response]');
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, longResponse());
  await page.waitForFunction(
    () => document.querySelector('[data-testid=word-count]')?.textContent === '10000',
    undefined,
    { timeout: 120_000 },
  );
  assert.equal(await page.getByTestId('paragraph-count').textContent(), '100');
  // On a long text the tokenizer counts follow once typing pauses.
  await page.waitForFunction(
    () => document.querySelector('[data-testid=sentence-count]')?.textContent === '1000',
    undefined,
    { timeout: 120_000 },
  );

  await page.getByTestId('row-paste').locator('summary').click();
  await page.getByLabel('input row (JSON)').fill(JSON.stringify(TEN_CONSTRAINTS_ROW));
  await page.getByTestId('load-row').click();
  assert.equal(await rows(page).count(), 10);
  await rows(page).first().locator('.row-main').click();

  // Type a word at a time; time from the input event until the word count shows it.
  const timings = await page.evaluate(async () => {
    const area = document.querySelector('[data-testid=response]');
    const count = document.querySelector('[data-testid=word-count]');
    const out = [];
    for (let i = 1; i <= 15; i++) {
      const expected = String(10000 + i);
      const t0 = performance.now();
      area.value += ' word';
      area.dispatchEvent(new Event('input', { bubbles: true }));
      let frames = 0;
      while (count.textContent !== expected) {
        await new Promise((r) => requestAnimationFrame(r));
        frames += 1;
        if (frames > 600) break;
      }
      out.push({ ms: performance.now() - t0, frames });
    }
    return out;
  });
  const sorted = timings.map((t) => t.ms).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const frames = timings.map((t) => t.frames).sort((a, b) => a - b)[Math.floor(timings.length / 2)];
  // eslint-disable-next-line no-console
  console.log(`10,000 words, 10 constraints: keystroke to updated view, median ${median.toFixed(1)} ms (${frames} frame(s)); all: ${sorted.map((m) => m.toFixed(1)).join(', ')}`);
  assert.equal(await page.getByTestId('word-count').textContent(), '10015');
  assert.equal(await rows(page).count(), 10);
  // 15 more one-word sentences-in-progress: the sentence count settles after the pause.
  await until(page, () => document.querySelector('[data-testid=sentence-count]')?.getAttribute('aria-busy') === 'false');
  await done();
});

test('a long response with marks: typing keeps the backdrop in step with the textarea, and the language catches up after a pause', async () => {
  const { page, done } = await openPage(env);
  const response = page.getByRole('textbox', { name: 'Response' });
  const backdrop = page.getByTestId('response-backdrop');
  await page.evaluate((text) => {
    const area = document.querySelector('[data-testid=response]');
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, longResponse());
  await until(page, () => document.querySelector('[data-testid=word-count]')?.textContent === '10000');
  await page.getByTestId('row-paste').locator('summary').click();
  await page.getByLabel('input row (JSON)').fill(JSON.stringify(TEN_CONSTRAINTS_ROW));
  await page.getByTestId('load-row').click();
  // keywords:frequency (dog): one mark per sentence.
  await rows(page).nth(8).locator('.row-main').click();
  assert.equal(await page.getByTestId('mark-count').textContent(), '1000 marks');

  // Real key presses in the middle of the text, then at its end (the textarea scrolls there).
  const inStep = () => {
    const area = document.querySelector('[data-testid=response]');
    const back = document.querySelector('[data-testid=response-backdrop]');
    return back.textContent === area.value && back.scrollTop === area.scrollTop;
  };
  await response.focus();
  await page.evaluate(() => {
    const area = document.querySelector('[data-testid=response]');
    const middle = area.value.indexOf('\n\n', area.value.length / 2);
    area.setSelectionRange(middle, middle);
  });
  await page.keyboard.type(' A dog.');
  await until(page, () => document.querySelector('[data-testid=mark-count]')?.textContent === '1001 marks');
  await until(page, inStep);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Another dog.');
  await until(page, () => document.querySelector('[data-testid=mark-count]')?.textContent === '1002 marks');
  await until(page, inStep);
  assert.ok(await response.evaluate((el) => el.scrollTop > 0), 'the textarea scrolled to the end');
  assert.deepEqual(new Set(await backdrop.locator('mark').allTextContents()), new Set(['dog']));
  const value = await response.inputValue();
  assert.ok(value.endsWith('dog. Another dog.'));
  assert.equal((value.match(/A dog\./g) ?? []).length, 1);

  // The language of a long response is detected once typing pauses, and follows the text.
  await page.getByTestId('detect-language').click();
  const language = page.getByTestId('language');
  await language.getByText('English (en)').waitFor();
  await page.evaluate((text) => {
    const area = document.querySelector('[data-testid=response]');
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, Array(400).fill('Der schnelle braune Fuchs springt über den faulen Hund und läuft nach Hause.').join(' '));
  await language.getByText('German (de)').waitFor();
  assert.equal(await language.locator('span').getAttribute('aria-busy'), 'false');
  await done();
});
