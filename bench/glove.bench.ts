/**
 * GloVe in one run: co-occurrence build time and seconds per iteration for WASM 1 thread, WASM 2 threads
 * and the plain TS baseline, in wall seconds and process CPU-seconds (workers included), on a slice of
 * the 18M-token corpus with GloVe C's text8 demo settings (dim 50, window 15, xMax 10, minCount 5).
 * Then peak memory against memoryBudget: the CLI in a child process under /usr/bin/time, once with the
 * default budget and once with a budget small enough to force spilling.
 *   npx tsx bench/glove.bench.ts          (GLOVE_BENCH_MB=12 GLOVE_BENCH_EPOCHS=3 to change slice/iterations)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { GloVe } from '../src/index.js';
import { scanCorpus } from '../src/text/id-stream.js';
import { whitespaceTokenizer } from '../src/text/tokenizer.js';
import { Vocabulary } from '../src/text/vocabulary.js';
import { countCooccurrencesBaseline, trainGloVeBaseline } from './baseline/glove.js';
import { type BenchReport, type Row, machine, isMain, printReport } from './harness.js';

const MB = Number(process.env.GLOVE_BENCH_MB ?? 12);
const EPOCHS = Number(process.env.GLOVE_BENCH_EPOCHS ?? 3);
const settings = { dim: 50, window: 15, xMax: 10, alpha: 0.75, learningRate: 0.05, minCount: 5, seed: 1 };
/** GloVe C on the whole corpus (issue 4): cooccur 13.4 CPU-s for 18.45 M tokens, 41 CPU-s per iteration over 48.6 M cells. */
const C_TOKENS_PER_CPU_S = 18.45e6 / 13.4;
const C_CELLS_PER_CPU_S = 48.6e6 / 41;

function slice(): string {
  const all = gunzipSync(readFileSync('../shared/data/en-corpus-gutenberg-18m/corpus.text8.gz'));
  let end = Math.min(all.length, MB * 1e6);
  while (end < all.length && all[end] !== 0x20 && all[end] !== 0x0a) end++;
  return all.subarray(0, end).toString('latin1');
}

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};

interface Measured {
  countWall: number;
  countCpu: number;
  iterWall: number;
  iterCpu: number;
  cells: number;
  tokens: number;
}

async function wasm(text: string, threads: number): Promise<Measured> {
  const cpu: Record<string, number> = {};
  let phase = 'scan';
  let mark = cpuNow();
  let epochMark = 0;
  const epochCpu: number[] = [];
  const m = await GloVe.train(text, {
    ...settings,
    epochs: EPOCHS,
    threads,
    tokenizer: whitespaceTokenizer,
    onProgress: (p) => {
      const now = cpuNow();
      if (p.phase !== phase) {
        cpu[phase] = (cpu[phase] ?? 0) + now - mark;
        mark = now;
        phase = p.phase;
        epochMark = now;
      }
      if (p.phase === 'training' && p.progress === p.epoch / p.epochs) {
        epochCpu.push(now - epochMark);
        epochMark = now;
      }
    },
  });
  const s = m.stats;
  m.dispose();
  const sorted = [...epochCpu].sort((a, b) => a - b);
  return {
    countWall: s.countSeconds,
    countCpu: cpu.counting ?? NaN,
    iterWall: s.secondsPerEpoch,
    iterCpu: sorted[sorted.length >> 1],
    cells: s.cells,
    tokens: s.tokens,
  };
}

async function baseline(text: string): Promise<Measured> {
  const scanned = await scanCorpus(text, { tokenizer: whitespaceTokenizer });
  try {
    const vocab = Vocabulary.fromCounts(scanned.counts, { minCount: settings.minCount });
    const stream = scanned.encode(vocab, { maxSentenceLength: 1_000_000 });
    let c0 = cpuNow();
    const cells = await countCooccurrencesBaseline(stream, vocab.size, { window: settings.window, symmetric: true });
    const countCpu = cpuNow() - c0;
    c0 = cpuNow();
    const r = trainGloVeBaseline(cells, vocab.size, { ...settings, gradientClip: 100, epochs: 1 });
    const trainCpu = cpuNow() - c0;
    return {
      countWall: cells.seconds,
      countCpu,
      iterWall: r.secondsPerEpoch,
      iterCpu: trainCpu * (r.secondsPerEpoch / (r.secondsPerEpoch + r.shuffleSeconds)),
      cells: cells.rows.length,
      tokens: stream.tokens,
    };
  } finally {
    await scanned.dispose();
  }
}

