// Markup typed, pasted, imported or shared stays text: an instruction, a response, constraint
// parameters, an IFEval row, a CRAB record, a quiz guess, an imported session (and its file name)
// and a share link, all full of `<img onerror>`, `<script>`, attribute-breaking quotes and
// entities, are shown as the characters they are, wherever the app shows them. Nothing runs
// (`window.__pwned` stays undefined), no element is created from them, and the response's
// highlight backdrop (the one `innerHTML` in the app: src/editor/highlight.rs) holds the exact
// text with only `<mark>`s added.
//
// Each test runs twice: with the bundle's Content-Security-Policy enforced (any violation report
// fails it), and with the policy bypassed, so that the escaping alone is what keeps the payloads
// inert (under the policy an injected handler would be blocked anyway, and only the DOM checks
// would notice it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until, useBrowser, openPage } from './support.mjs';

const env = useBrowser();

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = '<script>window.__pwned=1</script>';
const SVG = '"><svg onload="window.__pwned=1">';
const ENTITY = '&lt;b&gt;not bold&lt;/b&gt; &amp;';

const INSTRUCTION = `Describe ${IMG} then ${SCRIPT}.`;
// Two commas, so that punctuation:no_comma has evidence to mark in the backdrop.
const RESPONSE = `Markup, seen as text: ${IMG}

Then ${SVG} and ${ENTITY}, the end.
${SCRIPT}`;

const ROW = {
  key: 1,
  prompt: INSTRUCTION,
  instruction_id_list: ['punctuation:no_comma', 'keywords:existence', 'startend:end_checker'],
  kwargs: [{}, { keywords: [IMG] }, { end_phrase: SCRIPT }],
};

const SESSION = {
  version: 2,
  instruction: INSTRUCTION,
  response: RESPONSE,
  constraints: [
    { id: 'punctuation:no_comma', kwargs: {} },
    { id: 'keywords:existence', kwargs: { keywords: [IMG, SVG] } },
    { id: 'startend:end_checker', kwargs: { end_phrase: SCRIPT } },
  ],
  theme: 'light',
  tab: 'verify',
};

// A CRAB stage-6 record (the shape of CRAB's sample) whose texts are payloads.
const CRAB_RECORD = {
  id: 1,
  messages: [
    { role: 'user', content: INSTRUCTION },
    { role: 'assistant', content: RESPONSE },
  ],
  Aug_instruction: {
    Refined_Instruction: `Refined: ${SVG}`,
    Additional_Instruction: {
      Keyword: `Make sure to weave in the following keywords: "${IMG}".`,
      Desired_Writing_Style: `Plain, with ${SCRIPT} as an example.`,
    },
  },
};

