import { Wasm2VecError } from '../../errors.js';
import type { KernelPool } from '../../runtime/kernel-pool.js';
import type { CountResult } from './cooccurrence-count.js';
import { TempFile } from './cooccurrence-temp-file.js';
import { RECORD_BYTES, type GlovePlan } from './layout.js';
import type { GloveKernel } from './kernel.js';

/**
 * The non-zero co-occurrence cells as GloVe trains on them: log(x) and the weight f(x) computed once
 * per cell, then shuffled with the seeded generator. They stay in the arena when they fit; otherwise
 * (Node only, after a spill) they go to a temp file as shuffle.c does it: shuffled arena-sized
 * segments, then a merge that shuffles slices of every segment together. Training reads them back.
 */

export type CellSource = { kind: 'memory'; at: number; records: number } | { kind: 'disk'; file: TempFile; records: number };

/** Records per trainCells call: progress, abort and Hogwild hand-offs at a fine grain. */
const TRAIN_CALL_RECORDS = 1 << 16;

/** Splits [0, n) like glove.c: n / T records per thread, the remainder to the last. */
export function threadRange(n: number, threads: number, t: number): [number, number] {
  const per = Math.floor(n / threads);
  return [t * per, t === threads - 1 ? n : (t + 1) * per];
}

async function prepareInArena(pool: KernelPool<'glove'>, at: number, records: number): Promise<void> {
  await Promise.all(
    Array.from({ length: pool.threads }, (_, t) => {
      const [lo, hi] = threadRange(records, pool.threads, t);
      return hi > lo ? pool.call(t, [['prepareCells', at + lo * RECORD_BYTES, hi - lo]]) : Promise.resolve([]);
    }),
  );
}

export interface CellOptions {
  seed: number;
  tempDir?: string;
  signal?: AbortSignal;
}

/** Prepares and shuffles the counted cells for training. */
export async function cellsFromCount(kernel: GloveKernel, count: CountResult, o: CellOptions): Promise<CellSource> {
  const { pool, plan } = kernel;
  const seed = BigInt(o.seed);
  if (count.kind === 'memory') {
    await prepareInArena(pool, count.at, count.records);
    await pool.call(0, [['shuffleCells', count.at, count.records, seed, 0n]]);
    return { kind: 'memory', at: count.at, records: count.records };
  }
  const arena = plan.regions.arena;
  const capacity = Math.floor(plan.regions.arenaBytes / RECORD_BYTES);
  let fill = 0;
  let segments: TempFile | null = null;
  const segmentSizes: number[] = [];
  const flush = async () => {
    await prepareInArena(pool, arena, fill);
    await pool.call(0, [['shuffleCells', arena, fill, seed, BigInt(segmentSizes.length + 1)]]);
    segments ??= await TempFile.create('GloVe shuffle', o.tempDir);
    await segments.appendFrom(pool, arena, fill * RECORD_BYTES);
    segmentSizes.push(fill);
    fill = 0;
  };
  try {
    // A triangle record may stand for two cells: keep room for its mirror.
    const per = count.triangle ? 2 : 1;
    for await (const block of count.runs.merge()) {
      if (o.signal?.aborted) throw new Wasm2VecError('ABORTED', 'GloVe co-occurrence merging was aborted');
      const n = block.length / RECORD_BYTES;
      for (let off = 0; off < n; ) {
        if (capacity - fill < per) await flush();
        const take = Math.min(Math.floor((capacity - fill) / per), n - off);
        const at = arena + fill * RECORD_BYTES;
        await pool.write(at, block.subarray(off * RECORD_BYTES, (off + take) * RECORD_BYTES));
        fill += take;
        if (count.triangle) fill += (await pool.call(0, [['mirrorRecords', at, take]]))[0];
        off += take;
      }
    }
  } catch (e) {
    await (segments as TempFile | null)?.dispose();
    throw e;
  } finally {
    await count.runs.dispose();
  }
  if (!segments) {
    await prepareInArena(pool, arena, fill);
    await pool.call(0, [['shuffleCells', arena, fill, seed, 0n]]);
    return { kind: 'memory', at: arena, records: fill };
  }
  const segmentFile: TempFile = segments;
  try {
    await flush();
    return { kind: 'disk', file: await shuffleMerge(pool, plan, segmentFile, segmentSizes, seed, o), records: segmentSizes.reduce((a, b) => a + b, 0) };
  } finally {
    await segmentFile.dispose();
  }
}

/** shuffle.c's shuffle_merge: repeatedly take an equal slice of every segment, shuffle, append. */
async function shuffleMerge(pool: KernelPool<'glove'>, plan: GlovePlan, segments: TempFile, sizes: number[], seed: bigint, o: CellOptions): Promise<TempFile> {
  const arena = plan.regions.arena;
  const capacity = Math.floor(plan.regions.arenaBytes / RECORD_BYTES);
  const per = Math.max(1, Math.floor(capacity / sizes.length));
  const starts: number[] = [];
  for (let k = 0, at = 0; k < sizes.length; at += sizes[k], k++) starts.push(at);
  const taken = sizes.map(() => 0);
  const out = await TempFile.create('GloVe shuffle', o.tempDir);
  try {
    for (let round = 0; ; round++) {
      if (o.signal?.aborted) throw new Wasm2VecError('ABORTED', 'GloVe shuffling was aborted');
      let fill = 0;
      for (let k = 0; k < sizes.length; k++) {
        const n = Math.min(per, sizes[k] - taken[k]);
        if (n <= 0) continue;
        await segments.readInto(pool, (starts[k] + taken[k]) * RECORD_BYTES, arena + fill * RECORD_BYTES, n * RECORD_BYTES);
        taken[k] += n;
        fill += n;
      }
      if (fill === 0) break;
      await pool.call(0, [['shuffleCells', arena, fill, seed, BigInt(0x10000 + round)]]);
      await out.appendFrom(pool, arena, fill * RECORD_BYTES);
    }
  } catch (e) {
    await out.dispose();
    throw e;
  }
  return out;
}

