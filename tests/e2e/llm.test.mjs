// Bring your own model, against the scripted OpenAI-compatible test server (tests/llm/server.mjs):
// endpoint settings and Test connection's diagnoses, generation streaming into the response with
// live verdicts, Stop, every fault's message with nothing typed lost, Fix it, reasoning kept
// apart, JSON format checks, attempts surviving a reload, and the key kept out of storage, share
// links and exports.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useBrowser, openPage, shot, until } from './support.mjs';
import { startLlmServer } from '../llm/server.mjs';

const env = useBrowser();
let llm; // the scripted server
let locked; // a second one that wants an API key
let noCors; // a third one that sends no CORS headers
let dead; // an address where nothing listens

const KEY = 'crab-playground/session';
const SECRET = 'sk-test-SECRET-4711';

before(async () => {
  llm = await startLlmServer({});
  locked = await startLlmServer({ apiKey: SECRET });
  noCors = await startLlmServer({ cors: false });
  // A port that was free a moment ago: nothing answers there.
  const gone = await startLlmServer({});
  dead = { url: gone.url };
  await gone.close();
});
after(async () => {
  await llm?.close();
  await locked?.close();
  await noCors?.close();
});

const origin = (server) => server.url.replace(/\/v1$/, '');

/** Queues scripted answers on `server`. */
async function script(server, answers) {
  await fetch(`${origin(server)}/__control/reset`, { method: 'POST' });
  const r = await fetch(`${origin(server)}/__control/script`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ answers }),
  });
  assert.equal(r.status, 200);
}

/** The requests `server` received. */
async function log(server) {
  const r = await fetch(`${origin(server)}/__control/log`);
  const j = await r.json();
  return Array.isArray(j) ? j : j.requests;
}

/** A session with `instruction`, `response` and constraints, stored before the app loads. */
async function openWith({ instruction = 'Describe the sea.', response = '', constraints = [] } = {}) {
  const opened = await openPage(env, { expectErrorsFrom: [llm, locked, noCors, dead].map((s) => origin(s)) });
  const session = { version: 2, id: 's-llm', instruction, response, constraints, tab: 'verify' };
  await opened.page.evaluate(([k, s]) => localStorage.setItem(k, JSON.stringify(s)), [KEY, session]);
  await opened.page.reload();
  await opened.page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  return opened;
}

/** Opens the settings and fills the named fields (by visible label), then closes them. */
async function configure(page, fields) {
  await page.getByTestId('open-model-settings').click();
  const dialog = page.getByTestId('llm-settings');
  await dialog.waitFor();
  for (const [label, value] of Object.entries(fields)) {
    const field = dialog.getByLabel(label, { exact: true });
    await field.fill(String(value));
    await field.press('Tab');
  }
  return dialog;
}

async function close(page) {
  await page.getByTestId('llm-settings-close').click();
}

/** Configures the endpoint `server` with model `model`, no retries, short timeouts. */
async function useServer(page, server, extra = {}) {
  await configure(page, { 'Base URL': server.url, Model: 'crab-test-small', Retries: 0, ...extra });
  await close(page);
}

const strictBadges = (page) =>
  page.getByTestId('strict-badge').evaluateAll((els) => els.map((e) => e.textContent.trim()));

test('settings: labelled fields, presets, Test connection lists the models, and the picker fills Model', async () => {
  const { page, done } = await openWith();
  const dialog = await configure(page, {});
  for (const label of ['Base URL', 'API key', 'Model', 'Max tokens']) {
    assert.equal(await dialog.getByLabel(label, { exact: true }).count(), 1, label);
  }
  await dialog.getByTestId('preset-ollama').click();
  await until(page, () => document.querySelector('[data-testid=llm-base-url]')?.value === 'http://localhost:11434/v1');
  await dialog.getByTestId('preset-lm_studio').click();
  await until(page, () => document.querySelector('[data-testid=llm-base-url]')?.value === 'http://localhost:1234/v1');
  await dialog.getByLabel('Base URL', { exact: true }).fill(llm.url);
  await dialog.getByLabel('Base URL', { exact: true }).press('Tab');
  await dialog.getByTestId('llm-test').click();
  await dialog.getByTestId('llm-test-result').getByText(/Connected to .* 2 models\./).waitFor();
  await dialog.getByTestId('llm-model-option').filter({ hasText: 'crab-test-large' }).click();
  await until(page, () => document.querySelector('[data-testid=llm-model]')?.value === 'crab-test-large');
  // A bad number says why and changes nothing.
  await dialog.getByLabel('Max tokens', { exact: true }).fill('');
  await dialog.getByLabel('Temperature', { exact: true }).fill('0.7');
  await dialog.getByLabel('Temperature', { exact: true }).press('Tab');
  await shot(page, 'llm-settings');
  await close(page);
  assert.match(await page.getByTestId('gen-model').textContent(), /crab-test-large/);
  // The settings survive a reload (profiles live in IndexedDB).
  await page.reload();
  await until(page, () => /crab-test-large/.test(document.querySelector('[data-testid=gen-model]')?.textContent ?? ''));
  await done();
});

