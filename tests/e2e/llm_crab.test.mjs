// CRAB's LLM back-translation and the LLM judge in the browser, against the scripted server:
// the three calls, a repaired constraint, a dropped invalid one, a symbol-filtered one, two
// near-duplicates merged, an unparseable check kept, the step list and the run export; the
// composition with the model's constraints; and the judge (prose before its JSON, an unreadable
// answer retried, provenance and a rule/LLM disagreement flagged).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useBrowser, openPage, shot, until } from './support.mjs';
import { startLlmServer } from '../llm/server.mjs';

const env = useBrowser();
let llm;
before(async () => {
  llm = await startLlmServer({ defaultDelayMs: 0 });
});
after(async () => {
  await llm?.close();
});

const base = () => llm.url.replace(/\/v1$/, '');
async function script(answers) {
  await fetch(`${base()}/__control/reset`, { method: 'POST' });
  const r = await fetch(`${base()}/__control/script`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ answers }),
  });
  assert.equal(r.status, 200, await r.text());
}
async function chats() {
  const j = await (await fetch(`${base()}/__control/log`)).json();
  return (Array.isArray(j) ? j : j.requests).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
}

const INSTRUCTION = 'Tell me some facts about crabs.';
const RESPONSE = `Crab facts for curious minds:

- Crabs walk sideways because of how their legs bend.
- They molt their shells as they grow.
- Some crabs live on land, others in the sea.

Crabs are fascinating animals.`;

async function open({ constraints = [], tab = 'backtranslate' } = {}) {
  const opened = await openPage(env);
  const session = { version: 2, id: 's-crab', instruction: INSTRUCTION, response: RESPONSE, constraints, tab };
  await opened.page.evaluate((s) => localStorage.setItem('crab-playground/session', JSON.stringify(s)), session);
  await opened.page.reload();
  await opened.page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  await opened.page.getByTestId('open-model-settings').click();
  const dialog = opened.page.getByTestId('llm-settings');
  for (const [label, value] of [['Base URL', llm.url], ['Model', 'crab-test-small'], ['Retries', '0']]) {
    await dialog.getByLabel(label, { exact: true }).fill(value);
    await dialog.getByLabel(label, { exact: true }).press('Tab');
  }
  await opened.page.getByTestId('llm-settings-close').click();
  return opened;
}

const STYLE = 'Use a friendly and curious tone that suits young readers.';
const FIRST_ANSWERS = [
  'Refined instruction:\n\nTell me some facts about crabs, as a short dashed list for curious young readers.',
  JSON.stringify({
    Desired_Writing_Style: STYLE,
    Semantic_elements: 'Mention that crabs walk sideways, molt their shells and live on land.',
    Target_Audience: 'Write for marine biologists who need precise data.',
    'Morphological Constraints': 'Use a friendly and curious tone that suits young readers well.',
    'Multi-lingual_Constraints': 'NULL',
  }),
  'Here are the local constraints you asked for:\n```json\n' +
    JSON.stringify({
      Item_Listing_Details: 'List each fact on its own line after a dash (-).',
      Key_Formatting: 'Separate the sections with ****** lines.',
      Paragraphs_Constraints: 'NULL',
    }) +
    '\n```',
];
const CHECKS = [
  // Desired_Writing_Style: holds.
  JSON.stringify({ satisfaction: 'YES', explanation: '', modified_constraint: '', constraint_validity: 'YES' }),
  // Semantic_elements: not quite; repaired.
  JSON.stringify({ satisfaction: 'NO', explanation: 'the text does not say where all crabs live', modified_constraint: 'Mention that crabs walk sideways and molt their shells as the text says.', constraint_validity: 'YES' }),
  // Target_Audience: false and no valid rewrite; dropped.
  JSON.stringify({ satisfaction: 'NO', explanation: 'the text is for children, not experts', modified_constraint: '', constraint_validity: 'NO' }),
  // Morphological_Constraints: unparseable; kept unchecked (then merged as a near-duplicate).
  'I believe this one is fine.',
  // Item_Listing_Details: holds.
  JSON.stringify({ satisfaction: 'YES', explanation: '', modified_constraint: '', constraint_validity: 'YES' }),
];

