import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { GloVe, LinearClassifier, TextClassifier, Word2Vec } from '../../src/index.js';
import { KernelPool } from '../../src/runtime/kernel-pool.js';
import { chromiumAvailable, openPage } from '../browser/harness.js';
import { demoSlice, workersEnded } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const corpus = demoSlice(60_000);

/** RSS after a full collection (twice: finalisers of SharedArrayBuffers run on the first). */
async function settledRss(): Promise<number> {
  for (let i = 0; i < 2; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  return process.memoryUsage().rss;
}

describe('no leaks across train/dispose cycles', () => {
  it('Word2Vec: 50 cycles (2 threads) keep RSS within 10 % of the first after warm-up; every worker ends', async () => {
    const baseline = KernelPool.liveWorkersForTest;
    const rss: number[] = [];
    for (let cycle = 0; cycle < 50; cycle++) {
      const m = await Word2Vec.train(corpus, { dim: 32, epochs: 1, threads: 2, minCount: 2, seed: cycle });
      expect(KernelPool.liveWorkersForTest - baseline).toBe(2);
      m.embeddings.mostSimilar({ positive: ['king'], topN: 3 });
      m.embeddings.dispose();
      m.dispose();
      await workersEnded(baseline);
      rss.push(await settledRss());
    }
    const warm = rss[9];
    const last = rss[rss.length - 1];
    console.log(
      `Word2Vec RSS MiB: cycle 10 ${(warm / 2 ** 20).toFixed(1)}, cycle 50 ${(last / 2 ** 20).toFixed(1)}, max ${(Math.max(...rss.slice(9)) / 2 ** 20).toFixed(1)}`,
    );
    expect(last).toBeLessThan(warm * 1.1);
  });

  it('GloVe, LinearClassifier and TextClassifier: 15 cycles each, workers end, RSS within 10 %', async () => {
    const baseline = KernelPool.liveWorkersForTest;
    const texts = corpus
      .split('\n')
      .filter((l) => l.trim())
      .slice(0, 60);
    const rss: number[] = [];
    for (let cycle = 0; cycle < 15; cycle++) {
      const g = await GloVe.train(corpus, { dim: 16, epochs: 2, threads: 2, minCount: 2, memoryBudget: 64 * 2 ** 20 });
      g.dispose();
      const l = new LinearClassifier({ dim: 8, epochs: 1, threads: 2 });
      await l.fit(
        texts,
        texts.map((_, i) => i % 2),
      );
      l.dispose();
      const t = new TextClassifier({ vocabSize: 200, sequenceLength: 8, embeddingDim: 4, lstm: [{ units: 4 }], threads: 2 });
      await t.fit(
        texts,
        texts.map((_, i) => i % 2),
        { epochs: 1 },
      );
      t.dispose();
      await workersEnded(baseline);
      rss.push(await settledRss());
    }
    console.log(`mixed RSS MiB: cycle 3 ${(rss[2] / 2 ** 20).toFixed(1)}, cycle 15 ${(rss[14] / 2 ** 20).toFixed(1)}`);
    expect(rss[14]).toBeLessThan(rss[2] * 1.1);
  });

  it.skipIf(!chromiumAvailable)('in Chromium: 50 cycles in one page end every worker and keep the renderer RSS within 10 %', async () => {
    const served = await openPage({ isolated: true, routes: { '/corpus.txt': corpus } });
    try {
      const { page } = served;
      const browserCdp = await page.context().browser()!.newBrowserCDPSession();
      const pageCdp = await page.context().newCDPSession(page);
      // Dedicated workers live in their page's renderer process: its RSS holds the workers and the shared memories.
      const rendererRss = async () => {
        await pageCdp.send('HeapProfiler.collectGarbage');
        await page.waitForTimeout(50);
        const { processInfo } = (await browserCdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
        let kib = 0;
        for (const p of processInfo.filter((x) => x.type === 'renderer')) {
          kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p.id}/status`, 'utf8'))?.[1] ?? 0);
        }
        return kib * 1024;
      };
      await page.evaluate(async () => {
        // Count the workers the library starts and ends (browsers expose no live-worker count).
        const g = globalThis as unknown as {
          Worker: typeof Worker;
          liveWorkers: number;
          cycles: (n: number, from: number) => Promise<number[]>;
          wasm2vec: typeof import('../../src/index.js');
        };
        g.liveWorkers = 0;
        const Original = g.Worker;
        g.Worker = class extends Original {
          constructor(url: string | URL, options?: WorkerOptions) {
            super(url, options);
            g.liveWorkers++;
          }
          override terminate(): void {
            g.liveWorkers--;
            super.terminate();
          }
        };
        const text = await (await fetch('/corpus.txt')).text();
        g.cycles = async (n, from) => {
          const live: number[] = [];
          for (let c = from; c < from + n; c++) {
            const m = await g.wasm2vec.Word2Vec.train(text, { dim: 32, epochs: 1, threads: 2, minCount: 2, seed: c });
            m.embeddings.mostSimilar({ positive: ['king'], topN: 3 });
            m.embeddings.dispose();
            m.dispose();
            live.push(g.liveWorkers);
          }
          return live;
        };
      });
      const run = (n: number, from: number) =>
        page.evaluate(([n, from]) => (globalThis as unknown as { cycles: (n: number, f: number) => Promise<number[]> }).cycles(n, from), [n, from]);
      const live = await run(10, 0);
      const warm = await rendererRss();
      live.push(...(await run(40, 10)));
      const last = await rendererRss();
      console.log(`Chromium renderer RSS MiB: cycle 10 ${(warm / 2 ** 20).toFixed(1)}, cycle 50 ${(last / 2 ** 20).toFixed(1)}`);
      expect(live).toHaveLength(50);
      expect(live.every((n) => n === 0)).toBe(true);
      expect(last).toBeLessThan(warm * 1.1);
    } finally {
      await served.close();
    }
  });
});