/** Asserts that nothing was injected into the page or ran. */
async function assertInert(page, where) {
  const state = await page.evaluate(() => ({
    pwned: window.__pwned,
    // Trunk's loader is the page's only script element.
    scripts: document.scripts.length,
    elements: document.querySelectorAll('img, svg, script:not([type=module]), iframe, object, embed, b').length,
    handlers: [...document.querySelectorAll('*')].flatMap((el) =>
      [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`),
    ),
  }));
  assert.deepEqual(state, { pwned: undefined, scripts: 1, elements: 0, handlers: [] }, where);
}

/** Asserts that the response backdrop shows the response's exact text, with nothing but marks. */
async function assertBackdrop(page) {
  const backdrop = page.getByTestId('response-backdrop');
  await backdrop.locator('mark').first().waitFor();
  const { text, tags } = await backdrop.evaluate((el) => ({
    text: el.textContent,
    tags: [...new Set([...el.querySelectorAll('*')].map((e) => e.tagName))],
  }));
  assert.equal(text, await page.getByTestId('response').inputValue());
  assert.deepEqual(tags, ['MARK']);
}

/** Selects the constraint row `id` on the Verify tab (its evidence shows in the backdrop). */
async function select(page, id) {
  const main = page.locator(`[data-testid=constraint-row][data-id="${id}"] .row-main`);
  if ((await main.getAttribute('aria-pressed')) !== 'true') await main.click();
}

for (const bypassCSP of [false, true]) {
  const mode = bypassCSP ? 'policy bypassed: the escaping alone' : 'policy enforced';

  test(`typed and pasted markup stays text in every panel (${mode})`, async () => {
    const { page, done } = await openPage(env, { bypassCSP });

    // The editors, and the backdrop behind the response.
    await page.getByTestId('instruction').fill(INSTRUCTION);
    await page.getByTestId('response').fill(RESPONSE);
    await page.getByTestId('row-paste').locator('summary').click();
    await page.getByLabel('input row (JSON)').fill(JSON.stringify(ROW));
    await page.getByTestId('load-row').click();
    assert.equal(await page.getByTestId('instruction').inputValue(), INSTRUCTION);
    await select(page, 'punctuation:no_comma');
    await assertBackdrop(page);
    // Parameters and details of the listed constraints.
    const rowTexts = await page.getByTestId('constraint-row').allTextContents();
    assert.ok(rowTexts.some((t) => t.includes(IMG)), rowTexts.join('\n'));
    assert.ok(rowTexts.some((t) => t.includes(SCRIPT)), rowTexts.join('\n'));
    await select(page, 'keywords:existence');
    await assertBackdrop(page);
    assert.deepEqual(await page.getByTestId('response-backdrop').locator('mark').allTextContents(), [IMG]);
    // An unknown id in a pasted row is named in the error, as text.
    await page.getByLabel('input row (JSON)').fill(JSON.stringify({ ...ROW, instruction_id_list: [IMG], kwargs: [{}] }));
    await page.getByTestId('load-row').click();
    assert.ok((await page.getByTestId('row-error').textContent()).includes(IMG));
    await assertInert(page, 'verify');

    // Back-translate: the derived constraints' texts and the composed prompt.
    await page.getByRole('tab', { name: 'Back-translate' }).click();
    await page.getByTestId('derived-row').first().waitFor();
    const derived = await page.getByTestId('derived-text').allTextContents();
    assert.ok(derived.some((t) => t.includes(SCRIPT)), `a derived text quotes the response's end:\n${derived.join('\n')}`);
    await page.getByTestId('tick-all').click();
    const composed = await page.getByTestId('composed-prompt').inputValue();
    // Whichever template the seed picks ("…", or "Instruction: …"), the instruction is in it as
    // typed.
    assert.ok(composed.includes(INSTRUCTION), composed);
    await assertInert(page, 'back-translate');

    // A CRAB record: its instruction and its constraints' texts.
    await page.getByTestId('crab-paste').fill(JSON.stringify([CRAB_RECORD]));
    await page.getByTestId('crab-check').click();
    const record = page.getByTestId('crab-record');
    await record.waitFor();
    assert.ok((await record.getByTestId('crab-instruction').textContent()).includes(INSTRUCTION));
    const items = (await record.getByTestId('crab-item').allTextContents()).join('\n');
    for (const payload of [IMG, SCRIPT]) assert.ok(items.includes(payload), `${payload} in\n${items}`);
    await assertInert(page, 'CRAB import');

    // A quiz guess with markup in its parameters.
    await page.getByTestId('tab-quiz').click();
    await page.getByTestId('quiz-response').waitFor();
    const catalog = page.getByTestId('catalog');
    await catalog.getByRole('searchbox', { name: 'Search checks' }).fill('keywords:existence');
    const entry = catalog.getByTestId('check-keywords:existence');
    await entry.locator('summary').click();
    await entry.getByTestId('add-check').click();
    const guess = page.getByTestId('quiz-guess').first();
    await guess.waitFor();
    const params = guess.getByTestId('quiz-guess-params');
    await params.fill(JSON.stringify({ keywords: [IMG, SCRIPT] }));
    await params.press('Enter');
    await guess.getByTestId('quiz-verdict').filter({ hasText: 'does not hold' }).waitFor();
    const guessText = await guess.textContent();
    for (const payload of [IMG, SCRIPT]) assert.ok(guessText.includes(payload), guessText);
    await assertInert(page, 'quiz');
    await done();
  });

  test(`imported sessions, their file names and share links keep markup as text (${mode})`, async () => {
    const { page, done } = await openPage(env, { bypassCSP });

    // An import whose file name is markup, and which is not a session: the message names it.
    const badName = `${IMG}.json`;
    let [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-session').click()]);
    await chooser.setFiles({ name: badName, mimeType: 'application/json', buffer: Buffer.from('[1]') });
    await page.getByTestId('status').getByText(`"${badName}" could not be imported`).waitFor();
    await assertInert(page, 'import error');

    // A session full of markup.
    [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-session').click()]);
    await chooser.setFiles({ name: `${SVG}.json`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(SESSION)) });
    await page.getByTestId('status').getByText('Imported the session').waitFor();
    assert.equal(await page.getByTestId('instruction').inputValue(), INSTRUCTION);
    assert.equal(await page.getByTestId('response').inputValue(), RESPONSE);
    const rowTexts = (await page.getByTestId('constraint-row').allTextContents()).join('\n');
    for (const payload of [IMG, SVG, SCRIPT]) assert.ok(rowTexts.includes(payload), `${payload} in\n${rowTexts}`);
    await select(page, 'keywords:existence');
    await assertBackdrop(page);
    await assertInert(page, 'imported session');

    // Its share link, opened in a fresh browser.
    await page.getByTestId('share').click();
    const link = await page.getByTestId('share-url').inputValue();
    await done();
    const fresh = await openPage(env, { bypassCSP, url: link });
    await fresh.page.getByTestId('status').getByText('Loaded the shared session').waitFor();
    assert.equal(await fresh.page.getByTestId('instruction').inputValue(), INSTRUCTION);
    assert.equal(await fresh.page.getByTestId('response').inputValue(), RESPONSE);
    await select(fresh.page, 'punctuation:no_comma');
    await assertBackdrop(fresh.page);
    await until(fresh.page, () => document.querySelectorAll('[data-testid=response-backdrop] mark').length === 2);
    await assertInert(fresh.page, 'share link');
    await fresh.done();
  });
}
