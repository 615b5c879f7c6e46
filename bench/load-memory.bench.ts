/**
 * Peak memory while loading a ~200 MB word2vec binary file from a path (streaming reader): a fresh
 * Node process loads it and reports its peak resident set (getrusage maxRSS) above the RSS it had
 * just before the load, as a multiple of the float32 matrix size. Also times the load.
 *   npx tsx bench/load-memory.bench.ts        (LOAD_BENCH_WORDS=500000 LOAD_BENCH_DIM=100 to change)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeSync, closeSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchReport, type Row, machine, isMain, printReport } from './harness.js';

const WORDS = Number(process.env.LOAD_BENCH_WORDS ?? 500_000);
const DIM = Number(process.env.LOAD_BENCH_DIM ?? 100);

/** Writes the test file in 1 MB pieces (never whole in memory). */
function makeFile(path: string): void {
  if (existsSync(path)) return;
  const fd = openSync(path, 'w');
  writeSync(fd, `${WORDS} ${DIM}\n`);
  const row = new Float32Array(DIM);
  const rowBytes = new Uint8Array(row.buffer);
  let buf = new Uint8Array(1 << 20),
    len = 0;
  let s = 7;
  for (let i = 0; i < WORDS; i++) {
    const word = new TextEncoder().encode(`word${i} `);
    for (let k = 0; k < DIM; k++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      row[k] = s / 2 ** 32 - 0.5;
    }
    if (len + word.length + rowBytes.length + 1 > buf.length) {
      writeSync(fd, buf.subarray(0, len));
      len = 0;
    }
    buf.set(word, len);
    len += word.length;
    buf.set(rowBytes, len);
    len += rowBytes.length;
    buf[len++] = 0x0a;
  }
  writeSync(fd, buf.subarray(0, len));
  closeSync(fd);
  buf = new Uint8Array(0);
}

/** Child side: load and report. */
async function child(path: string): Promise<void> {
  const { Embeddings } = await import('../src/index.js');
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage().rss;
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  const t0 = performance.now();
  const e = await Embeddings.load(path);
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ before, maxBefore, peak, after: process.memoryUsage().rss, matrix: e.vectors.byteLength, words: e.size, dim: e.dim, seconds }));
}

export async function run(): Promise<BenchReport> {
  const dir = '.tmp/bench';
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `load-${WORDS}x${DIM}.bin`);
  makeFile(path);
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self], { env: { ...process.env, LOAD_MEMORY_CHILD: path }, encoding: 'utf8' });
  const fileBytes = statSync(path).size;
  rmSync(path, { force: true }); // 200 MB of scratch: not kept between runs
  if (r.status !== 0) throw new Error(`child failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const mb = (x: number) => Number((x / 2 ** 20).toFixed(1));
  const rows: Row[] = [
    {
      file: `${mb(fileBytes)} MiB word2vec binary`,
      words: m.words,
      dim: m.dim,
      'matrix MiB': mb(m.matrix),
      'RSS before MiB': mb(m.before),
      'peak RSS MiB': mb(m.peak),
      'peak − before MiB': mb(m.peak - m.before),
      'peak increase / matrix': Number(((m.peak - m.before) / m.matrix).toFixed(2)),
      'load seconds': Number(m.seconds.toFixed(2)),
    },
  ];
  return {
    title: 'Peak memory loading a word2vec binary file from a path',
    command: 'npx tsx bench/load-memory.bench.ts',
    rows,
    notes: [
      'The reader streams the file in 1 MiB chunks into a Float32Array allocated once, after the header was checked against the file size; the increase also holds the words and their index (a Map).',
      `peak RSS of the whole process (getrusage) was ${mb(m.maxBefore)} MiB before loading started`,
      `machine: ${JSON.stringify(machine())}`,
    ],
  };
}

if (process.env.LOAD_MEMORY_CHILD) await child(process.env.LOAD_MEMORY_CHILD);
else if (isMain(import.meta.url)) printReport(await run());
