/**
 * Data suite: the demo page in headless Chromium trains its classifier on a Chinese review TSV the user
 * drops (ChnSentiCorp has no licence, so it cannot ship; demo-page.test.ts drops a shipped novel).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { startDemoServer, type DemoServer } from '../../demo/server.js';
import { chromiumAvailable, launchChromium } from '../browser/harness.js';
import { sharedData } from '../helpers/data.js';

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

  it('trains on a file the user drops: a Chinese review TSV for the classifier', async () => {
    const { page } = browser;
    await page.goto(`${server.url}?epochs=1&dim=32&clfEpochs=2&clfRows=3000`);
    await page.waitForSelector('body[data-ready=true]');
    const reviews = readFileSync(sharedData('zh-chnsenticorp-htl/chnsenticorp_htl.tsv'));
    await page.setInputFiles('#clf-file', { name: 'hotels.tsv', mimeType: 'text/tab-separated-values', buffer: reviews });
    await page.waitForFunction(() => document.querySelector('#clf-source-name')?.textContent === 'hotels.tsv');
    expect(await page.textContent('#clf-source-info')).toMatch(/7,765 rows · classes: label 0, label 1/);
    await page.click('#clf-train');
    await page.waitForSelector('body[data-clf=trained], body[data-clf=failed]', { timeout: 60_000 });
    const clfStatus = (await page.textContent('#clf-status')) ?? '';
    expect(await page.getAttribute('body', 'data-clf'), clfStatus).toBe('trained');
    expect(Number(/Validation accuracy ([\d.]+) %/.exec(clfStatus)?.[1])).toBeGreaterThan(70);
    expect(errors).toEqual([]);
  });
});
