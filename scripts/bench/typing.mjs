// Typing latency in the whole app, in headless Chromium: the e2e test's long session
// (tests/e2e/fixtures/long-session.mjs: 10,000 words, 10 constraints), then keystrokes one word
// at a time. For each, the time from the input event until the word count shows it (the same as
// the e2e test), plus where the main thread's time went over all keystrokes (Chromium's script,
// layout and style counters).
//
//   node scripts/bench/typing.mjs [--keys 30] [--tab verify|backtranslate] [--trace] [--unthrottled]
//
// Uses the release bundle in dist/ (`bash scripts/build.sh`; DIST=dir for another one). Prints
// numbers; asserts nothing. `--trace` also records the real key presses with Chromium's tracing
// (main-thread time per keystroke by event: layout, style, paint, …) and its sampling profiler
// (script time by function, self and inclusive). Function names of the wasm need its name
// section, which the shipped bundle strips: `bash scripts/bench/build-profiling.sh` builds the
// same code with names into dist-profiling/ (DIST=dist-profiling).
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
const TRACE = args.includes('--trace');
// Chromium's frames paced by its 60 Hz clock (the default), or produced as soon as there is
// something to draw (`--unthrottled`: the work from key press to frame, without the wait for the
// display's next refresh).
const UNTHROTTLED = args.includes('--unthrottled');
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];

const server = await serve(process.env.DIST ?? 'dist', { prefix: '/' });
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ...(UNTHROTTLED ? ['--disable-gpu-vsync', '--disable-frame-rate-limit'] : [])],
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
  await page.getByTestId('row-json').fill(JSON.stringify(TEN_CONSTRAINTS_ROW));
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
  const events = [];
  if (TRACE) {
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline,blink,v8',
      transferMode: 'ReportEvents',
    });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
  }
  const keyBefore = await metrics();
  for (let i = 0; i < KEYS; i++) {
    await page.keyboard.press(i % 5 === 4 ? 'Space' : 'KeyA');
    // Polled on a timer, then a pause of 0–17 ms: waiting with requestAnimationFrame would send
    // every key press right after a frame, so that each one waited almost a whole frame for the
    // next (a person's key presses fall anywhere between two frames).
    await page.waitForFunction((n) => window.__keys.length >= n, i + 1, { polling: 5 });
    await page.waitForTimeout(Math.floor(Math.random() * 17));
  }
  const keyAfter = await metrics();
  const keys = await page.evaluate(() => window.__keys);
  if (process.env.TYPING_ALL) console.log(keys.map((k) => k.toFixed(1)).join(" "));
  if (TRACE) {
    const { profile } = await cdp.send('Profiler.stop');
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    report(events, profile, KEYS);
  }
  const per = (name) => ((after[name] - before[name]) * 1000) / KEYS;
  console.log(`${KEYS} keystrokes on 10,000 words, 10 constraints, ${TAB} tab open`);
  console.log(`  keystroke to updated view (incl. the next frame): median ${med(timings.map((t) => t.total)).toFixed(1)} ms, min ${Math.min(...timings.map((t) => t.total)).toFixed(1)} ms`);
  console.log(`  input handler (synchronous part): median ${med(timings.map((t) => t.handled)).toFixed(1)} ms`);
  const perKey = (name) => ((keyAfter[name] - keyBefore[name]) * 1000) / KEYS;
  console.log(`  per keystroke: script ${per('ScriptDuration').toFixed(1)} ms, layout ${per('LayoutDuration').toFixed(1)} ms, style ${per('RecalcStyleDuration').toFixed(1)} ms, all tasks ${per('TaskDuration').toFixed(1)} ms`);
  console.log(`  real key presses: median ${med(keys).toFixed(1)} ms, p95 ${p95(keys).toFixed(1)} ms, min ${Math.min(...keys).toFixed(1)} ms (key event to the frame after the update)`);
  console.log(`  per real key press: script ${perKey('ScriptDuration').toFixed(1)} ms, layout ${perKey('LayoutDuration').toFixed(1)} ms, style ${perKey('RecalcStyleDuration').toFixed(1)} ms, all tasks ${perKey('TaskDuration').toFixed(1)} ms`);
} finally {
  await browser.close();
  server.close();
}

