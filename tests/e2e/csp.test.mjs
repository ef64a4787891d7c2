// The Content-Security-Policy of the release bundle (scripts/csp.mjs): the build step refuses a
// page the policy would break, its hash is the one the browser computes, the page carries the
// policy before any script, the browser really enforces it (an injected inline script, event
// handler, string eval, <style> element, style= attribute and data: image are each refused and
// reported), every panel works under it without a single violation, and the header form that
// the hosting notes give works too and refuses framing, which the meta alone cannot.
//
// Every other e2e test runs under the policy as well: `openPage` (support.mjs) fails a test on any
// violation report or CSP console message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, PREFIX, useBrowser, openPage, shot, axeViolations, until } from './support.mjs';
import { serve } from '../../scripts/serve.mjs';
import { addPolicy, sha256Source } from '../../scripts/csp.mjs';

const env = useBrowser();

/** The Batch tab (a second bundle, a module Web Worker, a stylesheet it adds, Blob downloads). */
async function runBatch(page) {
  const ifeval = '/work/shared/data/ifeval';
  await page.getByRole('tab', { name: 'Batch' }).click();
  await page.getByTestId('batch-view').waitFor({ timeout: 60_000 });
  await page.getByTestId('batch-input').setInputFiles(`${ifeval}/input_data_gpt4_20231107_145030.jsonl`);
  await page.getByTestId('batch-input-name').filter({ hasText: 'Loaded' }).waitFor();
  await page.getByTestId('batch-responses').setInputFiles(`${ifeval}/input_response_data_gpt4_20231107_145030.jsonl`);
  await page.getByTestId('batch-responses-name').filter({ hasText: 'Loaded' }).waitFor();
  await page.getByTestId('batch-run').click();
  await page.locator('[data-testid="batch-status"][data-status="done"]').waitFor({ state: 'attached', timeout: 120_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  assert.equal(await file.failure(), null);
  // The view's stylesheet applies (style-src 'self').
  assert.equal(await page.locator('.drop-zone').first().evaluate((e) => getComputedStyle(e).borderStyle), 'dashed');
}
const CRAB_SAMPLE = '/work/shared/data/crab/constraint_back_translation_sample.json';

const html = await readFile(join(DIST, 'index.html'), 'utf8');
const headerLine = (await readFile(join(DIST, 'content-security-policy.txt'), 'utf8')).trim();
const META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];

test('the page carries the policy before any script, and the header form adds only frame-ancestors', () => {
  assert.ok(META, 'dist/index.html has a Content-Security-Policy meta');
  assert.equal(html.match(/http-equiv="Content-Security-Policy"/g).length, 1);
  const at = html.indexOf('http-equiv="Content-Security-Policy"');
  for (const tag of ['<script', '<link', '<style']) {
    const first = html.indexOf(tag);
    assert.ok(first === -1 || at < first, `the policy comes after the first ${tag}`);
  }
  const directives = new Map(META.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  assert.deepEqual([...directives.keys()], [
    'default-src', 'script-src', 'style-src', 'img-src', 'connect-src', 'worker-src', 'object-src',
    'base-uri', 'form-action',
  ]);
  // No way around the policy: nothing inline but Trunk's loader, by hash; no eval; no other origin
  // for scripts and styles.
  const [self, wasm, ...hashes] = directives.get('script-src');
  assert.deepEqual([self, wasm], ["'self'", "'wasm-unsafe-eval'"]);
  assert.equal(hashes.length, 1);
  assert.match(hashes[0], /^'sha256-[A-Za-z0-9+/]{43}='$/);
  assert.deepEqual(directives.get('style-src'), ["'self'"]);
  assert.ok(!META.includes('unsafe-inline') && !META.includes("'unsafe-eval'"));
  // A meta policy cannot say frame-ancestors (browsers ignore it there): the header adds it.
  assert.ok(!META.includes('frame-ancestors'));
  assert.equal(headerLine, `Content-Security-Policy: ${META}; frame-ancestors 'none'`);
});

test('the build step is idempotent and refuses a page the policy would break or not describe', () => {
  const inBundle = () => true;
  // Run again on its own output: the same page.
  assert.equal(addPolicy(html, inBundle).html, html);
  // Trunk minifies the page in release builds (Trunk.toml), which unquotes `type="module"`.
  const loader = /<script type="?module"?>[\s\S]*?<\/script>/.exec(html)[0];
  const broken = [
    [html.replace('</head>', '<style>body{}</style></head>'), /is an inline <style> element/],
    [html.replace('<body>', '<body style="margin:0">'), /has a style= attribute/],
    [html.replace('<body>', '<body onload="start()">'), /has an event-handler attribute \(onload=\)/],
    [html.replace('</head>', '<script>1</script></head>'), /expected one inline script \(Trunk's loader\), found 2/],
    [html.replace(loader, '<script type="module">import "./x.js";</script>'), /is not Trunk's loader/],
    [html.replace('</head>', '<script src="https://cdn.example/x.js"></script></head>'), /loads https:\/\/cdn.example\/x.js from another origin/],
    [html.replace('</head>', '<link rel="stylesheet" href="//cdn.example/x.css"></head>'), /loads \/\/cdn.example\/x.css from another origin/],
    [html.replace('<body>', '<body><a href="javascript:void 0">x</a>'), /has a javascript: URL in href=/],
    [html.replace('</head>', '<base href="/"></head>'), /is a <base> element/],
  ];
  for (const [page, problem] of broken) {
    assert.throws(() => addPolicy(page, inBundle), (e) => /does not fit the policy/.test(e.message) && problem.test(e.message), String(problem));
  }
  // The loader must import files that are in the bundle.
  assert.throws(() => addPolicy(html, (f) => !f.endsWith('.wasm')), /which is not in the bundle/);
});

test("the script hash is the browser's, line ends normalised as the HTML parser does", async () => {
  // A script with CRLF line ends runs under sha256Source's hash (of the text with LF), and not
  // under the hash of its bytes as written.
  const text = '\r\nwindow.__hashed = 1;\r\n';
  const asWritten = `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
  for (const [hash, runs] of [[sha256Source(text), 1], [asWritten, 0]]) {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await page.setContent(`<meta http-equiv="Content-Security-Policy" content="script-src ${hash}"><script>${text}</script>`);
    assert.equal(await page.evaluate(() => window.__hashed ?? 0), runs, hash);
    await context.close();
  }
});

test('the policy is enforced: injected inline code and styles are refused and reported', async () => {
  const { page, problems, violations, done } = await openPage(env);
  await page.evaluate(() => {
    window.__ran = [];
    // An inline <script> element.
    const script = document.createElement('script');
    script.textContent = 'window.__ran.push("inline script")';
    document.head.append(script);
    // An inline event handler (what `<img src=x onerror=…>` in injected markup would be).
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.__ran.push("event handler")');
    document.body.append(button);
    button.click();
    button.remove();
    // A string evaluated as code.
    setTimeout('window.__ran.push("string eval")', 0);
    // A <style> element and a style= attribute.
    const style = document.createElement('style');
    style.textContent = 'body { letter-spacing: 7px }';
    document.head.append(style);
    const probe = document.createElement('span');
    probe.id = 'csp-probe';
    probe.setAttribute('style', 'letter-spacing: 7px');
    document.body.append(probe);
    // An image from a data: URL (nothing in the app needs one).
    const img = document.createElement('img');
    img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    document.body.append(img);
  });
  for (let i = 0; i < 50 && violations.length < 6; i++) await page.waitForTimeout(100);

  assert.deepEqual(await page.evaluate(() => window.__ran), [], 'nothing injected ran');
  const spacing = await page.evaluate(() => [
    getComputedStyle(document.body).letterSpacing,
    getComputedStyle(document.getElementById('csp-probe')).letterSpacing,
  ]);
  assert.deepEqual(spacing, ['normal', 'normal'], 'neither the <style> element nor the style= attribute applied');
  // Script writes through the CSSOM are not inline styles: the policy allows them, so an app
  // that set `element.style` from Rust would keep working.
  assert.equal(
    await page.evaluate(() => {
      const probe = document.getElementById('csp-probe');
      probe.style.letterSpacing = '3px';
      return getComputedStyle(probe).letterSpacing;
    }),
    '3px',
  );

  const seen = violations.map((v) => `${v.directive} ${v.blocked}`).sort();
  assert.deepEqual(seen, [
    'img-src data',
    'script-src eval',
    'script-src-attr inline',
    'script-src-elem inline',
    'style-src-attr inline',
    'style-src-elem inline',
  ]);
  assert.ok(violations.every((v) => v.disposition === 'enforce' && v.page.startsWith(env.base)));
  // Each refusal is also a console error, which every other test treats as a failure.
  assert.equal(problems.filter((p) => /Content Security Policy/.test(p)).length, 6, problems.join('\n'));
  assert.equal(problems.length, 6, problems.join('\n'));
  problems.length = 0;
  violations.length = 0;
  await done();
});

// Written for this test: two commas, a title, a P.S., so that highlighting and derivation have
// something to show.
const RESPONSE = `<<Harbour Notes>>

The boats came in early, the nets were full, and the gulls followed them home.

By noon the quay was quiet again and the keeper wrote the tides in his logbook.

P.S. Tomorrow looks calm.`;

/** Clicks `testid` and waits for the download it starts; returns its file name. */
async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  assert.equal(await file.failure(), null);
  return file.suggestedFilename();
}

test('every panel works under the policy without a violation', async () => {
  const { page, done } = await openPage(env, { viewport: { width: 1280, height: 1000 } });

  // Verify: the catalog, a constraint with its evidence highlighted in the backdrop.
  await page.getByTestId('instruction').fill('Write harbour notes.');
  await page.getByTestId('response').fill(RESPONSE);
  await page.getByRole('searchbox', { name: 'Search checks' }).fill('comma');
  const entry = page.getByTestId('check-punctuation:no_comma');
  await entry.locator('summary').click();
  await entry.getByRole('button', { name: /^Add/ }).click();
  // A new constraint is selected: its evidence is marked in the backdrop.
  await until(page, () => document.querySelectorAll('[data-testid=response-backdrop] mark').length === 2);
  // The IFEval row loader, with a language check: the language data is fetched (connect-src).
  await page.getByTestId('row-paste').locator('summary').click();
  await page.getByLabel('input row (JSON)').fill(JSON.stringify({
    key: 1,
    prompt: 'Write harbour notes.',
    instruction_id_list: ['punctuation:no_comma', 'language:response_language'],
    kwargs: [{}, { language: 'en' }],
  }));
  await page.getByTestId('load-row').click();
  await until(page, () => document.querySelectorAll('[data-testid=strict-badge].pending').length === 0);
  await page.getByTestId('language').getByText('English (en)').waitFor();
  await shot(page, 'csp-verify');

  // Back-translate: derive, compose, copy, the three downloads (Blob + object URL), CRAB import.
  await page.getByRole('tab', { name: 'Back-translate' }).click();
  await page.getByTestId('derived-row').first().waitFor();
  await page.getByTestId('reroll').click();
  // The key phrases come from the worker (worker-src 'self'): wait until they are in.
  await until(page, () => document.querySelector('[data-testid=bt-results]')?.dataset.pending === 'false');
  assert.equal(await page.getByTestId('bt-keyphrases').textContent(), '');
  await page.getByTestId('copy-prompt').click();
  await page.getByTestId('copy-status').getByText('Copied the prompt').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await page.getByTestId('composed-prompt').inputValue());
  assert.match(await download(page, 'export-ifeval'), /\.jsonl$/);
  assert.match(await download(page, 'export-crab'), /\.jsonl$/);
  assert.match(await download(page, 'export-session-bt'), /\.json$/);
  await page.getByTestId('crab-file').setInputFiles(CRAB_SAMPLE);
  await page.getByTestId('crab-record').first().waitFor();
  await page.getByTestId('verify-this').click();

  // Examples and the quiz.
  await page.getByTestId('tab-examples').click();
  const card = page.getByTestId('example-card').first();
  await card.getByTestId('example-open').click();
  await card.getByTestId('example-confirm-replace').click();
  await page.getByTestId('tab-verify').and(page.locator('[aria-selected=true]')).waitFor();
  await page.getByTestId('tab-quiz').click();
  await page.getByTestId('quiz-reveal').click();
  await page.getByTestId('quiz-derived').locator('li').first().waitFor();
  await runBatch(page);

  // The session menu: share (clipboard), export (download), import (file read).
  await page.getByTestId('share').click();
  await page.getByTestId('share-status').getByText('Copied').waitFor();
  const link = await page.getByTestId('share-url').inputValue();
  await page.keyboard.press('Escape');
  const exported = await (async () => {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-session').click()]);
    return file.path();
  })();
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-session').click()]);
  await chooser.setFiles(exported);
  await page.getByTestId('status').getByText('Imported the session').waitFor();

  // Themes, and the accessibility scan (which runs its own script in the page).
  for (const theme of ['dark', 'light', 'system']) await page.getByTestId('theme').selectOption(theme);
  assert.deepEqual(await axeViolations(page), []);

  // The share link opened anew (the fragment is read, then removed from the address).
  await page.goto('about:blank');
  await page.goto(link);
  await page.getByTestId('status').getByText('Loaded the shared session').waitFor();
  await done();
});

/** Frames the page's own address in an iframe; returns whether the app rendered inside it. */
async function frameItself(page) {
  await page.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.src = location.href;
    frame.title = 'framed';
    document.body.append(frame);
  });
  const frame = page.frameLocator('iframe[title=framed]');
  return frame
    .getByRole('heading', { name: 'CRAB Playground' })
    .waitFor({ timeout: 5_000 })
    .then(() => true, () => false);
}

test('the meta policy alone does not stop framing (frame-ancestors needs the header)', async () => {
  const { page, done } = await openPage(env);
  assert.equal(await frameItself(page), true);
  await done();
});

// The hosting notes give two headers: the full policy, or (for hosts whose headers cannot change
// with each build) frame-ancestors alone, the meta supplying the rest.
const HEADERS = [
  ['the full header form', headerLine.split(/: (.*)/s)[1]],
  ["frame-ancestors 'none' alone", "frame-ancestors 'none'"],
];

for (const [form, value] of HEADERS) {
  test(`with ${form} as the header, the app works and cannot be framed`, async () => {
    const name = 'Content-Security-Policy';
    const server = await serve(DIST, { prefix: PREFIX, headers: { [name]: value } });
    const base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
    try {
      const { page, problems, done } = await openPage({ ...env, base });
      const response = await page.reload();
      assert.equal(response.headers()['content-security-policy'], value);
      await page.getByRole('heading', { name: 'CRAB Playground' }).waitFor();
      await page.getByTestId('response').fill(RESPONSE);
      await page.getByTestId('detect-language').click();
      await page.getByTestId('language').getByText('English (en)').waitFor();
      await page.getByRole('tab', { name: 'Back-translate' }).click();
      await page.getByTestId('derived-row').first().waitFor();
      await runBatch(page);
      assert.deepEqual(await axeViolations(page), []);

      // Even the app's own origin may not frame it: the browser refuses the response and says why.
      assert.equal(await frameItself(page), false);
      const framing = problems.filter((p) => /^console error: Framing .* violates .*"frame-ancestors 'none'"/s.test(p));
      const blocked = problems.filter((p) => p === `request failed: ${base} (net::ERR_BLOCKED_BY_RESPONSE)`);
      assert.deepEqual([framing.length, blocked.length, problems.length], [1, 1, 2], problems.join('\n'));
      problems.length = 0;
      await done();
    } finally {
      server.close();
    }
  });
}
