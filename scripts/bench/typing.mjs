// Typing latency in the whole app, in headless Chromium: the e2e test's long session
// (tests/e2e/fixtures/long-session.mjs: 10,000 words, 10 constraints), then keystrokes one word
// at a time. For each, the time from the input event until the word count shows it (the same as
// the e2e test), plus where the main thread's time went over all keystrokes (Chromium's script,
// layout and style counters).
//
//   node scripts/bench/typing.mjs [--keys 30] [--tab verify|backtranslate]
//
// Uses the release bundle in dist/ (`bash scripts/build.sh`). Prints numbers; asserts nothing.
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';
import { longResponse, TEN_CONSTRAINTS_ROW } from '../../tests/e2e/fixtures/long-session.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const KEYS = Number(opt('keys', '30'));
const TAB = opt('tab', 'verify');

const server = await serve(process.env.DIST ?? 'dist', { prefix: '/' });
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(base);
  await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();

  await page.evaluate((t) => {
    const area = document.querySelector('[data-testid=response]');
    area.value = t;
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }, longResponse());
  await page.waitForFunction(() => document.querySelector('[data-testid=word-count]')?.textContent === '10000');
  await page.getByTestId('row-paste').locator('summary').click();
  await page.getByLabel('IFEval input row (JSON)').fill(JSON.stringify(TEN_CONSTRAINTS_ROW));
  await page.getByTestId('load-row').click();
  await page.getByTestId('constraint-row').first().locator('.row-main').click();
  if (TAB === 'backtranslate') {
    await page.getByRole('tab', { name: 'Back-translate' }).click();
    await page.getByTestId('derived-row').first().waitFor({ timeout: 60_000 });
  }
  await page.waitForTimeout(1000);

  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries(
    (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
  );
  const before = await metrics();
  const timings = await page.evaluate(async (keys) => {
    const area = document.querySelector('[data-testid=response]');
    const count = document.querySelector('[data-testid=word-count]');
    const out = [];
    for (let i = 1; i <= keys; i++) {
      const expected = String(10000 + i);
      const t0 = performance.now();
      area.value += ' word';
      area.dispatchEvent(new Event('input', { bubbles: true }));
      const handled = performance.now() - t0;
      while (count.textContent !== expected) await new Promise((r) => requestAnimationFrame(r));
      // The next frame after the update: its layout and paint are part of the keystroke.
      await new Promise((r) => requestAnimationFrame(r));
      out.push({ total: performance.now() - t0, handled });
    }
    return out;
  }, KEYS);
  const after = await metrics();

  // Real key presses at the end of the text (the browser edits the textarea in place), timed
  // from the key event to the frame after the character count shows the new length.
  await page.getByTestId('response').focus();
  await page.evaluate(() => {
    const area = document.querySelector('[data-testid=response]');
    area.setSelectionRange(area.value.length, area.value.length);
    const count = document.querySelector('[data-testid=char-count]');
    window.__keys = [];
    area.addEventListener('input', (ev) => {
      const t0 = ev.timeStamp;
      const expected = String(area.value.length);
      const check = () => {
        if (count.textContent.replace(/[^0-9]/g, '') === expected) {
          requestAnimationFrame(() => window.__keys.push(performance.now() - t0));
        } else {
          requestAnimationFrame(check);
        }
      };
      check();
    });
  });
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.press(i % 5 === 4 ? 'Space' : 'KeyA');
    await page.waitForFunction((n) => window.__keys.length >= n, i + 1);
  }
  const keys = await page.evaluate(() => window.__keys);
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const per = (name) => ((after[name] - before[name]) * 1000) / KEYS;
  console.log(`${KEYS} keystrokes on 10,000 words, 10 constraints, ${TAB} tab open`);
  console.log(`  keystroke to updated view (incl. the next frame): median ${med(timings.map((t) => t.total)).toFixed(1)} ms, min ${Math.min(...timings.map((t) => t.total)).toFixed(1)} ms`);
  console.log(`  input handler (synchronous part): median ${med(timings.map((t) => t.handled)).toFixed(1)} ms`);
  console.log(`  real key presses: median ${med(keys).toFixed(1)} ms, min ${Math.min(...keys).toFixed(1)} ms (key event to the frame after the update)`);
  console.log(`  per keystroke: script ${per('ScriptDuration').toFixed(1)} ms, layout ${per('LayoutDuration').toFixed(1)} ms, style ${per('RecalcStyleDuration').toFixed(1)} ms, all tasks ${per('TaskDuration').toFixed(1)} ms`);
} finally {
  await browser.close();
  server.close();
}
