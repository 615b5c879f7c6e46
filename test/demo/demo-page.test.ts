/**
 * The demo page end to end in headless Chromium: the demo server (COOP/COEP) serves the page, the test
 * presses Train in both panels with short settings from the URL, and checks what a user would look at:
 * the loss curve, neighbours and analogy, the PCA scatter, the accuracy chart and a live prediction.
 * A screenshot goes to test/artifacts/demo-page.png. Then the same page without cross-origin isolation
 * must still train, on one thread, and say so.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoServer, type DemoServer } from '../../demo/server.js';
import { chromiumAvailable, launchChromium } from '../browser/harness.js';
import { repoData, repoRoot } from '../helpers/data.js';

const artifacts = join(repoRoot, 'test', 'artifacts');
/** Short runs: 2 Word2Vec epochs at dim 64; the classifier on 3,000 MR sentences for 2 epochs. */
const QUICK = 'epochs=2&dim=64&clfEpochs=2&clfRows=3000';

async function trainWord2Vec(page: Page): Promise<void> {
  await page.click('#w2v-train');
  await page.waitForSelector('body[data-w2v=trained], body[data-w2v=failed]', { timeout: 60_000 });
  expect(await page.getAttribute('body', 'data-w2v'), (await page.textContent('#w2v-status')) ?? '').toBe('trained');
}

const scores = (page: Page, list: string) =>
  page.$$eval(`${list} li`, (lis) =>
    lis.map((li) => ({
      word: li.querySelector('.word')?.textContent ?? '',
      score: Number(li.querySelector('.score')?.textContent),
    })),
  );

