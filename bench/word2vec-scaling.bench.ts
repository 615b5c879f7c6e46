/**
 * Word2Vec thread scaling: 1 vs 2 threads for the batched and classic modes, interleaved rounds on a
 * 12 MB slice of the 18M corpus, 1 epoch. Meaningful only when the machine has two free cores: the load
 * average is recorded with every round.
 *   npx tsx bench/word2vec-scaling.bench.ts            (W2V_SCALING_ROUNDS=3)
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import os from 'node:os';
import { Word2Vec, whitespaceTokenizer } from '../src/index.js';
import { type BenchReport, type Row, machine, median, isMain, printReport } from './harness.js';

const ROUNDS = Number(process.env.W2V_SCALING_ROUNDS ?? 3);

export async function run(): Promise<BenchReport> {
  const all = gunzipSync(readFileSync('../shared/data/en-corpus-gutenberg-18m/corpus.text8.gz'));
  let end = 12_000_000;
  while (all[end] !== 0x20) end++;
  const text = all.subarray(0, end).toString('latin1');
  const rates: Record<string, number[]> = {};
  const loads: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [mode, threads] of [
      ['batched', 1],
      ['batched', 2],
      ['classic', 1],
      ['classic', 2],
    ] as const) {
      const m = await Word2Vec.train(text, { mode, threads, epochs: 1, seed: 1, tokenizer: whitespaceTokenizer });
      (rates[`${mode} ${threads}`] ??= []).push(m.stats.tokensPerSecond);
      m.dispose();
    }
    loads.push(Number(os.loadavg()[0].toFixed(2)));
  }
  const rows: Row[] = (['batched', 'classic'] as const).map((mode) => {
    const one = rates[`${mode} 1`],
      two = rates[`${mode} 2`];
    return {
      mode,
      '1 thread tokens/s': Math.round(median(one)),
      '2 threads tokens/s': Math.round(median(two)),
      'speed-up (medians)': Number((median(two) / median(one)).toFixed(2)),
      'per round': two.map((x, i) => (x / one[i]).toFixed(2)).join(' '),
    };
  });
  return {
    title: 'Word2Vec thread scaling (1 vs 2 threads)',
    command: 'npx tsx bench/word2vec-scaling.bench.ts',
    rows,
    notes: [`load average after each round: ${loads.join(', ')} (scaling needs two free cores)`, `machine: ${JSON.stringify(machine())}`],
  };
}

if (isMain(import.meta.url)) printReport(await run());
