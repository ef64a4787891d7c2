// Back-translate: derive the constraints a response satisfies (all pass), tick, compose, re-roll,
// reproduce by seed, export (IFEval row, CRAB items), "Verify this", the conflict list, and the
// import of CRAB's stage-6 sample with the library's verdicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useBrowser, openPage, shot, axeViolations, until } from './support.mjs';

const env = useBrowser();

const CRAB_SAMPLE = '/work/shared/data/crab/constraint_back_translation_sample.json';
const EXPECTED = new URL('./fixtures/crab-sample-expected.json', import.meta.url);

const INSTRUCTION = "Describe a lighthouse keeper's morning routine.";
// Written for this test: no commas, a <<title>>, four paragraphs and a postscript.
const RESPONSE = `<<The Keeper's Morning>>

The keeper wakes before dawn and climbs the spiral stairs to the lamp room. He trims the wick and polishes the great lens until it shines.

After breakfast he writes the weather in the logbook. The sea is calm today and the gulls circle the rocks below.

By noon the work is done and he walks along the shore to watch the boats return.

P.S. The lamp has not failed in forty years.`;

async function openBacktranslate(colorScheme = 'light') {
  const opened = await openPage(env, { colorScheme });
  const { page } = opened;
  await page.getByTestId('instruction').fill(INSTRUCTION);
  await page.getByTestId('response').fill(RESPONSE);
  await page.getByRole('tab', { name: 'Back-translate' }).click();
  await page.getByTestId('derived-row').first().waitFor();
  // The language data arrives on first need and adds the language constraint to the list: wait
  // for it, so that the list no longer changes under the test (it grew from 18 to 19 rows
  // between two reads about 1 run in 5).
  await page.locator('[data-testid=derived-row][data-id="language:response_language"]').waitFor();
  // So do the key phrases, from the worker.
  await until(page, () => document.querySelector('[data-testid=bt-results]')?.dataset.pending === 'false');
  return opened;
}

const prompt = (page) => page.getByTestId('composed-prompt').inputValue();
const count = async (page) => Number(await page.getByTestId('composed-count').textContent());
const savedSession = (page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('crab-playground/session')));

