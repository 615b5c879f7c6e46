/**
 * FastText skip-gram training throughput in one run: wasm2vec's batched and classic modes on 1 and 2
 * threads, with subwords (minn 3, maxn 6, 2M buckets) and without (maxn 0), against Debian's fastText
 * 0.9.2 (`fasttext skipgram`, 1 thread, same corpus and settings) and wasm2vec's Word2Vec skip-gram
 * (batched, 1 thread, same dim/window/negative/sample/epochs). Tokens are in-vocabulary corpus words
 * read (before subsampling) per epoch × epochs; per CPU-second divides by the process's CPU time
 * during training (ours: worker threads included; fastText: the whole process, which also reads the
 * file and builds its dictionary).
 *   npx tsx bench/fasttext.bench.ts          (defaults: FT_BENCH_MB=5 FT_BENCH_EPOCHS=1, slice of the shipped text8 head)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Word2Vec } from '../src/index.js';
import { trainFastText, type FastTextOptions } from '../src/train/fasttext/trainer.js';
import { whitespaceTokenizer } from '../src/text/tokenizer.js';
import { text8Slice } from '../test/helpers/data.js';
import { type BenchReport, type Row, has, isMain, machine, printReport, timed, timedProcessAll } from './harness.js';

const MB = Number(process.env.FT_BENCH_MB ?? 5);
const EPOCHS = Number(process.env.FT_BENCH_EPOCHS ?? 1);
const settings = {
  dim: 100,
  window: 5,
  negative: 5,
  minCount: 5,
  sample: 1e-4,
  learningRate: 0.05,
  epochs: EPOCHS,
  minn: 3,
  maxn: 6,
  bucket: 2_000_000,
  seed: 1,
};

export async function run(): Promise<BenchReport> {
  const text = text8Slice(MB * 1e6);
  const dir = '.tmp/bench';
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ft-slice-${MB}mb.txt`);
  writeFileSync(file, text, 'latin1');
  const rows: Row[] = [];
  const notes: string[] = [`load before: ${JSON.stringify(machine())}`];
  let tokens = 0;
  let vocab = 0;
  const add = (contender: string, words: number, wall: number, cpu: number, extra: Row = {}) =>
    rows.push({ contender, 'tokens/s': Math.round(words / wall), 'tokens per CPU-s': Math.round(words / cpu), ...extra });
  const ours = async (name: string, o: FastTextOptions) => {
    const r = await timed(() => trainFastText(text, { ...settings, tokenizer: whitespaceTokenizer, ...o }));
    const s = r.value.stats;
    tokens = s.tokens;
    vocab = r.value.vocabulary.size;
    // stats.seconds is training only (scan excluded); the process CPU is scaled to that share of the wall time.
    add(name, s.tokens * s.epochsCompleted, s.seconds, r.cpu * (s.seconds / r.wall), { threads: s.threads });
  };
  await ours('wasm2vec FastText batched, 1 thread', { mode: 'batched', threads: 1 });
  await ours('wasm2vec FastText classic, 1 thread', { mode: 'classic', threads: 1 });
  await ours('wasm2vec FastText batched, 2 threads', { mode: 'batched', threads: 2 });
  await ours('wasm2vec FastText classic, 2 threads', { mode: 'classic', threads: 2 });
  await ours('wasm2vec FastText batched, maxn 0 (no subwords), 1 thread', { mode: 'batched', threads: 1, maxn: 0 });
  {
    const w2v = {
      dim: 100,
      window: 5,
      negative: 5,
      minCount: 5,
      sample: 1e-4,
      learningRate: 0.05,
      epochs: EPOCHS,
      seed: 1,
      threads: 1,
      tokenizer: whitespaceTokenizer,
    };
    const r = await timed(() => Word2Vec.train(text, { ...w2v, mode: 'batched' }));
    const s = r.value.stats;
    add('wasm2vec Word2Vec skip-gram batched, 1 thread', s.tokens * s.epochsCompleted, s.seconds, r.cpu * (s.seconds / r.wall), { threads: 1 });
    r.value.dispose();
  }
  if (has('fasttext')) {
    const r = timedProcessAll('fasttext', [
      'skipgram',
      '-input',
      file,
      '-output',
      join(dir, 'ft-bench'),
      '-dim',
      '100',
      '-ws',
      '5',
      '-neg',
      '5',
      '-minCount',
      '5',
      '-t',
      '1e-4',
      '-lr',
      '0.05',
      '-epoch',
      String(EPOCHS),
      '-minn',
      '3',
      '-maxn',
      '6',
      '-bucket',
      '2000000',
      '-thread',
      '1',
      '-verbose',
      '2',
    ]);
    const wps = [...r.output.matchAll(/words\/sec\/thread:\s+(\d+)/g)].map((x) => Number(x[1])).pop();
    rows.push({
      contender: 'Debian fastText 0.9.2 skipgram, 1 thread',
      'tokens/s': wps ?? NaN,
      'tokens per CPU-s': Math.round((tokens * EPOCHS) / r.cpu),
      threads: 1,
    });
  } else notes.push('fastText not installed (apt-get install fasttext): skipped');
  const cpuOf = (prefix: string) => Number(rows.find((r) => String(r.contender).startsWith(prefix))?.['tokens per CPU-s']);
  const ft = cpuOf('Debian fastText');
  const plain = cpuOf('wasm2vec Word2Vec');
  for (const r of rows) {
    r['vs fastText (CPU)'] = Number((Number(r['tokens per CPU-s']) / ft).toFixed(2));
    r['vs Word2Vec (CPU)'] = Number((Number(r['tokens per CPU-s']) / plain).toFixed(2));
  }
  const wall = (prefix: string) => Number(rows.find((r) => String(r.contender).startsWith(prefix))?.['tokens/s']);
  notes.push(
    `2 threads vs 1 (wall): batched ${(wall('wasm2vec FastText batched, 2') / wall('wasm2vec FastText batched, 1')).toFixed(2)}×, ` +
      `classic ${(wall('wasm2vec FastText classic, 2') / wall('wasm2vec FastText classic, 1')).toFixed(2)}×`,
  );
  notes.push(
    `skip-gram, ${tokens.toLocaleString('en-US')} in-vocabulary tokens (${MB} MB text8 slice), vocabulary ${vocab}, ${EPOCHS} epoch(s), dim 100, ws 5, neg 5, t 1e-4, lr 0.05, minn 3, maxn 6, bucket 2,000,000`,
  );
  notes.push(`load after: ${JSON.stringify(machine())}`);
  return { title: 'FastText skip-gram training throughput', command: 'npx tsx bench/fasttext.bench.ts', rows, notes };
}

if (isMain(import.meta.url)) printReport(await run());
