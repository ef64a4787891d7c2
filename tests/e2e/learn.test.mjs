// Learn: the examples gallery (every card opens into the Verify tab with the verdicts its data
// file expects; opening over work asks first) and the quiz (guesses graded by the library with
// evidence, tightness and a total score).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useBrowser, openPage, shot, axeViolations, until } from './support.mjs';

const env = useBrowser();
const EXAMPLES = JSON.parse(await readFile(new URL('../../src/gallery/examples.json', import.meta.url), 'utf8'));
// Checks whose verdict needs the language profiles: pending until they are loaded.
const NEEDS_LANGUAGE = new Set(['change_case:english_capital', 'change_case:english_lowercase', 'language:response_language']);

/** The strict status shown for each listed constraint on the Verify tab ('pass', 'fail', …). */
async function strictStatuses(page) {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll('[data-testid=constraint-row]')];
    if (rows.length) {
      return rows.map((row) => {
        const badge = row.querySelector('[data-testid=strict-badge]');
        return ['pass', 'fail', 'pending', 'invalid'].find((s) => badge?.classList.contains(s)) ?? 'none';
      });
    }
    // The placeholder panel: "id — Pass: detail".
    return [...document.querySelectorAll('[data-testid=constraint-list] li')].map((li) => {
      const m = li.textContent.match(/— (Pass|Fail|Pending|Invalid)/);
      return m ? m[1].toLowerCase() : 'none';
    });
  });
}

test('the examples are fetched when first shown; a failed fetch is a message and showing the tab again retries', async () => {
  const { readFile: read } = await import('node:fs/promises');
  const { DIST } = await import('./support.mjs');
  // The page serves the data file as written.
  assert.equal(await read(`${DIST}/examples.json`, 'utf8'), await read(new URL('../../src/gallery/examples.json', import.meta.url), 'utf8'));
  const { page, done } = await openPage(env, { expectErrorsFrom: [new URL('examples.json', env.base).href] });
  let fetched = 0;
  await page.route('**/examples.json', (route) => {
    fetched += 1;
    return route.fulfill({ status: 404, body: 'gone' });
  });
  await page.getByTestId('tab-quiz').click();
  const error = page.getByTestId('gallery-error');
  await error.waitFor();
  assert.match(await error.textContent(), /^Could not load the examples: HTTP 404 for .*examples\.json\.$/);
  assert.equal(fetched, 1);
  await page.unroute('**/examples.json');
  await page.getByTestId('tab-verify').click();
  await page.getByTestId('tab-examples').click();
  await page.getByTestId('example-card').first().waitFor();
  assert.equal(await page.getByTestId('example-card').count(), EXAMPLES.length);
  // Loaded once, the quiz has them at once.
  await page.getByTestId('tab-quiz').click();
  await page.getByTestId('quiz-response').waitFor();
  await done();
});

async function openExample(page, id) {
  await page.getByTestId('tab-examples').click();
  const card = page.locator(`[data-testid=example-card][data-example="${id}"]`);
  await card.getByTestId('example-open').click();
  const confirm = card.getByTestId('example-confirm');
  if (await confirm.count()) await confirm.getByTestId('example-confirm-replace').click();
  await page.getByTestId('tab-verify').and(page.locator('[aria-selected=true]')).waitFor();
}

test('every gallery example opens with the verdicts its data file expects', async () => {
  assert.ok(EXAMPLES.length >= 8, `${EXAMPLES.length} examples`);
  const { page, done } = await openPage(env, { viewport: { width: 1280, height: 1000 } });
  await page.getByTestId('tab-examples').click();
  // The examples are fetched when the tab is first shown.
  await page.getByTestId('example-card').first().waitFor();
  assert.equal(await page.getByTestId('example-card').count(), EXAMPLES.length);
  await shot(page, 'learn-gallery');
  assert.deepEqual(await axeViolations(page), []);

  for (const example of EXAMPLES) {
    await openExample(page, example.id);
    assert.equal(await page.getByRole('textbox', { name: 'Response' }).inputValue(), example.response);
    assert.equal(await page.getByRole('textbox', { name: 'Instruction' }).inputValue(), example.instruction);
    const expected = example.constraints.map((c) => c.expected);
    let shown = [];
    // Language-dependent verdicts arrive when the profiles have loaded.
    for (let i = 0; i < 50; i++) {
      shown = await strictStatuses(page);
      if (shown.length === expected.length && !shown.includes('pending')) break;
      await page.waitForTimeout(200);
    }
    assert.equal(shown.length, expected.length, `${example.id}: ${shown}`);
    example.constraints.forEach((c, i) => {
      if (shown[i] === 'pending' && NEEDS_LANGUAGE.has(c.id)) return; // no language data in this build
      assert.equal(shown[i], c.expected, `${example.id}: ${c.id} ${JSON.stringify(c.kwargs)}`);
    });
  }
  await done();
});