/** Clicks `testid` and returns the downloaded file's name and text. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), text: await readFile(path, 'utf8') };
}

test('derived constraints all pass; ticks, re-roll and the seed drive the composition; exports; Verify this', async () => {
  const { page, done } = await openBacktranslate();

  // Every derived constraint passes strict verification on its own response (by construction).
  const rows = page.getByTestId('derived-row');
  const n = await rows.count();
  assert.ok(n >= 5, `only ${n} constraints derived`);
  const badges = await page.getByTestId('derived-badge').evaluateAll((els) =>
    els.map((e) => [e.textContent, e.classList.contains('pass')]),
  );
  assert.equal(badges.length, n);
  for (const [word, pass] of badges) assert.deepEqual([word, pass], ['pass', true]);
  // The response has no commas, so `punctuation:no_comma` must be among them.
  assert.ok(await page.locator('[data-testid=derived-row][data-id="punctuation:no_comma"]').count() >= 1);

  // Selecting a derived constraint marks its row.
  await page.getByTestId('derived-evidence').first().click();
  assert.equal(await page.getByTestId('derived-evidence').first().getAttribute('aria-pressed'), 'true');
  await shot(page, 'bt-derived');

  // The prompt contains the instruction and some constraints.
  const p1 = await prompt(page);
  const c1 = await count(page);
  assert.ok(p1.includes(INSTRUCTION));
  assert.ok(c1 >= 1);

  // Ticking changes the composition: none ticked → the instruction alone; all → back again.
  await page.getByTestId('tick-none').click();
  await until(page, () => document.querySelector('[data-testid=composed-count]')?.textContent === '0');
  assert.equal(await prompt(page), INSTRUCTION);
  assert.equal(
    await page.getByTestId('derived-tick').evaluateAll((els) => els.filter((e) => e.checked).length),
    0,
  );
  assert.equal((await savedSession(page)).compose.excluded.length, n);
  await page.getByTestId('tick-all').click();
  await until(page, (p) => document.querySelector('[data-testid=composed-prompt]')?.value === p, p1);
  // Unticking a constraint that is in the prompt changes the prompt; ticking it again restores it.
  const flags = await rows.evaluateAll((els) => els.map((e) => e.dataset.combined));
  assert.equal(flags.filter((f) => f === 'true').length, c1);
  const combinedRow = rows.nth(flags.indexOf('true'));
  const id = await combinedRow.getAttribute('data-id');
  await combinedRow.getByTestId('derived-tick').uncheck();
  await until(page, (p) => document.querySelector('[data-testid=composed-prompt]')?.value !== p, p1);
  assert.equal((await savedSession(page)).compose.excluded.length, 1);
  assert.ok((await savedSession(page)).compose.excluded[0].startsWith(`${id} `));
  await combinedRow.getByTestId('derived-tick').check();
  await until(page, (p) => document.querySelector('[data-testid=composed-prompt]')?.value === p, p1);

  // Re-roll changes the seed and the prompt; typing the old seed back reproduces it exactly.
  const s1 = await page.getByTestId('seed').inputValue();
  await page.getByTestId('reroll').click();
  await until(page, (s) => document.querySelector('[data-testid=seed]')?.value !== s, s1);
  const s2 = await page.getByTestId('seed').inputValue();
  assert.notEqual(s2, s1);
  assert.equal(String((await savedSession(page)).compose.seed), s2);
  const p2 = await prompt(page);
  assert.notEqual(p2, p1);
  await page.getByTestId('seed').fill(s1);
  await page.getByTestId('seed').press('Enter');
  await until(page, (p) => document.querySelector('[data-testid=composed-prompt]')?.value === p, p1);
  // A seed that is not a number is refused with a message, and the previous one is kept.
  await page.getByTestId('seed').fill('twelve');
  await page.getByTestId('seed').press('Enter');
  await page.getByTestId('seed-error').getByText('whole number').waitFor();
  assert.equal(await prompt(page), p1);
  await page.getByTestId('seed').fill(s2);
  await page.getByTestId('seed').press('Enter');
  await until(page, (p) => document.querySelector('[data-testid=composed-prompt]')?.value === p, p2);
  assert.equal(await page.getByTestId('seed-error').textContent(), '');

  // Fixed connector: numbered items.
  await page.getByTestId('connector').selectOption('numbered');
  await until(page, () => /\n1\. /.test(document.querySelector('[data-testid=composed-prompt]')?.value ?? ''));
  const composed = await prompt(page);
  const combined = await count(page);

  // Copy puts the prompt on the clipboard; a refused clipboard says what to do instead.
  await page.getByTestId('copy-prompt').click();
  await page.getByTestId('copy-status').getByText('Copied the prompt').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), composed);
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await page.getByTestId('copy-prompt').click();
  await page.getByTestId('copy-status').getByText('copy it by hand').waitFor();

  // Export the IFEval row: one JSON line with IFEval's fields, matching the page.
  const row = await download(page, 'export-ifeval');
  assert.match(row.name, /\.jsonl$/);
  const lines = row.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 1);
  const [r] = lines;
  assert.equal(r.prompt, composed);
  assert.equal(r.response, RESPONSE);
  assert.ok(Number.isInteger(r.key));
  assert.equal(r.instruction_id_list.length, combined);
  assert.equal(r.kwargs.length, combined);
  for (const id of r.instruction_id_list) assert.match(id, /^[a-z_]+:[a-z_]+$/);
  assert.equal(r.constraints.length, n);
  assert.equal(r.constraints.filter((c) => c.combined).length, combined);
  assert.equal(String(r.seed), s2);

  // Export CRAB's items: a forward item (the composed prompt and the response) and a reverse one.
  const crab = await download(page, 'export-crab');
  const items = crab.text.trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(items.map((i) => i.id.replace(/^.*_/, '')), ['forward', 'reverse']);
  assert.deepEqual(items[0].messages.map((m) => m.role), ['user', 'assistant']);
  assert.equal(items[0].messages[0].content, composed);
  assert.equal(items[0].messages[1].content, RESPONSE);
  assert.equal(items[0].Num_Cons, combined);
  assert.equal(items[1].messages[1].content.split('\n').length, combined);

  // Export the whole session.
  const session = JSON.parse((await download(page, 'export-session-bt')).text);
  assert.equal(session.response, RESPONSE);
  assert.equal(session.compose.connector, 'numbered');
  await shot(page, 'bt-composed');

  // "Verify this": the composed prompt becomes the instruction, its constraints the verify list.
  await page.getByTestId('verify-this').click();
  assert.equal(await page.getByRole('tab', { name: 'Verify' }).getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByTestId('instruction').inputValue(), composed);
  const saved = await savedSession(page);
  assert.equal(saved.constraints.length, combined);
  assert.deepEqual(saved.constraints.map((c) => c.id), r.instruction_id_list);
  assert.deepEqual(saved.constraints.map((c) => c.kwargs), r.kwargs);
  // The verify panel's badges (once it lists the constraints) all pass.
  const verifyBadges = page.locator('#panel-verify .badge');
  if (await verifyBadges.count()) {
    await until(page, () => !document.querySelector('#panel-verify .badge.pending'));
    const classes = await verifyBadges.evaluateAll((els) => els.map((e) => e.className));
    assert.ok(classes.every((c) => /\bpass\b/.test(c)), classes.join(', '));
  }
  await done();
});

test('a long response is re-derived once typing pauses, and the panel says so meanwhile', async () => {
  const { page, done } = await openPage(env);
  // About 2,000 words without a comma: over the panel's 8,000-byte threshold.
  const sentence = 'The keeper climbs the stairs and trims the wick before dawn.';
  const long = Array.from({ length: 20 }, () => Array(15).fill(sentence).join(' ')).join('\n\n');
  await page.getByTestId('response').fill(long);
  await page.getByRole('tab', { name: 'Back-translate' }).click();
  const noComma = page.locator('[data-testid=derived-row][data-id="punctuation:no_comma"]');
  await noComma.first().waitFor();
  assert.equal(await page.getByTestId('bt-pending').textContent(), '');

  // Keystrokes in quick succession: the list stays as it was (commas included) and says why.
  const pendingWhileTyping = await page.evaluate(async () => {
    const area = document.querySelector('[data-testid=response]');
    const seen = [];
    for (const piece of [',', ' and', ',', ' more']) {
      area.value += piece;
      area.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => requestAnimationFrame(r));
      seen.push([
        document.querySelector('[data-testid=bt-pending]').textContent,
        document.querySelectorAll('[data-testid=derived-row][data-id="punctuation:no_comma"]').length,
      ]);
    }
    return seen;
  });
  for (const [note, rows] of pendingWhileTyping) {
    assert.match(note, /catches up when you pause typing/);
    assert.ok(rows >= 1, 'the list is not re-derived on every keystroke');
  }
  // After the pause: derived from the text with commas, and the note is gone.
  await until(page, () => !document.querySelector('[data-testid=derived-row][data-id="punctuation:no_comma"]'));
  assert.equal(await page.getByTestId('bt-pending').textContent(), '');
  assert.ok((await page.getByTestId('derived-row').count()) >= 3);
  await done();
});

test('key phrases come from the worker: pending a moment, then listed; without the worker, a message', async () => {
  const { page, done } = await openBacktranslate();
  const phrases = page.locator('[data-testid=derived-row][data-id="crab:key_phrases"]');
  assert.equal(await phrases.count(), 1);
  // The phrases are quoted from the response, verbatim.
  const quoted = [...(await phrases.getByTestId('derived-text').textContent()).matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  assert.ok(quoted.length >= 1 && quoted.every((q) => RESPONSE.includes(q)), quoted.join('|'));
  assert.equal(await page.getByTestId('bt-keyphrases').textContent(), '');
  // Key phrases read only the response: a new seed does not ask the worker again, so the list
  // is not pending even right after the click (a worker answer takes a message round trip).
  const pendingAfterReroll = await page.evaluate(async () => {
    document.querySelector('[data-testid=reroll]').click();
    await new Promise((resolve) => setTimeout(resolve, 0));
    return document.querySelector('[data-testid=bt-results]').dataset.pending;
  });
  assert.equal(pendingAfterReroll, 'false');
  assert.equal(await phrases.count(), 1);
  // A new response does: pending, then listed again.
  const pendingAfterEdit = await page.evaluate(async () => {
    const box = document.querySelector('[data-testid=response]');
    box.value += ' Key phrases come from the whole response.';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    return document.querySelector('[data-testid=bt-results]').dataset.pending;
  });
  assert.equal(pendingAfterEdit, 'true');
  await until(page, () => document.querySelector('[data-testid=bt-results]')?.dataset.pending === 'false');
  assert.equal(await phrases.count(), 1);
  await done();

  // A worker that stops after loading (here a stand-in that throws on its first request): the
  // panel says so for that response, and the next response starts a fresh worker.
  const workerUrl = new URL('crab-batch-worker.js', env.base).href;
  const crashing = await openPage(env, { expectErrorsFrom: [workerUrl] });
  const stopped = 'self.postMessage({ type: "ready" }); self.addEventListener("message", () => { throw new Error("boom"); });';
  await crashing.page.route('**/crab-batch-worker.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: stopped }));
  await crashing.page.getByTestId('instruction').fill(INSTRUCTION);
  await crashing.page.getByTestId('response').fill(RESPONSE);
  await crashing.page.getByRole('tab', { name: 'Back-translate' }).click();
  await crashing.page.getByTestId('bt-keyphrases').getByText(/the worker stopped: .*boom/).waitFor();
  assert.equal(await crashing.page.getByTestId('bt-results').getAttribute('data-pending'), 'false');
  assert.equal(await crashing.page.locator('[data-testid=derived-row][data-id="crab:key_phrases"]').count(), 0);
  await crashing.page.unroute('**/crab-batch-worker.js');
  await crashing.page.getByTestId('response').fill(`${RESPONSE} One more sentence.`);
  await crashing.page.locator('[data-testid=derived-row][data-id="crab:key_phrases"]').waitFor();
  assert.equal(await crashing.page.getByTestId('bt-keyphrases').textContent(), '');
  await crashing.done();

  // The worker script cannot be loaded: the panel says so and derives everything else.
  const worker = new URL('crab-batch-worker.js', env.base).href;
  const blocked = await openPage(env, { expectErrorsFrom: [worker] });
  await blocked.page.context().route('**/crab-batch-worker.js', (route) => route.fulfill({ status: 404, body: '' }));
  await blocked.page.getByTestId('instruction').fill(INSTRUCTION);
  await blocked.page.getByTestId('response').fill(RESPONSE);
  await blocked.page.getByRole('tab', { name: 'Back-translate' }).click();
  await blocked.page.getByTestId('bt-keyphrases').getByText(/the worker did not load/).waitFor();
  assert.equal(await blocked.page.getByTestId('bt-results').getAttribute('data-pending'), 'false');
  assert.equal(await blocked.page.locator('[data-testid=derived-row][data-id="crab:key_phrases"]').count(), 0);
  assert.ok((await blocked.page.getByTestId('derived-row').count()) >= 5);
  assert.notEqual(await prompt(blocked.page), '');
  await blocked.done();
});