test('Test connection tells unreachable, blocked by CORS and a refused key apart', async () => {
  const { page, done } = await openWith();
  const dialog = await configure(page, { 'Base URL': dead.url });
  await dialog.getByTestId('llm-test').click();
  const result = dialog.getByTestId('llm-test-result');
  await result.getByText(`Nothing answers at ${dead.url}`).waitFor();
  assert.equal(await result.getAttribute('data-verdict'), 'Unreachable');

  await dialog.getByLabel('Base URL', { exact: true }).fill(noCors.url);
  await dialog.getByLabel('Base URL', { exact: true }).press('Tab');
  await dialog.getByTestId('llm-test').click();
  await result.getByText('blocks this page from reading it (CORS)').waitFor();
  const pageOrigin = new URL(env.base).origin;
  assert.match(await result.textContent(), new RegExp(`allow the origin ${pageOrigin.replace(/[.]/g, '\\.')}`));
  assert.match(await result.textContent(), /OLLAMA_ORIGINS=/);
  assert.match(await result.textContent(), /--cors/);

  await dialog.getByLabel('Base URL', { exact: true }).fill(locked.url);
  await dialog.getByLabel('Base URL', { exact: true }).press('Tab');
  await dialog.getByTestId('llm-test').click();
  await result.getByText('refused the API key').waitFor();
  assert.match(await result.textContent(), /401 Unauthorized/);
  assert.equal(await result.getAttribute('data-verdict'), 'Unauthorized');
  await dialog.getByLabel('API key', { exact: true }).fill('sk-wrong');
  await dialog.getByLabel('API key', { exact: true }).press('Tab');
  await dialog.getByTestId('llm-test').click();
  await result.getByText('refused the API key').waitFor();
  await dialog.getByLabel('API key', { exact: true }).fill(SECRET);
  await dialog.getByLabel('API key', { exact: true }).press('Tab');
  await dialog.getByTestId('llm-test').click();
  await result.getByText(/Connected to .* 2 models/).waitFor();
  // The key never shows up in the page's markup or its messages.
  assert.ok(!(await page.content()).includes(SECRET));
  await done();
});