describe.runIf(chromiumAvailable)('demo page (npm run demo) in headless Chromium', () => {
  let server: DemoServer;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startDemoServer({ port: 0 });
    browser = await launchChromium();
    browser.page.on('pageerror', (e) => errors.push(e.message));
    await browser.page.setViewportSize({ width: 1280, height: 900 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('trains Word2Vec and the sentiment classifier with threads, and shows neighbours, scatter and charts', async () => {
    const { page } = browser;
    await page.goto(`${server.url}?${QUICK}`);
    await page.waitForSelector('body[data-ready=true]');
    expect(await page.getAttribute('body', 'data-isolated')).toBe('true');
    expect(await page.textContent('#isolation')).toMatch(/Cross-origin isolated: training runs on \d+ thread/);

    await trainWord2Vec(page);
    const status = (await page.textContent('#w2v-status')) ?? '';
    expect(status).toMatch(/Vocabulary [\d,]+ words · [\d,]+ tokens × 2 epochs/);
    expect(status).not.toMatch(/cross-origin/);
    // Live loss curve: one path with a point per progress report, falling from the start.
    const lossPath = (await page.getAttribute('#w2v-loss path.series', 'd')) ?? '';
    const ys = [...lossPath.matchAll(/[ML][\d.]+,([\d.]+)/g)].map((m) => Number(m[1]));
    expect(ys.length).toBeGreaterThanOrEqual(2);
    expect(ys[ys.length - 1]).toBeGreaterThan(ys[0]); // SVG y grows downwards: a falling loss ends lower on screen

    // Neighbours of "king" (the first start word in this corpus): 10 words by falling cosine, real royals among them.
    expect(await page.inputValue('#nn-word')).toBe('king');
    const nn = await scores(page, '#nn-list');
    expect(nn).toHaveLength(10);
    for (let i = 1; i < nn.length; i++) expect(nn[i].score).toBeLessThanOrEqual(nn[i - 1].score);
    expect(nn.map((x) => x.word)).not.toContain('king');
    expect(nn.map((x) => x.word).some((w) => ['queen', 'prince', 'princess', 'sultan', 'emperor'].includes(w))).toBe(true);
    const analogy = await scores(page, '#an-list');
    expect(analogy).toHaveLength(5);

    // Scatter: one dot per projected word (200 ranked words plus the query's neighbours), most labelled.
    const dots = await page.$$eval('#scatter circle.dot', (cs) => cs.map((c) => c.getAttribute('data-word')));
    expect(dots.length).toBeGreaterThanOrEqual(200);
    expect(dots).toContain('king');
    expect(await page.$$eval('#scatter circle.dot.neighbour', (cs) => cs.length)).toBe(10);
    expect(await page.$$eval('#scatter text.label', (ts) => ts.length)).toBeGreaterThan(60);
    // Clicking a word in the plot queries it.
    await page.click('#scatter text.label.neighbour >> nth=0');
    expect(await page.inputValue('#nn-word')).not.toBe('king');
    await page.fill('#nn-word', 'king');
    await page.press('#nn-word', 'Enter');

    await page.click('#clf-train');
    await page.waitForSelector('body[data-clf=trained], body[data-clf=failed]', { timeout: 60_000 });
    const clfStatus = (await page.textContent('#clf-status')) ?? '';
    expect(await page.getAttribute('body', 'data-clf'), clfStatus).toBe('trained');
    const valAccuracy = Number(/Validation accuracy ([\d.]+) %/.exec(clfStatus)?.[1]);
    expect(valAccuracy).toBeGreaterThan(60); // 3,000 sentences × 2 epochs; the full set reaches ~75 %
    // Accuracy chart: training and validation series, one marker per epoch each.
    expect(await page.$$eval('#clf-chart path.series', (ps) => ps.length)).toBe(2);
    expect(await page.$$eval('#clf-chart circle.marker', (cs) => cs.length)).toBe(4);

    // The text box classifies what is typed.
    await page.fill('#clf-text', 'a gorgeous , witty , seductive movie .');
    await page.waitForFunction(() => document.querySelector('#clf-verdict .best')?.getAttribute('data-class') === 'positive', null, { timeout: 10_000 });
    await page.fill('#clf-text', 'boring , stupid and a waste of time .');
    await page.waitForFunction(() => document.querySelector('#clf-verdict .best')?.getAttribute('data-class') === 'negative', null, { timeout: 10_000 });
    await page.fill('#clf-text', 'a gorgeous , witty , seductive movie .');
    await page.waitForFunction(() => document.querySelector('#clf-verdict .best')?.getAttribute('data-class') === 'positive', null, { timeout: 10_000 });

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'demo-page.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('trains on one thread without cross-origin isolation and says so', async () => {
    const { page } = browser;
    await page.goto(`${server.url}?isolation=off&epochs=1&dim=32`);
    await page.waitForSelector('body[data-ready=true]');
    expect(await page.getAttribute('body', 'data-isolated')).toBe('false');
    expect(await page.textContent('#isolation')).toMatch(/Not cross-origin isolated: training runs on one thread/);
    await trainWord2Vec(page);
    const status = (await page.textContent('#w2v-status')) ?? '';
    expect(status).toMatch(/on 1 thread\)/);
    expect(status).toMatch(/cross-origin isolated/); // the library's fallback note
    expect(await page.$$eval('#nn-list li', (lis) => lis.length)).toBe(10);
    expect(await page.$$eval('#scatter circle.dot', (cs) => cs.length)).toBeGreaterThanOrEqual(200);
    expect(errors).toEqual([]);
  });

  it('trains on a file the user drops: an English novel for Word2Vec', async () => {
    const { page } = browser;
    await page.goto(`${server.url}?epochs=1&dim=32&clfEpochs=2&clfRows=3000`);
    await page.waitForSelector('body[data-ready=true]');
    const novel = readFileSync(repoData('en-demo-sherlock-head/corpus.txt'));
    await page.setInputFiles('#w2v-file', { name: 'sherlock.txt', mimeType: 'text/plain', buffer: novel });
    expect(await page.textContent('#w2v-source-name')).toBe('sherlock.txt');
    await trainWord2Vec(page);
    expect(await page.$$eval('#nn-list li', (lis) => lis.length)).toBe(10);
    await page.fill('#nn-word', 'holmes');
    await page.press('#nn-word', 'Enter');
    expect((await scores(page, '#nn-list')).map((x) => x.word)).toHaveLength(10);

    // A Chinese review TSV for the classifier (ChnSentiCorp, not redistributable): demo-page.data.test.ts.
    expect(errors).toEqual([]);
  });

  it('serves the data the page needs and 404s the rest', async () => {
    const corpus = await fetch(`${server.url}data/demo-fairytales/corpus.txt`);
    expect(corpus.status).toBe(200);
    expect(corpus.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(corpus.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect((await corpus.text()).length).toBeGreaterThan(1_000_000);
    const off = await fetch(`${server.url}?isolation=off`);
    expect(off.headers.get('cross-origin-embedder-policy')).toBeNull();
    expect((await fetch(`${server.url}data/../package.json`)).status).toBe(404);
    expect((await fetch(`${server.url}nothing-here.js`)).status).toBe(404);
  });
});