test('an empty response gives a friendly empty state, not an error', async () => {
  const { page, done } = await openPage(env);
  await page.getByRole('tab', { name: 'Back-translate' }).click();
  await page.getByTestId('bt-empty').getByText('Nothing to back-translate yet').waitFor();
  assert.equal(await page.getByTestId('derived-row').count(), 0);
  await done();
});

test('ticked constraints that conflict are listed with the reason and never combined', async () => {
  const { page, done } = await openBacktranslate();
  // The response has no commas, so both `punctuation:no_comma` and `crab:no_punctuation` with
  // `,` (the first of CRAB's marks the text lacks) are derived: a redundant pair.
  const pair = page
    .getByTestId('conflict')
    .filter({ hasText: 'punctuation:no_comma' })
    .filter({ hasText: 'crab:no_punctuation' });
  await pair.first().waitFor();
  assert.ok((await pair.first().getByTestId('conflict-reason').textContent()).trim().length > 0);
  await page.getByTestId('conflicts').getByText('never puts both').waitFor();

  // Ask for every derived constraint: composition still leaves one of the pair out.
  const n = await page.getByTestId('derived-row').count();
  await page.getByTestId('min').fill(String(n));
  await page.getByTestId('min').press('Enter');
  await until(page, () => Number(document.querySelector('[data-testid=composed-avoided]')?.textContent) >= 1);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ifeval').click()]);
  const row = JSON.parse((await readFile(await file.path(), 'utf8')).trim());
  const ids = row.instruction_id_list;
  assert.ok(ids.length < n);
  assert.ok(!(ids.includes('punctuation:no_comma') && ids.includes('crab:no_punctuation')), ids.join(', '));

  // Unticking one of the pair resolves that conflict.
  const before = await page.getByTestId('conflict').count();
  await page.locator('[data-testid=derived-row][data-id="punctuation:no_comma"]').getByTestId('derived-tick').uncheck();
  await until((page), (b) => document.querySelectorAll('[data-testid=conflict]').length < b, before);
  assert.equal(await pair.count(), 0);
  await done();
});

