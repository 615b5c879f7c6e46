import { Wasm2VecError } from '../../errors.js';
import { formatBytes } from '../../runtime/memory-layout.js';
import type { KernelCall, KernelPool } from '../../runtime/kernel-pool.js';
import type { IdStream } from '../../text/id-stream.js';
import { PIECES_PER_BATCH, PIECE_TOKENS, RECORD_BYTES, tableLimit, type GlovePlan } from './layout.js';
import type { GloveKernel } from './kernel.js';
import { RunStore } from './cooccurrence-runs.js';

/**
 * Counting co-occurrences with the kernel pool: every thread reads every piece of the id stream and
 * counts the cells of the rows it owns into its own table (and the dense corner), so no two threads
 * ever touch one cell. A table at its load limit doubles inside its span; once the span (the budget)
 * is used up, Node sorts it into a run on disk and clears it (cooccur.c's overflow files) and a
 * browser stops with a clear error.
 */

export interface CountOptions {
  window: number;
  /** Where spilled runs go; null: spilling is impossible (browser). */
  spill: { tempDir?: string } | null;
  budget: number;
  signal?: AbortSignal;
  /** Called after each batch with the in-vocabulary tokens counted so far. */
  onTokens?: (tokens: number) => void;
}

export type CountResult =
  /** All cells are count records (u32 j, u32 i, f64 x) at [at, at + 16 · records), unsorted. */
  | { kind: 'memory'; at: number; records: number; spills: 0 }
  /**
   * Everything was spilled as sorted runs; merge them to get the cells. With `triangle`, the runs
   * hold the upper triangle of a symmetric table: every off-diagonal cell stands for two.
   */
  | { kind: 'runs'; runs: RunStore; spills: number; triangle: boolean };

interface Piece {
  ids: Int32Array;
  start: number;
  tokens: number;
}

/** Cuts the stream's chunks into pieces of PIECE_TOKENS ids, each with up to `window` ids of history. */
async function* piecesOf(stream: IdStream, window: number): AsyncGenerator<Piece> {
  for await (const chunk of stream.chunks()) {
    for (let a = 0; a < chunk.length; a += PIECE_TOKENS) {
      const b = Math.min(chunk.length, a + PIECE_TOKENS);
      const h = Math.min(window, a);
      let tokens = 0;
      for (let i = a; i < b; i++) if (chunk[i] >= 0) tokens++;
      yield { ids: chunk.subarray(a - h, b), start: h, tokens };
    }
  }
}

/** Counts the stream into the kernel's tables (after its `initialise`). */
export async function countCooccurrences(kernel: GloveKernel, stream: IdStream, o: CountOptions): Promise<CountResult> {
  const { pool, plan } = kernel;
  const { regions } = plan;
  const threads = pool.threads;
  let runs: RunStore | null = null;
  // Two threads may spill at once: create the store once.
  let creating: Promise<RunStore> | null = null;
  const store = async (): Promise<RunStore> => {
    creating ??= RunStore.create(o.spill!.tempDir).then((r) => (runs = r));
    return creating;
  };
  let spills = 0;

  const tooBig = () =>
    new Wasm2VecError(
      'MEMORY_LIMIT',
      `GloVe: the co-occurrence table of this corpus (${stream.tokens.toLocaleString('en-US')} in-vocabulary tokens, ` +
        `vocabulary ${(plan.lookup.length - 1).toLocaleString('en-US')}, window ${o.window}) does not fit in memoryBudget ${o.budget.toLocaleString('en-US')} bytes ` +
        `(${formatBytes(o.budget)}), and spilling to temporary files needs Node.js; raise memoryBudget (wasm32 allows up to 4 GiB), ` +
        'raise minCount, shorten the window or use a smaller corpus',
    );

  /** Sorts thread t's table into a run on disk and empties it. */
  const spill = async (t: number) => {
    if (!o.spill) throw tooBig();
    const target = await store();
    const [n] = await pool.call(t, [['compactTable']]);
    await pool.call(t, [['sortRecords', regions.tables[t].offset, n]]);
    const at = regions.tables[t].offset;
    await target.writeRun(pool, async function* () {
      yield [at, n * RECORD_BYTES];
    });
    await pool.call(t, [['clearTable']]);
    spills++;
  };

  /** A full table doubles inside its span while there is room for it and its staging; then it spills. */
  const growOrSpill = async (t: number) => {
    const tb = regions.tables[t];
    const [n] = await pool.call(t, [['tableCount']]);
    const slots = Math.min(2 * tb.slots, tb.span - n, tb.maxSlots);
    if (slots >= 1.25 * tb.slots) {
      const limit = tableLimit(slots, plan.perOccurrence);
      await pool.call(t, [['growTable', slots, limit]]);
      tb.slots = slots;
      tb.limit = limit;
    } else {
      await spill(t);
    }
  };

  /** Thread t counts one batch; on a full table it spills and resumes where it stopped. */
  const countBatch = async (t: number, batch: number, pieces: Piece[]) => {
    const starts = pieces.map((p) => p.start);
    let from = 0;
    while (from < pieces.length) {
      const calls: KernelCall<'glove'>[] = [];
      for (let k = from; k < pieces.length; k++) calls.push(['countChunk', regions.input[batch][k], pieces[k].ids.length, starts[k]]);
      const results = await pool.call(t, calls);
      const stopped = results.findIndex((r, k) => r < pieces[from + k].ids.length);
      if (stopped < 0) return;
      from += stopped;
      starts[from] = results[stopped];
      await growOrSpill(t);
    }
  };

  const source = piecesOf(stream, o.window)[Symbol.asyncIterator]();
  const fill = async (batch: number): Promise<Piece[]> => {
    const pieces: Piece[] = [];
    while (pieces.length < PIECES_PER_BATCH) {
      const r = await source.next();
      if (r.done) break;
      await pool.write(regions.input[batch][pieces.length], r.value.ids);
      pieces.push(r.value);
    }
    return pieces;
  };

  let tokens = 0;
  let batch = 0;
  try {
    let current = await fill(batch);
    while (current.length > 0) {
      if (o.signal?.aborted) throw new Wasm2VecError('ABORTED', 'GloVe co-occurrence counting was aborted');
      const running = Promise.all(Array.from({ length: threads }, (_, t) => countBatch(t, batch, current)));
      // The host fills the other batch's slots while the workers count this one.
      const [, next] = await Promise.all([running, fill(1 - batch)]);
      for (const p of current) tokens += p.tokens;
      o.onTokens?.(tokens);
      current = next;
      batch = 1 - batch;
    }
    if (spills === 0) {
      const gathered = await gatherInMemory(pool, plan);
      if (gathered >= 0) return { kind: 'memory', at: regions.arena, records: gathered, spills: 0 };
      if (!o.spill) throw tooBig();
    }
    // Spill path: the rest of every table, then the dense corner, become runs.
    for (let t = 0; t < threads; t++) {
      const [n] = await pool.call(t, [['tableCount']]);
      if (n > 0) await spill(t);
    }
    const target = await store();
    await denseToRun(pool, plan, target);
    return { kind: 'runs', runs: target, spills, triangle: plan.triangle };
  } catch (e) {
    await source.return?.(undefined);
    await (runs as RunStore | null)?.dispose();
    throw e;
  }
}

