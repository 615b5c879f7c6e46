/**
 * Word2Vec training throughput in one run: WASM classic and batched modes on 1 and 2 threads, the plain TS baseline, and the
 * native peers when installed (Debian fasttext; gensim via Debian python3-gensim, workers=1).
 * Raw corpus tokens per second as word2vec.c defines it (in-vocabulary words read, before subsampling),
 * on a slice of the 18M-token corpus, skip-gram, dim 100, window 5, negative 5, sample 1e-3, minCount 5.
 *   npx tsx bench/word2vec.bench.ts            (defaults: W2V_BENCH_MB=8 W2V_BENCH_REPS=2)
 */
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Word2Vec } from '../src/index.js';
import { scanCorpus } from '../src/text/id-stream.js';
import { whitespaceTokenizer } from '../src/text/tokenizer.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { trainWord2VecBaseline } from './baseline/word2vec.js';
import { type BenchReport, type Row, machine, median, timed, timedProcessAll, has, isMain, printReport } from './harness.js';

const MB = Number(process.env.W2V_BENCH_MB ?? 8);
const REPS = Number(process.env.W2V_BENCH_REPS ?? 2);
const MODEL = (process.env.W2V_BENCH_MODEL ?? 'skipgram') as 'skipgram' | 'cbow';
const settings = {
  model: MODEL,
  dim: 100,
  window: 5,
  negative: 5,
  sample: 1e-3,
  minCount: 5,
  epochs: 1,
  alpha: MODEL === 'cbow' ? 0.05 : 0.025,
  minAlpha: 0.0001,
  seed: 1,
};

function slice(): string {
  const all = gunzipSync(readFileSync('../shared/data/en-corpus-gutenberg-18m/corpus.text8.gz'));
  let end = Math.min(all.length, MB * 1e6);
  while (end < all.length && all[end] !== 0x20) end++;
  return all.subarray(0, end).toString('latin1');
}

export async function run(): Promise<BenchReport> {
  const text = slice();
  const dir = '.tmp/bench';
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `w2v-slice-${MB}mb.txt`);
  writeFileSync(file, text);
  const scanned = await scanCorpus(text, { tokenizer: whitespaceTokenizer });
  const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: 5 });
  const stream = scanned.encode(vocab, { maxSentenceLength: 1000, chunkTokens: 16384 });
  const tokens = stream.tokens;
  const samples: Record<string, { rate: number[]; cpuRate: number[] }> = {};
  const add = (k: string, words: number, wall: number, cpu: number) => {
    samples[k] ??= { rate: [], cpuRate: [] };
    samples[k].rate.push(words / wall);
    samples[k].cpuRate.push(words / cpu);
  };
  const notes: string[] = [];
  const wasm = async (threads: number, mode?: string) => {
    const m = await Word2Vec.train(text, { ...settings, threads, tokenizer: whitespaceTokenizer, ...(mode ? { mode } : {}) } as never);
    // stats.seconds covers training only (the corpus scan is timed separately), like the peers' words/sec.
    const r = { words: m.stats.tokens, seconds: m.stats.seconds };
    m.dispose();
    return r;
  };
  for (let rep = 0; rep < REPS; rep++) {
    // Interleaved: one sample of each contender per round, so load drifts hit all of them alike.
    for (const [mode, t] of [
      ['classic', 1],
      ['batched', 1],
      ['classic', 2],
      ['batched', 2],
    ] as const) {
      const r = await timed(() => wasm(t, mode));
      add(`wasm ${mode} ${t} thread${t > 1 ? 's' : ''}`, r.value.words, r.value.seconds, r.cpu * (r.value.seconds / r.wall));
    }
    if (rep === 0) {
      const b = await timed(() => trainWord2VecBaseline(stream, vocab.counts, settings));
      add('TS baseline', b.value.words, b.value.seconds, b.cpu);
    }
    if (has('fasttext')) {
      const out = join(dir, 'ft');
      const r = timedProcessAll('fasttext', [
        MODEL === 'cbow' ? 'cbow' : 'skipgram',
        '-input',
        file,
        '-output',
        out,
        '-minn',
        '0',
        '-maxn',
        '0',
        '-dim',
        '100',
        '-ws',
        '5',
        '-neg',
        '5',
        '-t',
        '1e-3',
        '-minCount',
        '5',
        '-epoch',
        '1',
        '-thread',
        '1',
        '-lr',
        String(settings.alpha),
        '-verbose',
        '2',
      ]);
      const wps = [...r.output.matchAll(/words\/sec\/thread:\s+(\d+)/g)].map((x) => Number(x[1])).pop();
      // fastText reports its own training rate (words/sec/thread, wall); per CPU-second we can only divide
      // by the whole process's CPU time, which also covers reading the file and building its dictionary.
      if (wps) {
        samples['fastText 1 thread'] ??= { rate: [], cpuRate: [] };
        samples['fastText 1 thread'].rate.push(wps);
        samples['fastText 1 thread'].cpuRate.push(tokens / r.cpu);
      }
    } else if (rep === 0) notes.push('fastText not installed (apt-get install fasttext): skipped');
    if (has('/usr/bin/python3') && rep === 0) {
      try {
        const r = timedProcessAll('/usr/bin/python3', ['bench/gensim_word2vec.py', file, MODEL, '1']);
        const j = JSON.parse(r.output.split('\n').find((l) => l.startsWith('{'))!);
        add('gensim 4 workers=1', j.words, j.seconds, j.cpuSeconds);
      } catch (e) {
        notes.push(`gensim skipped: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  await scanned.dispose();
  const base = median(samples['wasm classic 1 thread'].rate);
  const baseCpu = median(samples['wasm classic 1 thread'].cpuRate);
  const rows: Row[] = Object.entries(samples).map(([k, s]) => ({
    contender: k,
    'tokens/s (median)': Math.round(median(s.rate)),
    'tokens per CPU-s': Math.round(median(s.cpuRate)),
    'vs classic 1 thread (wall)': Number((median(s.rate) / base).toFixed(2)),
    'vs classic 1 thread (CPU)': Number((median(s.cpuRate) / baseCpu).toFixed(2)),
    samples: s.rate.length,
  }));
  notes.push(
    `${MODEL}, ${tokens.toLocaleString('en-US')} in-vocabulary tokens (${MB} MB text8 slice), vocabulary ${vocab.size}, 1 epoch, dim 100, window 5, negative 5, sample 1e-3`,
  );
  notes.push(`machine: ${JSON.stringify(machine())}`);
  return { title: `Word2Vec ${MODEL} training throughput`, command: 'npx tsx bench/word2vec.bench.ts', rows, notes };
}

if (isMain(import.meta.url)) printReport(await run());