test('opening an example over work asks first, and keeping the work loses nothing', async () => {
  const { page, done } = await openPage(env);
  const response = page.getByRole('textbox', { name: 'Response' });
  await response.fill('My own draft, not to be lost.');
  await page.getByTestId('tab-examples').click();
  const card = page.locator(`[data-testid=example-card][data-example="${EXAMPLES[2].id}"]`);
  await card.getByTestId('example-open').click();
  const confirm = card.getByTestId('example-confirm');
  await confirm.waitFor();
  // The confirmation takes the keyboard focus, and gives it back to the card when it closes.
  const focused = () => page.evaluate(() => document.activeElement?.dataset.testid);
  assert.equal(await focused(), 'example-confirm-replace');
  await confirm.getByTestId('example-confirm-cancel').click();
  assert.equal(await confirm.count(), 0);
  // The app moves the focus in the next animation frame, once the button is back in the page.
  await until(page, () => document.activeElement?.dataset.testid === 'example-open');
  assert.equal(await response.inputValue(), 'My own draft, not to be lost.');

  await card.getByTestId('example-open').click();
  await card.getByTestId('example-confirm-replace').click();
  assert.equal(await response.inputValue(), EXAMPLES[2].response);
  await done();
});

/** Adds a guess for check `id` through the catalog, then sets its parameters exactly. */
async function addGuess(page, id, kwargs) {
  const before = await page.getByTestId('quiz-guess').count();
  const entry = page.locator(`[data-testid="check-${id}"]`);
  if (await entry.count()) {
    // Open the entry unless an earlier guess left it open (a click would close it).
    if ((await entry.getAttribute('open')) === null) await entry.locator('summary').click();
    await entry.getByTestId('add-check').click();
  } else {
    const catalog = page.getByTestId('catalog');
    await catalog.getByRole('combobox').selectOption(id);
    await catalog.getByRole('button', { name: 'Add' }).click();
  }
  const guess = page.getByTestId('quiz-guess').nth(before);
  await guess.waitFor();
  const params = guess.getByTestId('quiz-guess-params');
  await params.fill(JSON.stringify(kwargs));
  await params.press('Enter');
  await params.blur();
  return guess;
}