/**
 * Compacts every table to count records, moves them together at the arena start, mirrors them when
 * only the upper triangle was counted, and appends the non-zero dense cells (mirrored in place
 * first). Returns the number of records, or -1 (tables untouched) when they would not fit; the
 * layout caps table growth so that they do, so the caller's fallback (spilling) is a safety net.
 */
async function gatherInMemory(pool: KernelPool<'glove'>, plan: GlovePlan): Promise<number> {
  const { regions } = plan;
  const counts = await Promise.all(regions.tables.map((_, t) => pool.call(t, [['tableCount']]).then((r) => r[0])));
  const stored = counts.reduce((a, b) => a + b, 0);
  const end = regions.arena + (plan.triangle ? 2 : 1) * stored * RECORD_BYTES;
  // Writing record k (16 bytes) while reading dense cell c >= k (8 bytes) never overtakes an unread
  // cell if the gap before the dense block is at least 8 bytes per dense cell.
  if (regions.dense - end < 8 * regions.denseCells) return -1;
  await Promise.all(regions.tables.map((_, t) => pool.call(t, [['compactTable']])));
  let at = regions.arena;
  for (let t = 0; t < counts.length; t++) {
    const bytes = counts[t] * RECORD_BYTES;
    if (regions.tables[t].offset !== at && bytes > 0) await pool.call(0, [['moveBytes', at, regions.tables[t].offset, bytes]]);
    at += bytes;
  }
  if (plan.triangle) {
    const [mirrored] = await pool.call(0, [['mirrorRecords', regions.arena, stored]]);
    at += mirrored * RECORD_BYTES;
    await Promise.all(regions.tables.map((_, t) => pool.call(t, [['mirrorDense', pool.threads]])));
  }
  const [, written] = await pool.call(0, [['denseRecords', at, 0xffffffff, 0, regions.denseCells, 0], ['lastRecordCount']]);
  return (at - regions.arena) / RECORD_BYTES + written;
}

/**
 * Writes the dense corner's non-zero cells (its upper triangle when the runs hold triangles) as one
 * sorted run, staged through the (spilled, empty) table span.
 */
async function denseToRun(pool: KernelPool<'glove'>, plan: GlovePlan, runs: RunStore): Promise<void> {
  const { regions } = plan;
  const staging = regions.arena;
  const capacity = Math.floor((regions.tablesEnd - regions.arena) / RECORD_BYTES);
  await runs.writeRun(pool, async function* () {
    for (let cursor = 0; cursor < regions.denseCells; ) {
      const [next, written] = await pool.call(0, [['denseRecords', staging, capacity, cursor, regions.denseCells, plan.triangle ? 1 : 0], ['lastRecordCount']]);
      cursor = next;
      if (written > 0) yield [staging, written * RECORD_BYTES];
    }
  });
}
