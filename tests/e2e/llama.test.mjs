// The app against a real OpenAI-compatible server not written by us: llama-cpp-python 0.3.36's
// server (tests/llm/llama.mjs) with a tiny random model (gibberish text, real HTTP and quirks).
// The model list from Test connection, a streamed answer verified, Stop, and the server's answer
// to a streamed prompt over its context window (200 with an empty body) reported as a problem.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPage, until } from './support.mjs';
import { startLlamaServer } from '../llm/llama.mjs';

const env = useBrowser();
let llama;

before(async () => {
  llama = await startLlamaServer();
});
after(async () => {
  await llama?.close();
});

async function openWith(instruction, constraints = []) {
  const opened = await openPage(env, { expectErrorsFrom: [llama.url.replace(/\/v1$/, '')] });
  const session = { version: 2, id: 's-llama', instruction, response: 'Earlier.', constraints, tab: 'verify' };
  await opened.page.evaluate((s) => localStorage.setItem('crab-playground/session', JSON.stringify(s)), session);
  await opened.page.reload();
  await opened.page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
  return opened;
}

async function setUp(page, maxTokens) {
  await page.getByTestId('open-model-settings').click();
  const dialog = page.getByTestId('llm-settings');
  const fill = async (label, value) => {
    await dialog.getByLabel(label, { exact: true }).fill(String(value));
    await dialog.getByLabel(label, { exact: true }).press('Tab');
  };
  await fill('Base URL', llama.url);
  await fill('Max tokens', maxTokens);
  await fill('Retries', 0);
  await dialog.getByTestId('llm-test').click();
  await dialog.getByTestId('llm-test-result').getByText(/Connected to .* 1 model\./).waitFor();
  await dialog.getByTestId('llm-model-option').filter({ hasText: llama.model }).click();
  await until(page, (m) => document.querySelector('[data-testid=llm-model]')?.value === m, llama.model);
  await page.getByTestId('llm-settings-close').click();
}

test('llama-cpp-python: the model list, a streamed answer verified, then Stop', async () => {
  const { page, done } = await openWith('Write anything.', [
    { id: 'length_constraints:number_words', kwargs: { relation: 'less than', num_words: 100000 } },
  ]);
  await setUp(page, 24);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-status').getByText(/^Done/).waitFor({ timeout: 30_000 });
  const answer = await page.getByTestId('response').inputValue();
  assert.ok(answer.length > 0, 'the model answered');
  assert.equal(await page.getByTestId('gen-summary').textContent(), '1 of 1 constraints hold (strict), 1 of 1 loose');
  // The server ignores include_usage: the counts are estimates, and say so.
  assert.match(await page.getByTestId('gen-status').textContent(), /tokens \(estimated\)/);

  await setUp(page, 230);
  await page.getByTestId('generate').click();
  // Stop from inside the page as soon as the answer has begun: on a busy machine a Playwright
  // click, a round trip later, can come after the tiny model's 230 tokens.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const give_up = setTimeout(() => reject(new Error('no streamed text to stop within 10 s')), 10_000);
    const tick = () => {
      const area = document.querySelector('[data-testid=response]');
      const stop = document.querySelector('[data-testid=stop]');
      if (stop && area && area.value.length > 5 && area.value !== 'Earlier.') {
        clearTimeout(give_up);
        stop.click();
        resolve();
      } else {
        setTimeout(tick, 0);
      }
    };
    tick();
  }));
  await page.getByTestId('gen-status').getByText(/^(Stopped|Done)/).waitFor();
  const status = await page.getByTestId('gen-status').textContent();
  assert.match(status, /^Stopped/, `the 230-token answer was still streaming when Stop was pressed: ${status}`);
  assert.ok((await page.getByTestId('response').inputValue()).length > 0);
  await done();
});

test('llama-cpp-python: a streamed prompt over the context window is reported, not an empty success', async () => {
  const long = 'Please consider every one of these words carefully. '.repeat(60);
  const { page, done } = await openWith(long);
  await setUp(page, 16);
  await page.getByTestId('generate').click();
  await page.getByTestId('gen-error').getByText('closed the stream without sending any answer').waitFor({ timeout: 30_000 });
  assert.match(await page.getByTestId('gen-error').textContent(), /context window/);
  assert.equal(await page.getByTestId('response').inputValue(), 'Earlier.');
  assert.equal(await page.getByTestId('instruction').inputValue(), long);
  await done();
});