test('CRAB LLM back-translation: every step decided and shown, then composed and exported', async () => {
  const { page, done } = await open();
  await page.getByTestId('derived-row').first().waitFor();
  await script([...FIRST_ANSWERS, ...CHECKS]);
  await page.getByTestId('llm-bt').click();
  await page.getByTestId('llm-bt-status').getByText(/constraint\(s\) from the model/).waitFor({ timeout: 15_000 });
  const requests = await chats();
  assert.equal(requests.length, 3 + 5, 'three first calls, then one check per constraint left');
  assert.equal(requests[0].body.temperature, 0.4);
  assert.equal(requests[0].body.top_p, 0.3);
  assert.equal(requests[0].body.messages[0].role, 'system');
  const steps = await page.getByTestId('llm-bt-step').evaluateAll((els) =>
    els.map((e) => [e.querySelector('code').textContent, e.dataset.kept, e.querySelector('[data-testid=llm-bt-decision]').textContent]),
  );
  const decision = (kind) => steps.find((s) => s[0] === kind);
  assert.deepEqual(decision('Desired_Writing_Style').slice(1), ['true', 'kept']);
  assert.match(decision('Semantic_elements')[2], /^repaired: the text does not say where all crabs live/);
  assert.deepEqual(decision('Target_Audience').slice(1), ['false', 'dropped: the text is for children, not experts']);
  assert.match(decision('Morphological_Constraints')[2], /^merged as a duplicate of Desired_Writing_Style \(ROUGE-L/);
  assert.equal(decision('Key_Formatting')[1], 'false');
  assert.match(decision('Key_Formatting')[2], /names “\*\*\*\*\*\*”, which the response does not contain/);
  assert.deepEqual(decision('Item_Listing_Details').slice(1), ['true', 'kept']);
  assert.match(await page.getByTestId('llm-bt-refined').textContent(), /dashed list for curious young readers/);
  await shot(page, 'llm-bt-steps');

  // The model's constraints join the derived list, marked llm, and can be composed.
  const llmRows = page.locator('[data-testid=derived-row][data-id^="llm:"]');
  assert.equal(await llmRows.count(), 3);
  await page.getByText('Priority weights by family').click();
  await page.getByTestId('weight-llm').fill('1000');
  await page.getByTestId('weight-llm').press('Enter');
  await until(page, () => document.querySelectorAll('[data-testid=derived-row][data-id^="llm:"][data-combined=true]').length >= 3);
  const prompt = await page.getByTestId('composed-prompt').inputValue();
  assert.ok(prompt.includes(STYLE), prompt);
  // IFEval rows keep checkable ids only; CRAB items carry every constraint.
  const [rowFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-ifeval').click()]);
  const row = JSON.parse(await readFile(await rowFile.path(), 'utf8'));
  assert.ok(row.instruction_id_list.every((id) => !id.startsWith('llm:')));
  assert.ok(row.constraints.some((c) => c.id === 'llm:Desired_Writing_Style' && c.source === 'llm' && c.combined));
  const [crabFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-crab').click()]);
  const items = (await readFile(await crabFile.path(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(items[0].messages[0].content.includes(STYLE));
  // The whole run exports as JSON: prompts, raw answers, decisions.
  const [runFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('llm-bt-export').click()]);
  const run = JSON.parse(await readFile(await runFile.path(), 'utf8'));
  assert.equal(run.log.length, 8);
  assert.equal(run.constraints.length, 6);
  assert.equal(run.log[3].answer, CHECKS[0]);
  await done();

  // The CLI, given the same pair and the same answers, decides the same: its row's run (every
  // constraint's text and decision, the refined instruction, the overlap, the problems, each
  // request and answer) equals the browser's export.
  await script([...FIRST_ANSWERS, ...CHECKS]);
  const dir = await mkdtemp(join(tmpdir(), 'crab-llm-identity-'));
  await writeFile(join(dir, 'in.jsonl'), JSON.stringify({ key: 1, instruction: INSTRUCTION, response: RESPONSE }) + '\n');
  // `cargo test --workspace` built it, into $CARGO_TARGET_DIR if that is set.
  const crab = process.env.CRAB_BIN ?? join(process.env.CARGO_TARGET_DIR ?? 'target', 'debug', 'crab');
  await promisify(execFile)(crab, ['backtranslate', '--input', join(dir, 'in.jsonl'), '--output', join(dir, 'out.jsonl'),
    '--base-url', llm.url, '--model', 'crab-test-small', '--retries', '0', '--check', '--concurrency', '1']);
  const cli = JSON.parse(await readFile(join(dir, 'out.jsonl'), 'utf8'));
  const browser = { ...run };
  delete browser.instruction;
  delete browser.response;
  assert.deepEqual(cli.llm.run, browser);
  assert.equal(cli.llm.run.constraints.filter((c) => c.kept).length, 3);
});

test('an unparseable first answer is shown with the reason, never a crash', async () => {
  const { page, done } = await open();
  await page.getByTestId('derived-row').first().waitFor();
  await page.getByTestId('llm-bt-check').uncheck();
  await script(['Better list of crab facts.', 'I would say the style is friendly.', '{"Item_Listing_Details": "Use dashes (-) for the list."}']);
  await page.getByTestId('llm-bt').click();
  await page.getByTestId('llm-bt-status').getByText(/could not be used/).waitFor({ timeout: 15_000 });
  assert.match(await page.getByTestId('llm-bt-problem').first().textContent(), /^global: no JSON object in the answer.*the style is friendly/);
  assert.equal(await page.getByTestId('llm-bt-step').count(), 1);
  await done();
});

test('the judge: verdicts for text constraints, prose before JSON, a retry, provenance and a disagreement', async () => {
  const { page, done } = await open({
    tab: 'verify',
    constraints: [
      { id: 'punctuation:no_comma', kwargs: {} },
      { id: 'llm:Desired_Writing_Style', kwargs: { text: STYLE } },
    ],
  });
  await page.getByTestId('text-constraint').fill('Mention that crabs molt.');
  await page.getByTestId('add-text-constraint').click();
  assert.equal(await page.getByTestId('constraint-row').count(), 3);
  // The response has one comma ("live on land, others"): the rule says no.
  assert.deepEqual(await page.getByTestId('strict-badge').allTextContents(), ['strict fail', 'not judged', 'not judged']);
  await page.getByTestId('judge-rules').check();
  // One call per constraint, in list order: the rule's rendering, then the two sentences.
  await script([
    'Looking at the text carefully, I see no commas at all.\n{"verdicts": [{"n": 1, "holds": true, "reason": "the judge missed the comma"}]}',
    'It is friendly.',
    '{"verdicts": [{"n": 1, "holds": true, "reason": "warm and curious"}]}',
    '{"verdicts": [{"n": 1, "holds": true, "reason": "it says they molt their shells"}]}',
  ]);
  await page.getByTestId('judge').click();
  await page.getByTestId('judge-status').getByText('Judged 3 constraint(s) with crab-test-small.').waitFor({ timeout: 15_000 });
  assert.equal((await chats()).length, 4, 'the unreadable answer was asked again');
  assert.equal((await chats())[0].body.temperature, 0);
  assert.deepEqual(await page.getByTestId('strict-badge').allTextContents(), ['strict fail', 'judged: holds', 'judged: holds']);
  assert.deepEqual(await page.getByTestId('provenance').allTextContents(), ['rule + LLM', 'LLM', 'LLM']);
  const judge = page.getByTestId('row-judge');
  assert.equal(await judge.getAttribute('data-disagree'), 'true');
  assert.match(await judge.textContent(), /the rule and the judge disagree; the rule decides/);
  assert.equal(await page.getByTestId('verify-summary').textContent(), '2 of 3 pass strict · 2 of 3 loose (2 judged by the model)');
  await shot(page, 'llm-judge');
  // A changed response is not judged yet.
  await page.getByTestId('response').fill(RESPONSE + '\nOne more line.');
  assert.deepEqual((await page.getByTestId('strict-badge').allTextContents()).slice(1), ['not judged', 'not judged']);
  await done();
});

test('the quiz: a guess in your own words is judged by the model, without points; a catalog guess keeps its grade', async () => {
  const { page, done } = await open({ tab: 'quiz' });
  const response = await page.getByTestId('quiz-response').textContent();
  // A catalog guess for comparison: graded by the library, with points.
  await page.getByRole('searchbox', { name: 'Search checks' }).fill('punctuation:no_comma');
  const entry = page.getByTestId('check-punctuation:no_comma');
  await entry.locator('summary').click();
  await entry.getByRole('button', { name: /^Add/ }).click();
  const total = await page.getByTestId('quiz-total').textContent();

  await page.getByTestId('quiz-free-text').fill('  The response is about something.  ');
  await page.getByTestId('quiz-add-free').click();
  await page.getByTestId('quiz-free-text').fill('It is written in French.');
  await page.getByTestId('quiz-free-text').press('Enter');
  const guesses = page.getByTestId('quiz-guess');
  assert.equal(await guesses.count(), 3);
  assert.match(await guesses.nth(1).textContent(), /llm:guess\s*The response is about something\.not judged/);
  assert.equal(await guesses.nth(1).getByTestId('quiz-guess-params').isVisible(), false);

  await script([
    'Sure.\n{"verdicts": [{"n": 1, "holds": true, "reason": "it has a topic"}]}',
    '{"verdicts": [{"n": 1, "holds": false, "reason": "it is in English"}]}',
  ]);
  await page.getByTestId('quiz-judge').click();
  await page.getByTestId('quiz-judge-status').getByText('Judged 2 constraint(s) with crab-test-small.').waitFor({ timeout: 15_000 });
  const sent = await chats();
  assert.equal(sent.length, 2);
  // The quizzed response and the learner's sentence (trimmed) are what the judge reads.
  const asked = JSON.stringify(sent[0].body.messages);
  assert.ok(asked.includes(JSON.stringify(response).slice(1, 40)), 'the quiz response is sent');
  assert.ok(asked.includes('The response is about something.'));
  assert.deepEqual((await page.getByTestId('quiz-verdict').allTextContents()).slice(1), ['judged: holds', 'judged: does not hold']);
  assert.deepEqual((await page.getByTestId('quiz-detail').allTextContents()).slice(-2), ['it has a topic', 'it is in English']);
  // Judged guesses earn no points: the score is the catalog guess's alone.
  assert.match(await page.getByTestId('quiz-total').textContent(), new RegExp(`^${total.split(' from ')[0]} from 3 guesses$`));
  // Judging again sends nothing: the verdicts are cached for this response and model.
  await page.getByTestId('quiz-judge').click();
  await page.getByTestId('quiz-judge-status').getByText('Every constraint is judged for this response already.').waitFor();
  assert.equal((await chats()).length, 2);
  await done();
});
