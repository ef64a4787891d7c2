// Keeping and sharing: the share link round trip (a fresh browser gets the same session, and the
// fragment is not re-applied on reload), a damaged link's message, session export → import
// round trip, and a malformed import that leaves the session untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import { useBrowser, openPage, shot } from './support.mjs';

const env = useBrowser();

const KEY = 'crab-playground/session';

// A session with odd text, constraints and non-default settings everywhere, written for the test.
const SESSION = {
  version: 2,
  id: 's-fixture',
  instruction: 'Écris un haïku — about the sea 🌊, in “quotes”.',
  response: 'Waves fold into foam\nשלום · 海 · e\u0301\tsalt wind\n\nThe tide keeps no count.',
  constraints: [
    { id: 'punctuation:no_comma', kwargs: {} },
    { id: 'length_constraints:number_words', kwargs: { relation: 'at least', num_words: 5 } },
    { id: 'keywords:existence', kwargs: { keywords: ['tide', 'foam'] } },
  ],
  compose: {
    seed: 4242,
    min: 2,
    max: 6,
    connector: 'dash',
    template: 'labelled',
    ifeval_only: true,
    weights: { keywords: 2.5, punctuation: 0 },
    excluded: ['punctuation:no_comma {}'],
    key: 'row-17',
  },
  theme: 'dark',
  tab: 'backtranslate',
};

const saved = (page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key)), KEY);

/** Opens a page whose stored session is `session`. */
async function openWith(session) {
  const opened = await openPage(env);
  await opened.page.evaluate(([key, s]) => localStorage.setItem(key, JSON.stringify(s)), [KEY, session]);
  await opened.page.reload();
  await opened.page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  return opened;
}

test('a share link opens the same session in a fresh browser, once', async () => {
  const { page, done } = await openWith(SESSION);
  assert.deepEqual(await saved(page), SESSION);
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.ok(url.startsWith(env.base), url);
  assert.match(url, /#s=[A-Za-z0-9_-]+$/);
  await page.getByTestId('share-status').getByText('Copied').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  await shot(page, 'session-share');
  // Escape closes the panel (focus is in the link field once it is copied).
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'share-url');
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('share-panel').count(), 0);
  // A browser that refuses the clipboard: the link is still shown, with what to do.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await page.getByTestId('share').click();
  await page.getByTestId('share-status').getByText('copy it by hand').waitFor();
  assert.equal(await page.getByTestId('share-url').inputValue(), url);
  await done();

  // A fresh context: empty storage, the link as the address.
  const fresh = await openPage(env, { url });
  assert.equal(await fresh.page.getByTestId('instruction').inputValue(), SESSION.instruction);
  assert.equal(await fresh.page.getByTestId('response').inputValue(), SESSION.response);
  assert.deepEqual(await saved(fresh.page), SESSION);
  await fresh.page.getByTestId('status').getByText('Loaded the shared session').waitFor();
  // The fragment is gone from the address, so a reload keeps later edits.
  assert.equal(await fresh.page.evaluate(() => location.hash), '');
  await fresh.page.getByTestId('response').fill('Edited after opening the link.');
  await fresh.page.reload();
  await fresh.page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  assert.equal(await fresh.page.getByTestId('response').inputValue(), 'Edited after opening the link.');
  await fresh.done();
});

test('a damaged share link says so and keeps the saved session', async () => {
  const b64url = (text) => deflateRawSync(Buffer.from(text)).toString('base64url');
  const cases = [
    'not*base64!', // not base64url
    'AAAA', // not deflate data
    b64url('[1, 2]'), // deflated JSON that is not a session
    b64url('{"response": "cut'), // deflated text that is not JSON
  ];
  for (const payload of cases) {
    const opened = await openWith(SESSION);
    const { page, done } = opened;
    await page.goto('about:blank');
    await page.goto(`${env.base}#s=${payload}`);
    await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
    await page.getByTestId('status').getByText('The share link could not be read').waitFor();
    assert.equal(await page.evaluate(() => location.hash), '');
    assert.equal(await page.getByTestId('response').inputValue(), SESSION.response);
    await done();
  }
});

test('export then import gives the identical session', async () => {
  const { page, done } = await openWith(SESSION);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-session').click()]);
  assert.match(file.suggestedFilename(), /^crab-session-\d{4}-\d{2}-\d{2}\.json$/);
  const path = await file.path();
  const text = await readFile(path, 'utf8');
  assert.deepEqual(JSON.parse(text), SESSION);
  assert.ok(text.includes('\n  "instruction"'), 'pretty-printed');

  // Change everything, then import the export.
  await page.getByTestId('response').fill('Something else entirely.');
  await page.getByTestId('theme').selectOption('light');
  assert.notDeepEqual(await saved(page), SESSION);
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-session').click()]);
  await chooser.setFiles(path);
  await page.getByTestId('status').getByText('Imported the session').waitFor();
  assert.deepEqual(await saved(page), SESSION);
  assert.equal(await page.getByTestId('response').inputValue(), SESSION.response);
  await done();
});

test('a malformed import gives a clear message and changes nothing', async () => {
  const { page, done } = await openWith(SESSION);
  const cases = [
    ['broken.json', '{"response": "cut off'],
    ['wrong-shape.json', '{"version": 2, "constraints": "not a list"}'],
    ['not-a-session.json', '{"constraints": []}'],
    ['list.json', '[1, 2, 3]'],
  ];
  for (const [name, content] of cases) {
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-session').click()]);
    await chooser.setFiles({ name, mimeType: 'application/json', buffer: Buffer.from(content) });
    await page.getByTestId('status').getByText(`"${name}" could not be imported`).waitFor();
    await page.getByTestId('status').getByText('unchanged').waitFor();
    assert.deepEqual(await saved(page), SESSION);
    assert.equal(await page.getByTestId('response').inputValue(), SESSION.response);
  }
  await done();
});