test('a streamed answer fills the response while verdicts change, then a summary', async () => {
  const { page, done } = await openWith({
    instruction: 'Say something about the sea.',
    constraints: [
      { id: 'length_constraints:number_words', kwargs: { relation: 'less than', num_words: 12 } },
      { id: 'keywords:existence', kwargs: { keywords: ['harbour'] } },
    ],
  });
  await useServer(page, llm);
  const words = 'The sea is calm today and the boats rest quietly in the old harbour while gulls circle';
  await script(llm, [{ content: words, chunkChars: 3, delayMs: 60 }]);
  const seen = new Set();
  await page.getByTestId('generate').click();
  // While it streams: read-only, and the word-count verdict goes from pass to fail.
  await until(page, () => document.querySelector('[data-testid=response]')?.readOnly === true);
  let streamingSeen = false;
  for (let i = 0; i < 200; i++) {
    const status = await page.getByTestId('gen-status').textContent();
    const badges = await strictBadges(page);
    if (/arriving/.test(status)) {
      streamingSeen = true;
      seen.add(badges[0]);
    }
    if (/^Done/.test(status)) break;
    if (seen.has('strict pass') && seen.has('strict fail') && i % 10 === 0) await shot(page, 'llm-stream');
    await page.waitForTimeout(40);
  }
  assert.ok(streamingSeen, 'saw the answer arriving');
  assert.ok(seen.has('strict pass') && seen.has('strict fail'), `verdicts seen while streaming: ${[...seen]}`);
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  assert.equal(await page.getByTestId('response').inputValue(), words);
  assert.equal(await page.getByTestId('response').evaluate((e) => e.readOnly), false);
  assert.equal(await page.getByTestId('gen-summary').textContent(), '1 of 2 constraints hold (strict), 1 of 2 loose; not held: length_constraints:number_words');
  assert.match(await page.getByTestId('gen-status').textContent(), /→ \d+ tokens/);
  // What was sent: a streamed request with usage asked for, the instruction as the user turn.
  const [sent] = (await log(llm)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  assert.equal(sent.body.stream, true);
  assert.deepEqual(sent.body.stream_options, { include_usage: true });
  assert.equal(sent.body.model, 'crab-test-small');
  assert.deepEqual(sent.body.messages, [{ role: 'user', content: 'Say something about the sea.' }]);
  await done();
});

test('Stop keeps what arrived; Restore previous response brings back the one before', async () => {
  const { page, done } = await openWith({ response: 'My own earlier draft.' });
  await useServer(page, llm);
  await script(llm, [{ content: 'word '.repeat(200), chunkChars: 5, delayMs: 50 }]);
  await page.getByTestId('generate').click();
  await until(page, () => (document.querySelector('[data-testid=response]')?.value ?? '').length > 20);
  await page.getByTestId('stop').click();
  await page.getByTestId('gen-status').getByText(/^Stopped/).waitFor();
  const kept = await page.getByTestId('response').inputValue();
  assert.ok(kept.length > 0 && kept.length < 1000, `kept ${kept.length} characters`);
  await page.waitForTimeout(300);
  assert.equal(await page.getByTestId('response').inputValue(), kept, 'nothing arrives after Stop');
  const requests = (await log(llm)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  assert.equal(requests.at(-1).aborted, true);
  await page.getByTestId('restore-previous').click();
  assert.equal(await page.getByTestId('response').inputValue(), 'My own earlier draft.');
  await done();
});

// Each fault: the message names the status and the server's own words, and nothing typed is lost.
const FAULTS = [
  ['401', /refused the API key.*401 Unauthorized/],
  ['404-model', /does not know this model.*404 Not Found.*does not exist/],
  ['500-openai', /failed while answering.*500 Internal Server Error/],
  ['500-vllm-old', /failed while answering.*500 Internal Server Error/],
  ['500-llamacpp', /failed while answering.*500 Internal Server Error/],
  ['400-empty', /refused the request \(400 Bad Request\)\./],
  ['html', /502 Bad Gateway.*an HTML page/],
  ['non-json', /not with a chat completion/],
  ['mid-stream-error', /error in the middle of its answer/],
  ['cut-empty', /closed the stream without sending any answer/],
];

test('every fault gives its message, with the instruction and the previous response intact', async () => {
  const { page, done } = await openWith({ instruction: 'Keep me.', response: 'Previous answer.' });
  await useServer(page, llm);
  for (const [fault, message] of FAULTS) {
    await script(llm, [{ fault, content: 'partial content that arrives first and then' }]);
    await page.getByTestId('generate').click();
    await until(page, () => (document.querySelector('[data-testid=gen-error]')?.textContent ?? '') !== '');
    const error = await page.getByTestId('gen-error').textContent();
    assert.match(error, message, `${fault}: ${error}`);
    assert.ok(!error.includes(SECRET));
    assert.equal(await page.getByTestId('instruction').inputValue(), 'Keep me.', fault);
    const response = await page.getByTestId('response').inputValue();
    if (response !== 'Previous answer.') {
      // Part of an answer arrived before the fault: it is shown, and the previous one is a click away.
      assert.ok(response.startsWith('partial'), `${fault}: ${response}`);
      await page.getByTestId('restore-previous').click();
      assert.equal(await page.getByTestId('response').inputValue(), 'Previous answer.', fault);
    }
    if (fault === 'html') await shot(page, 'llm-fault');
  }
  await done();
});

test('timeouts: a slow first byte and a stalled stream', async () => {
  const { page, done } = await openWith({ response: 'Before.' });
  await useServer(page, llm, { 'First byte within (ms)': 800, 'Idle limit (ms)': 800 });
  await script(llm, [{ fault: 'slow-first-byte', firstByteDelayMs: 3000, content: 'late' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-error').getByText('did not start answering within 800 ms').waitFor();
  assert.equal(await page.getByTestId('response').inputValue(), 'Before.');
  await script(llm, [{ fault: 'stall', content: 'some words then nothing more' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-error').getByText('stopped arriving for 800 ms').waitFor();
  assert.ok((await page.getByTestId('response').inputValue()).length > 0);
  await done();
});

test('a cut stream keeps its content with a warning; servers that refuse streaming are asked again', async () => {
  const { page, done } = await openWith();
  await useServer(page, llm);
  await script(llm, [{ fault: 'cut', content: 'An answer that is cut short somewhere in the middle.' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  assert.match(await page.getByTestId('gen-warnings').textContent(), /may be cut|connection broke/);
  await script(llm, [{ fault: '400-stream-unsupported', content: 'Fine without streaming.' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  assert.equal(await page.getByTestId('response').inputValue(), 'Fine without streaming.');
  const chats = (await log(llm)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  assert.equal(chats.at(-1).body.stream, false);
  await script(llm, [{ fault: 'not-event-stream', content: 'A whole JSON answer.' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  assert.equal(await page.getByTestId('response').inputValue(), 'A whole JSON answer.');
  await done();
});

test('Fix it quotes only the broken constraints with their details and re-verifies the answer', async () => {
  const { page, done } = await openWith({
    instruction: 'Describe a lighthouse in one short paragraph.',
    constraints: [
      { id: 'punctuation:no_comma', kwargs: {} },
      { id: 'length_constraints:number_words', kwargs: { relation: 'less than', num_words: 40 } },
    ],
  });
  await useServer(page, llm);
  await script(llm, [
    { content: 'The lighthouse stands tall, white and red, on the rocky point.', delayMs: 5 },
    { content: 'The lighthouse stands tall on the rocky point and guides the boats home.', delayMs: 5 },
  ]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  assert.deepEqual(await strictBadges(page), ['strict fail', 'strict pass']);
  await page.getByTestId('fix-it').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  assert.deepEqual(await strictBadges(page), ['strict pass', 'strict pass']);
  assert.equal(await page.getByTestId('gen-summary').textContent(), '2 of 2 constraints hold (strict), 2 of 2 loose');
  const chats = (await log(llm)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  const fix = chats.at(-1).body.messages;
  assert.equal(fix.length, 3);
  assert.equal(fix[1].role, 'assistant');
  assert.equal(fix[1].content, 'The lighthouse stands tall, white and red, on the rocky point.');
  assert.match(fix[2].content, /1\. .*comma.*\(now: 2 commas\)/i);
  assert.ok(!/2\. /.test(fix[2].content), 'only the broken constraint is quoted');
  await done();
});

test('reasoning is shown apart, collapsed, and never verified; JSON format is checked', async () => {
  const { page, done } = await openWith({ constraints: [{ id: 'punctuation:no_comma', kwargs: {} }] });
  await useServer(page, llm);
  await script(llm, [
    { reasoning: 'Let me think, carefully, about commas.', content: 'No commas here at all.' },
    { reasoning: 'Plan: short, calm.', reasoningAs: 'think_tags', content: 'Calm words only.' },
  ]);
  for (const want of ['No commas here at all.', 'Calm words only.']) {
    await page.getByTestId('generate').click();
    await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
    assert.equal(await page.getByTestId('response').inputValue(), want);
    assert.deepEqual(await strictBadges(page), ['strict pass']);
    const details = page.getByTestId('gen-reasoning');
    assert.equal(await details.evaluate((d) => d.open), false);
    assert.match(await page.getByTestId('gen-reasoning-text').textContent(), /,/);
  }
  await configure(page, {});
  await page.getByTestId('llm-format').selectOption('json_object');
  await close(page);
  await script(llm, [{ content: '{"sea": "calm"' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-format').getByText('not valid JSON').waitFor();
  const chats = (await log(llm)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  assert.deepEqual(chats.at(-1).body.response_format, { type: 'json_object' });
  await script(llm, [{ content: '{"sea": "calm"}' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-format').getByText('valid JSON').waitFor();
  await done();
});

test('attempts are kept per session across reloads and restore their response', async () => {
  const { page, done } = await openWith({ response: 'Start.' });
  await useServer(page, llm);
  await script(llm, [{ content: 'First attempt.', delayMs: 1 }, { content: 'Second attempt.', delayMs: 1 }]);
  for (const text of ['First attempt.', 'Second attempt.']) {
    await page.getByTestId('generate').click();
    await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
    assert.equal(await page.getByTestId('response').inputValue(), text);
  }
  await page.reload();
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  await page.getByTestId('attempts').locator('summary').click();
  await until(page, () => document.querySelectorAll('[data-testid=attempt]').length === 2);
  // Newest first.
  await page.getByTestId('attempt-restore').nth(1).click();
  assert.equal(await page.getByTestId('response').inputValue(), 'First attempt.');
  await done();
});

test('the API key stays out of localStorage, share links and exports (and is remembered only when asked)', async () => {
  const { page, done } = await openWith({ instruction: 'Hi.', response: 'Hello.' });
  await configure(page, { 'Base URL': locked.url, Model: 'crab-test-small', 'API key': SECRET, Retries: 0 });
  await close(page);
  await script(locked, [{ content: 'Authorised.' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  const chats = (await log(locked)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  assert.equal(chats.at(-1).headers.authorization, `Bearer ${SECRET}`);
  const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!storage.includes(SECRET), 'the key is not in localStorage');
  const stored = () =>
    page.evaluate(
      () =>
        new Promise((resolve) => {
          const open = indexedDB.open('crab-playground');
          open.onsuccess = () => {
            const all = open.result.transaction('profiles').objectStore('profiles').getAll();
            all.onsuccess = () => resolve(JSON.stringify(all.result));
          };
        }),
    );
  assert.ok(!(await stored()).includes(SECRET), 'not in IndexedDB either, by default');
  await page.getByTestId('share').click();
  assert.ok(!(await page.getByTestId('share-url').inputValue()).includes(SECRET));
  await page.keyboard.press('Escape');
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-session').click()]);
  assert.ok(!(await readFile(await file.path(), 'utf8')).includes(SECRET));
  // After a reload the key is gone (kept in memory only)…
  await page.reload();
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  const dialog = await configure(page, {});
  assert.equal(await dialog.getByLabel('API key', { exact: true }).inputValue(), '');
  // …unless "remember on this device" is ticked: then it is in IndexedDB, still not in localStorage.
  await dialog.getByLabel('API key', { exact: true }).fill(SECRET);
  await dialog.getByLabel('API key', { exact: true }).press('Tab');
  await dialog.getByTestId('llm-remember').check();
  await close(page);
  await until(page, () => true);
  await page.waitForTimeout(200);
  assert.ok((await stored()).includes(SECRET));
  assert.ok(!(await page.evaluate(() => JSON.stringify({ ...localStorage }))).includes(SECRET));
  await page.reload();
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  const again = await configure(page, {});
  await until(page, () => document.querySelector('[data-testid=llm-api-key]')?.value !== '');
  assert.equal(await again.getByLabel('API key', { exact: true }).inputValue(), SECRET);
  await done();
});

test('Send to model: the composed instruction goes to Verify and is answered', async () => {
  const { page, done } = await openWith({
    instruction: 'Write about a harbour.',
    response: 'The harbour is quiet at dawn. Boats rest on the water and the gulls are asleep.',
  });
  await useServer(page, llm);
  await page.getByRole('tab', { name: 'Back-translate' }).click();
  await page.getByTestId('derived-row').first().waitFor();
  // The language data arrives on first need and adds a constraint to the composition: read the
  // prompt once it is there (the stats strip names the language then).
  await page.getByTestId('language').getByText('(en)').waitFor();
  await page.getByTestId('derived-row').and(page.locator('[data-id="language:response_language"]')).waitFor();
  const prompt = await page.getByTestId('composed-prompt').inputValue();
  await script(llm, [{ content: 'The harbour is quiet at dawn. Boats rest on the water and the gulls are asleep.' }]);
  await page.getByTestId('send-to-model').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  assert.equal(await page.getByTestId('instruction').inputValue(), prompt);
  const chats = (await log(llm)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  assert.equal(chats.at(-1).body.messages[0].content, prompt);
  assert.match(await page.getByTestId('gen-summary').textContent(), /constraints hold/);
  await done();
});

test('a failure worth retrying is retried on the settings schedule, and says so', async () => {
  const { page, done } = await openWith({ response: 'Before.' });
  await useServer(page, llm, { Retries: 1 });
  await script(llm, [{ fault: '500-openai' }, { content: 'Second time lucky.' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-status').getByText('Trying again in 1 s').waitFor();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  assert.equal(await page.getByTestId('response').inputValue(), 'Second time lucky.');
  const chats = (await log(llm)).filter((r) => r.method === 'POST' && r.path.endsWith('/chat/completions'));
  assert.equal(chats.length, 2);
  // A refused key is not retried.
  await script(llm, [{ fault: '401' }, { content: 'never asked for' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-error').getByText('refused the API key').waitFor();
  assert.equal((await log(llm)).filter((r) => r.method === 'POST').length, 1);
  await done();
});

test('a full browser store is a message, and the attempt is still listed', async () => {
  const { page, done } = await openWith();
  await useServer(page, llm);
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await script(llm, [{ content: 'Kept in this tab.' }]);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor();
  await page.getByTestId('status').getByText("the browser's storage for this site is full").waitFor();
  await page.getByTestId('attempts').locator('summary').click();
  assert.equal(await page.getByTestId('attempt').count(), 1);
  assert.equal(await page.getByTestId('response').inputValue(), 'Kept in this tab.');
  await done();
});
