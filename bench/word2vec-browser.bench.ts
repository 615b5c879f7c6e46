/**
 * Word2Vec in a browser tab against Node, in one run: the same batched skip-gram training (12 MB slice of
 * the 18M corpus, 1 epoch, seed 1) with 1 and 2 threads in Node (worker_threads) and in headless Chromium
 * (Web Workers on one shared memory, the page cross-origin isolated), interleaved rounds, medians.
 * The 1-thread vectors are also compared: Node and Chromium must give the same bits.
 *   npx tsx bench/word2vec-browser.bench.ts            (W2V_BROWSER_ROUNDS=2)
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import { Word2Vec, whitespaceTokenizer } from '../src/index.js';
import { chromiumAvailable, openPage } from '../test/browser/harness.js';
import { type BenchReport, type Row, machine, median, isMain, printReport } from './harness.js';

const ROUNDS = Number(process.env.W2V_BROWSER_ROUNDS ?? 2);

function fingerprint(v: Float32Array): number {
  let h = 0x811c9dc5;
  for (const x of new Uint32Array(v.buffer, v.byteOffset, v.length)) h = Math.imul(h ^ x, 0x01000193) >>> 0;
  return h;
}

export async function run(): Promise<BenchReport> {
  const title = 'Word2Vec in Chromium vs Node (batched skip-gram, 1 and 2 threads)';
  const command = 'npx tsx bench/word2vec-browser.bench.ts';
  if (!chromiumAvailable) return { title, command, rows: [], notes: ['skipped: no chromium at /usr/bin/chromium (apt-get install chromium)'] };
  const all = gunzipSync(readFileSync('../shared/data/en-corpus-gutenberg-18m/corpus.text8.gz'));
  let end = 12_000_000;
  while (all[end] !== 0x20) end++;
  const text = all.subarray(0, end).toString('latin1');
  const served = await openPage({ isolated: true, routes: { '/corpus.txt': text } });
  const rates: Record<string, number[]> = {};
  const prints: Record<string, number> = {};
  const loads: number[] = [];
  try {
    await served.page.evaluate(async () => {
      const g = globalThis as any;
      g.corpus = await (await fetch('/corpus.txt')).text();
      g.trainOnce = async (threads: number) => {
        const { Word2Vec, whitespaceTokenizer } = g.wasm2vec;
        const m = await Word2Vec.train(g.corpus, { mode: 'batched', threads, epochs: 1, seed: 1, tokenizer: whitespaceTokenizer });
        let h = 0x811c9dc5;
        const v = m.embeddings.vectors as Float32Array;
        for (const x of new Uint32Array(v.buffer, v.byteOffset, v.length)) h = Math.imul(h ^ x, 0x01000193) >>> 0;
        const r = { rate: m.stats.tokensPerSecond, threads: m.stats.threads, print: h };
        m.dispose();
        return r;
      };
    });
    for (let round = 0; round < ROUNDS; round++) {
      for (const threads of [1, 2]) {
        const m = await Word2Vec.train(text, { mode: 'batched', threads, epochs: 1, seed: 1, tokenizer: whitespaceTokenizer });
        (rates[`node ${threads}`] ??= []).push(m.stats.tokensPerSecond);
        if (threads === 1) prints.node = fingerprint(m.embeddings.vectors);
        m.dispose();
        const b = (await served.page.evaluate((t) => (globalThis as any).trainOnce(t), threads)) as { rate: number; threads: number; print: number };
        if (b.threads !== threads) throw new Error(`Chromium trained on ${b.threads} threads, not ${threads} (is the page cross-origin isolated?)`);
        (rates[`chromium ${threads}`] ??= []).push(b.rate);
        if (threads === 1) prints.chromium = b.print;
      }
      loads.push(Number(os.loadavg()[0].toFixed(2)));
    }
  } finally {
    await served.close();
  }
  const node1 = median(rates['node 1']);
  const rows: Row[] = (['node', 'chromium'] as const).flatMap((where) =>
    [1, 2].map((threads) => ({
      runtime: where === 'node' ? 'Node 20 (worker_threads)' : 'Chromium (Web Workers)',
      threads,
      'tokens/s (median)': Math.round(median(rates[`${where} ${threads}`])),
      'vs Node 1 thread': Number((median(rates[`${where} ${threads}`]) / node1).toFixed(2)),
      'vs same runtime 1 thread': Number((median(rates[`${where} ${threads}`]) / median(rates[`${where} 1`])).toFixed(2)),
    })),
  );
  return {
    title,
    command,
    rows,
    notes: [
      `1-thread vectors: Node ${prints.node.toString(16)}, Chromium ${prints.chromium.toString(16)} (${prints.node === prints.chromium ? 'bit-identical' : 'DIFFERENT'})`,
      `${ROUNDS} interleaved rounds; load average after each round: ${loads.join(', ')}`,
      `machine: ${JSON.stringify(machine())}`,
    ],
  };
}

if (isMain(import.meta.url)) printReport(await run());