for (const scheme of ['light', 'dark']) {
  test(`the composed back-translate panel has no serious accessibility violations (${scheme})`, async () => {
    const { page, done } = await openBacktranslate(scheme);
    await page.getByTestId('crab-file').setInputFiles(CRAB_SAMPLE);
    await page.getByTestId('crab-record').first().waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await done();
  });
}

test('CRAB import of the shared sample shows what check_record says, per record', async () => {
  const expected = JSON.parse(await readFile(EXPECTED, 'utf8'));
  const { page, done } = await openPage(env);
  await page.getByRole('tab', { name: 'Back-translate' }).click();
  await page.getByTestId('crab-file').setInputFiles(CRAB_SAMPLE);
  const records = page.getByTestId('crab-record');
  await records.first().waitFor();
  assert.equal(await records.count(), expected.length);
  const shown = await records.evaluateAll((els) =>
    els.map((e) => ({
      id: e.dataset.id,
      holds: Number(e.querySelector('[data-testid=crab-holds]').textContent),
      fails: Number(e.querySelector('[data-testid=crab-fails]').textContent),
      text: Number(e.querySelector('[data-testid=crab-text]').textContent),
      unparsed: Number(e.querySelector('[data-testid=crab-unparsed]').textContent),
    })),
  );
  assert.deepEqual(shown, expected.map(({ id, holds, fails, text, unparsed }) => ({ id, holds, fails, text, unparsed })));
  // Each record lists its instruction, and the number of status lines adds up.
  for (const [i, e] of expected.entries()) {
    const rec = records.nth(i);
    assert.ok((await rec.getByTestId('crab-instruction').textContent()).trim().length > 0);
    const statuses = await rec.getByTestId('crab-item-status').allTextContents();
    assert.equal(statuses.filter((s) => s === 'holds').length, e.holds);
    assert.equal(statuses.filter((s) => s === 'does not hold').length, e.fails);
    assert.equal(statuses.filter((s) => s === 'not checkable').length, e.text + e.unparsed);
  }
  // CRAB's inverted Word rule is shown as not holding, with the reason.
  const wordLine = page.getByTestId('crab-item').filter({ hasText: 'Word as written' }).first();
  assert.equal(await wordLine.getByTestId('crab-item-status').textContent(), 'does not hold');
  await shot(page, 'bt-crab-import');

  // A malformed paste gives the library's message; the text stays, the records stay.
  const bad = '[{"id": 1, "messages": []}]';
  await page.getByTestId('crab-paste').fill(bad);
  await page.getByTestId('crab-check').click();
  await page.getByTestId('crab-error').getByText('record 0').waitFor();
  assert.equal(await page.getByTestId('crab-paste').inputValue(), bad);
  assert.equal(await records.count(), expected.length);

  // Loading a record puts its pair in the editors and its checkable constraints in the list.
  const first = expected[0];
  await records.first().getByTestId('crab-load').click();
  const sample = JSON.parse(await readFile(CRAB_SAMPLE, 'utf8'));
  const user = sample[0].messages.find((m) => m.role === 'user').content;
  assert.equal(await page.getByTestId('instruction').inputValue(), user);
  const saved = await savedSession(page);
  assert.equal(saved.constraints.length, first.checkable);
  assert.ok(saved.constraints.every((c) => c.id.startsWith('crab:')));
  await done();
});