test('quiz: guesses are graded with evidence, tightness and a total score', async () => {
  const { page, done } = await openPage(env, { viewport: { width: 1280, height: 1100 } });
  await page.getByTestId('tab-quiz').click();
  const shown = await page.getByTestId('quiz-response').textContent();
  const example = EXAMPLES.find((e) => e.response === shown);
  assert.ok(example, 'the quiz shows a gallery response');
  const words = Number(await page.getByTestId('quiz-words').textContent());
  assert.ok(words > 5);
  const total = page.getByTestId('quiz-total');
  assert.match(await total.textContent(), /^Score: 0\.00 from 0 guesses/);

  // "At least <the word count>" is the tightest lower bound that holds: 1.
  const tight = await addGuess(page, 'length_constraints:number_words', { relation: 'at least', num_words: words });
  await tight.getByTestId('quiz-verdict').filter({ hasText: 'holds' }).waitFor();
  assert.equal(await tight.getByTestId('quiz-verdict').textContent(), 'holds');
  assert.equal(await tight.getByTestId('quiz-tightness').textContent(), '1.00');
  assert.match(await total.textContent(), /^Score: 1\.00 from 1 guess\b/);

  // "At least 1 word" holds but is vacuous: (1 + 1) / (words + 1), the library's ratio, which is
  // small for every gallery response (0.04-0.12; the quiz picks one at random).
  const vacuousScore = 2 / (words + 1);
  const vacuous = await addGuess(page, 'length_constraints:number_words', { relation: 'at least', num_words: 1 });
  await vacuous.getByTestId('quiz-tightness').filter({ hasText: vacuousScore.toFixed(2) }).waitFor();
  assert.equal(await vacuous.getByTestId('quiz-verdict').textContent(), 'holds');
  assert.equal(await vacuous.getByTestId('quiz-tightness').textContent(), vacuousScore.toFixed(2));
  assert.ok(vacuousScore < 0.15, `${words} words`);

  // "Less than 5 words" does not hold, and its evidence (where the allowed length ends) is marked.
  const wrong = await addGuess(page, 'length_constraints:number_words', { relation: 'less than', num_words: 5 });
  await wrong.getByTestId('quiz-verdict').filter({ hasText: 'does not hold' }).waitFor();
  assert.equal(await wrong.getByTestId('quiz-points').textContent(), '0.00 pts');
  // A new guess is selected, so its evidence shows at once; the toggle hides and shows it.
  const marks = page.getByTestId('quiz-response').locator('mark');
  const select = wrong.getByTestId('quiz-guess-select');
  assert.equal(await select.getAttribute('aria-pressed'), 'true');
  await marks.first().waitFor();
  await select.click();
  assert.equal(await marks.count(), 0);
  await select.click();
  await marks.first().waitFor();
  const marked = await marks.allTextContents();
  assert.ok(shown.includes(marked.join('')), 'the marks cover a stretch of the response');
  assert.equal(await page.getByTestId('quiz-response').textContent(), shown, 'marks do not change the text');

  // An example's own failing constraint is graded the same in the quiz.
  const fail = example.constraints.find((c) => c.expected === 'fail' && !NEEDS_LANGUAGE.has(c.id));
  const fromData = await addGuess(page, fail.id, fail.kwargs);
  await fromData.getByTestId('quiz-verdict').filter({ hasText: 'does not hold' }).waitFor();

  // The total is the sum of the points: 1 (tight) + the vacuous bound's + 0 + 0.
  await total.filter({ hasText: 'from 4 guesses' }).waitFor();
  const score = Number((await total.textContent()).match(/Score: ([\d.]+)/)[1]);
  assert.ok(Math.abs(score - (1 + vacuousScore)) < 0.006, `${score} with ${words} words`);

  // Bad parameters stay in their box with a message; the guess is unchanged.
  const params = vacuous.getByTestId('quiz-guess-params');
  await params.fill('{"num_words": ');
  await params.press('Enter');
  await vacuous.getByRole('alert').waitFor();
  assert.equal(await params.inputValue(), '{"num_words": ');
  assert.equal(await vacuous.getByTestId('quiz-verdict').textContent(), 'holds');

  // Reveal shows what back-translation derives; removing a guess updates the total.
  await page.getByTestId('quiz-reveal').click();
  assert.ok((await page.getByTestId('quiz-derived').locator('li').count()) > 0);
  await shot(page, 'learn-quiz');
  assert.deepEqual(await axeViolations(page), []);
  await tight.getByTestId('quiz-guess-remove').click();
  await page.waitForFunction(() => /from 3 guesses/.test(document.querySelector('[data-testid=quiz-total]').textContent));
  const after = Number((await total.textContent()).match(/Score: ([\d.]+)/)[1]);
  assert.ok(Math.abs(after - (score - 1)) < 0.011, `${after} after ${score}`);

  // Progress survives a reload.
  await page.reload();
  await page.getByTestId('tab-quiz').click();
  assert.equal(await page.getByTestId('quiz-response').textContent(), shown);
  assert.equal(await page.getByTestId('quiz-guess').count(), 3);
  await done();
});

test('the learn panels pass the accessibility scan in the dark theme', async () => {
  const { page, done } = await openPage(env, { colorScheme: 'dark' });
  await page.getByTestId('tab-examples').click();
  await page.locator('details.expected summary').first().click();
  assert.deepEqual(await axeViolations(page), []);
  await page.getByTestId('tab-quiz').click();
  await page.getByTestId('quiz-reveal').click();
  assert.deepEqual(await axeViolations(page), []);
  await done();
});