/** Prints where the main thread's time went over the traced key presses. */
function report(events, profile, keys) {
  // The renderer's main thread: the one that ran the most script.
  const threads = new Map();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') {
      threads.set(`${e.pid}:${e.tid}`, 0);
    }
  }
  for (const e of events) {
    const k = `${e.pid}:${e.tid}`;
    if (threads.has(k) && e.ph === 'X' && e.name === 'FunctionCall') threads.set(k, threads.get(k) + e.dur);
  }
  const main = [...threads.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  // Total time per event name, counting only the outermost event of each name (no double counting
  // of nested events of the same name); a layout forced from script counts both as layout and in
  // the script event around it.
  const names = ['Layout', 'UpdateLayoutTree', 'PrePaint', 'Paint', 'Layerize', 'Commit',
    'FunctionCall', 'EventDispatch', 'RunMicrotasks', 'TimerFire', 'FireAnimationFrame',
    'ParseHTML', 'HitTest', 'RunTask'];
  const total = Object.fromEntries(names.map((n) => [n, 0]));
  const open = Object.fromEntries(names.map((n) => [n, -1]));
  const mainEvents = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && names.includes(e.name))
    .sort((a, b) => a.ts - b.ts);
  for (const e of mainEvents) {
    if (e.ts >= open[e.name]) {
      total[e.name] += e.dur ?? 0;
      open[e.name] = e.ts + (e.dur ?? 0);
    }
  }
  console.log('  trace, main thread per key press (ms, outermost events of each name):');
  console.log('   ', names.map((n) => `${n} ${(total[n] / 1000 / keys).toFixed(2)}`).join(', '));
  // Self time by event name (an event's duration less that of the events inside it).
  const xs = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const selfByName = new Map();
  const stack = [];
  for (const e of xs) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= e.ts) stack.pop();
    const outer = stack[stack.length - 1];
    if (outer) selfByName.set(outer.name, (selfByName.get(outer.name) ?? 0) - e.dur);
    selfByName.set(e.name, (selfByName.get(e.name) ?? 0) + e.dur);
    stack.push(e);
  }
  console.log('  trace, main thread self time per key press by event (ms):');
  console.log([...selfByName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)
    .map(([k, v]) => `    ${(v / 1000 / keys).toFixed(3).padStart(7)}  ${k}`).join('\n'));
  // CPU profile: self and inclusive time by function.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (n) => n.callFrame.functionName || `(anonymous ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`;
  const self = new Map();
  const incl = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    let id = profile.samples[i];
    const leaf = label(byId.get(id));
    self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set();
    while (id !== undefined) {
      const name = label(byId.get(id));
      if (!seen.has(name)) {
        seen.add(name);
        incl.set(name, (incl.get(name) ?? 0) + dt);
      }
      id = parent.get(id);
    }
  }
  const top = (m, n) => [...m.entries()].filter(([k]) => !['(idle)', '(root)'].includes(k))
    .sort((a, b) => b[1] - a[1]).slice(0, n)
    .map(([k, v]) => `    ${(v / keys).toFixed(3).padStart(7)} ms  ${k.slice(0, 150)}`).join('\n');
  console.log('  profile, self time per key press:');
  console.log(top(self, 40));
  console.log('  profile, inclusive time per key press:');
  console.log(top(incl, 60));
  // Top-down: the call tree down to the nodes that take at least 0.05 ms per key press.
  console.log('  profile, call tree per key press (>= 0.05 ms):');
  const treeTotal = new Map();
  const selfOf = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    selfOf.set(profile.samples[i], (selfOf.get(profile.samples[i]) ?? 0) + dt);
  }
  const sum = (id) => {
    if (treeTotal.has(id)) return treeTotal.get(id);
    let t = selfOf.get(id) ?? 0;
    for (const c of byId.get(id).children ?? []) t += sum(c);
    treeTotal.set(id, t);
    return t;
  };
  const walk = (id, depth) => {
    const t = sum(id) / keys;
    if (t < 0.05) return;
    const n = byId.get(id);
    const name = label(n).replace(/::h[0-9a-f]{16}/g, '');
    const boring = /^(wasm_bindgen|js_sys|<&T as core::fmt|reactive_graph|<reactive_graph|<T as reactive_graph|any_spawner|tachys|<tachys|core::ops::function|<alloc::boxed|std::|wasm-to-js|js-to-wasm)/.test(name);
    const kids = [...(n.children ?? [])].sort((a, b) => sum(b) - sum(a));
    if (!boring || kids.length !== 1) console.log(`    ${' '.repeat(Math.min(depth, 40))}${t.toFixed(3)} ${name.slice(0, 140)}`);
    for (const c of kids) walk(c, boring && kids.length === 1 ? depth : depth + 1);
  };
  walk(profile.nodes[0].id, 0);
}