/**
 * One pass over all cells: thread t trains its contiguous share (glove.c's split), Hogwild on the
 * shared parameters. `onCalls` gets (cells, cost) after each kernel call. Returns the summed cost.
 */
export async function trainEpoch(
  kernel: GloveKernel,
  cells: CellSource,
  onCall: (cells: number, cost: number) => void,
  signal?: AbortSignal,
): Promise<{ cost: number; aborted: boolean }> {
  const { pool, plan } = kernel;
  let total = 0;
  let aborted = false;
  const threads = pool.threads;
  if (cells.kind === 'memory') {
    await Promise.all(
      Array.from({ length: threads }, async (_, t) => {
        const [lo, hi] = threadRange(cells.records, threads, t);
        for (let r = lo; r < hi; r += TRAIN_CALL_RECORDS) {
          if (signal?.aborted) {
            aborted = true;
            return;
          }
          const n = Math.min(TRAIN_CALL_RECORDS, hi - r);
          const [cost] = await pool.call(t, [['trainCells', cells.at + r * RECORD_BYTES, n]]);
          total += cost;
          onCall(n, cost);
        }
      }),
    );
    return { cost: total, aborted };
  }
  // From disk: each thread double-buffers blocks of its share through two arena slots.
  const block = Math.max(1, Math.floor(plan.regions.arenaBytes / RECORD_BYTES / (2 * threads)));
  await Promise.all(
    Array.from({ length: threads }, async (_, t) => {
      const [lo, hi] = threadRange(cells.records, threads, t);
      const slot = (k: number) => plan.regions.arena + (2 * t + (k & 1)) * block * RECORD_BYTES;
      const load = (r: number, k: number) => cells.file.readInto(pool, r * RECORD_BYTES, slot(k), Math.min(block, hi - r) * RECORD_BYTES);
      let pending = lo < hi ? load(lo, 0) : null;
      for (let r = lo, k = 0; r < hi; r += block, k++) {
        await pending;
        if (signal?.aborted) {
          aborted = true;
          return;
        }
        const n = Math.min(block, hi - r);
        const training = pool.call(t, [['trainCells', slot(k), n]]);
        pending = r + block < hi ? load(r + block, k + 1) : null;
        const [cost] = await training;
        total += cost;
        onCall(n, cost);
      }
    }),
  );
  return { cost: total, aborted };
}

export async function disposeCells(cells: CellSource | null): Promise<void> {
  if (cells?.kind === 'disk') await cells.file.dispose();
}

export interface RawCells {
  rows: Uint32Array;
  cols: Uint32Array;
  values: Float64Array;
}

/** The counted cells (before weighting and shuffling), sorted by (row, column). */
export async function rawCells(kernel: GloveKernel, count: CountResult): Promise<RawCells> {
  const { pool } = kernel;
  if (count.kind === 'memory') {
    const bytes = await pool.read(count.at, count.records * RECORD_BYTES);
    const u32 = new Uint32Array(bytes.buffer, bytes.byteOffset, count.records * 4);
    const f64 = new Float64Array(bytes.buffer, bytes.byteOffset, count.records * 2);
    const order = Array.from({ length: count.records }, (_, k) => k);
    order.sort((a, b) => u32[4 * a + 1] - u32[4 * b + 1] || u32[4 * a] - u32[4 * b]);
    const out: RawCells = { rows: new Uint32Array(count.records), cols: new Uint32Array(count.records), values: new Float64Array(count.records) };
    order.forEach((k, n) => {
      out.rows[n] = u32[4 * k + 1];
      out.cols[n] = u32[4 * k];
      out.values[n] = f64[2 * k + 1];
    });
    return out;
  }
  const rows: number[] = [],
    cols: number[] = [],
    values: number[] = [];
  try {
    for await (const block of count.runs.merge()) {
      const u32 = new Uint32Array(block.buffer, block.byteOffset, block.length / 4);
      const f64 = new Float64Array(block.buffer, block.byteOffset, block.length / 8);
      for (let k = 0; k < block.length / RECORD_BYTES; k++) {
        const i = u32[4 * k + 1],
          j = u32[4 * k],
          x = f64[2 * k + 1];
        rows.push(i);
        cols.push(j);
        values.push(x);
        if (count.triangle && i !== j) {
          rows.push(j);
          cols.push(i);
          values.push(x);
        }
      }
    }
  } finally {
    await count.runs.dispose();
  }
  const order = Array.from(rows, (_, k) => k).sort((a, b) => rows[a] - rows[b] || cols[a] - cols[b]);
  return {
    rows: Uint32Array.from(order, (k) => rows[k]),
    cols: Uint32Array.from(order, (k) => cols[k]),
    values: Float64Array.from(order, (k) => values[k]),
  };
}