/** Peak RSS (bytes) of the CLI training the slice in a child process, with an optional --memory-budget. */
function childPeak(file: string, budget?: string): { peakRss: number; summary: Record<string, number> } {
  const args = [
    '-f',
    '__MAXRSS__ %M',
    process.execPath,
    '--import',
    'tsx',
    'src/cli.ts',
    'glove',
    file,
    '-o',
    join('.tmp/bench', 'glove-mem.txt'),
    '--dim',
    '50',
    '--window',
    '15',
    '--x-max',
    '10',
    '--epochs',
    '1',
    '--min-count',
    file.endsWith('tiny.txt') ? '1' : '5',
    '--threads',
    '2',
    '--json',
    ...(budget ? ['--memory-budget', budget] : []),
  ];
  const out = execFileSync('bash', ['-c', '/usr/bin/time "$@" 2>&1', 'time', ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const peak = Number(/__MAXRSS__ (\d+)/.exec(out)?.[1] ?? NaN) * 1024;
  const json = out.split('\n').find((l) => l.startsWith('{'));
  return { peakRss: peak, summary: json ? JSON.parse(json) : {} };
}

export async function run(): Promise<BenchReport> {
  const text = slice();
  mkdirSync('.tmp/bench', { recursive: true });
  const file = join('.tmp/bench', `glove-slice-${MB}mb.txt`);
  writeFileSync(file, text);
  const results: Record<string, Measured> = {};
  // Interleaved in one run: WASM 1 thread, WASM 2 threads, then the baseline (its single epoch is the slow part).
  results['wasm 1 thread'] = await wasm(text, 1);
  results['wasm 2 threads'] = await wasm(text, 2);
  results['TS baseline'] = await baseline(text);
  const base = results['TS baseline'];
  const rows: Row[] = Object.entries(results).map(([k, r]) => ({
    contender: k,
    'count s': Number(r.countWall.toFixed(2)),
    'count CPU-s': Number(r.countCpu.toFixed(2)),
    'count speed-up vs TS (CPU)': Number((base.countCpu / r.countCpu).toFixed(2)),
    's / iteration': Number(r.iterWall.toFixed(2)),
    'CPU-s / iteration': Number(r.iterCpu.toFixed(2)),
    'iteration speed-up vs TS (CPU)': Number((base.iterCpu / r.iterCpu).toFixed(2)),
    'iteration speed-up vs TS (wall)': Number((base.iterWall / r.iterWall).toFixed(2)),
    'tokens per count CPU-s': Math.round(r.tokens / r.countCpu),
    'cells per iteration CPU-s': Math.round(r.cells / r.iterCpu),
  }));
  rows.push({
    contender: 'GloVe C (issue reference, full corpus)',
    'tokens per count CPU-s': Math.round(C_TOKENS_PER_CPU_S),
    'cells per iteration CPU-s': Math.round(C_CELLS_PER_CPU_S),
  });
  const w1 = results['wasm 1 thread'];
  const notes = [
    `${w1.tokens.toLocaleString('en-US')} in-vocabulary tokens (${MB} MB text8 slice), ${w1.cells.toLocaleString('en-US')} non-zero cells; ` +
      `dim 50, window 15 (symmetric, 1/d), xMax 10, eta 0.05; WASM ${EPOCHS} iterations (median), TS baseline 1 iteration`,
    'CPU-s are process CPU time (all worker threads) per phase, sampled at onProgress phase changes; the baseline is single-threaded',
  ];
  // Memory: peak RSS of a child process against memoryBudget. The engine's own footprint (Node, tsx,
  // two worker isolates, compiled kernels) is measured on a 3-line corpus and reported apart.
  const tiny = join('.tmp/bench', 'glove-tiny.txt');
  writeFileSync(tiny, 'the cat sat on the mat\nthe dog sat on the log\nthe cat and the dog\n'.repeat(10));
  const engine = childPeak(tiny).peakRss;
  const mib = (b: number) => Math.round(b / 2 ** 20);
  rows.push({ contender: 'peak RSS, engine only (3-line corpus)', 'peak RSS MiB': mib(engine) });
  for (const budget of [undefined, 512 * 1024 ** 2, 192 * 1024 ** 2]) {
    const r = childPeak(file, budget === undefined ? undefined : String(budget));
    const b = budget ?? 2 * 1024 ** 3;
    rows.push({
      contender: `peak RSS, memoryBudget ${mib(b)} MiB${budget === undefined ? ' (default)' : ''}`,
      'peak RSS MiB': mib(r.peakRss),
      'peak RSS − engine MiB': mib(r.peakRss - engine),
      'within budget': r.peakRss - engine <= b ? 'yes' : 'NO',
      'spilled runs': r.summary.spilledRuns ?? NaN,
    });
  }
  notes.push(
    'memoryBudget covers the token cache, JavaScript-side buffers and the WebAssembly memory; the engine (Node, worker isolates) comes on top and is subtracted',
  );
  notes.push(`machine: ${JSON.stringify(machine())}`);
  return { title: 'GloVe: co-occurrence counting and AdaGrad iterations', command: 'npx tsx bench/glove.bench.ts', rows, notes };
}

if (isMain(import.meta.url)) printReport(await run());
