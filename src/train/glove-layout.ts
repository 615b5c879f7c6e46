import { Wasm2VecError } from '../errors.js';
import { MemoryLayout, formatBytes } from '../runtime/memory-layout.js';

/** Descriptor slots shared with assembly/glove.ts (8 bytes each). */
export const DESC = {
  VOCAB: 0, DIM: 8, STRIDE: 16, ROW_BYTES: 24, WINDOW: 32, SYMMETRIC: 40, PARTITIONED: 48,
  LOOKUP: 56, DENSE: 64, OWNER: 72, INVDIST: 80, PARAMS: 88, XMAX: 96, ALPHA: 104, ETA: 112, CLIP: 120,
} as const;
export const DESC_BYTES = 256;

/** A co-occurrence or training record: u32 column, u32 row, then f64 count or f32 log(x) + f32 weight. */
export const RECORD_BYTES = 16;
/** Tokens per counting call: big enough to amortise a call, small enough to keep threads in step. */
export const PIECE_TOKENS = 65536;
/** Pieces per batch; two batches alternate so the host fills one while the workers count the other. */
export const PIECES_PER_BATCH = 4;
/** Hash tables stop (and spill) at this load; linear probing stays short below it. */
export const MAX_LOAD = 0.75;
/** Share of the counting arena for the dense frequent-word corner (cooccur.c's bigram_table). */
const DENSE_SHARE = 0.2;
/** Smallest table a thread gets: tiny tables would spill every few tokens. */
const MIN_TABLE_SLOTS = 4096;

export interface GloveShape {
  /** Corpus count of each vocabulary word (id order, most frequent first). */
  counts: Float64Array;
  dim: number;
  window: number;
  symmetric: boolean;
  threads: number;
  /** Bytes of WebAssembly memory this model may take. */
  budget: number;
  /** Bytes of the user's memoryBudget already taken elsewhere (the token cache), for messages. */
  reserved?: number;
  /** cooccur.c's -max-product: caps the dense corner to cells with (i + 1)(j + 1) <= maxProduct (0: hash everything). */
  maxProduct?: number;
}

export interface GloveRegions {
  desc: number;
  lookup: number;
  owner: number;
  invDist: number;
  params: number;
  /** vocab × dim floats: the exported vectors. */
  output: number;
  /** [batch][piece] input slots of PIECE_TOKENS + window ids. */
  input: number[][];
  inputCapacity: number;
  /** Everything from here to the end of memory: hash tables + conversion room, then the dense block. */
  arena: number;
  arenaBytes: number;
  tables: { offset: number; slots: number; limit: number }[];
  /** End of the table span (tables + room to turn the dense cells into records). */
  tablesEnd: number;
  dense: number;
  denseCells: number;
}

export interface GlovePlan {
  layout: MemoryLayout;
  regions: GloveRegions;
  /** u32[vocab + 1]: first dense cell of each row. */
  lookup: Uint32Array;
  /** u8[vocab]: counting thread owning each row. */
  owner: Uint8Array;
  /** Row stride in floats of one parameter row (w, AdaGrad sums, bias, bias sum, padding). */
  stride: number;
  rowBytes: number;
  /** cooccur.c's max_product: cell (i, j) is dense when j < floor(maxProduct / (i + 1)). */
  maxProduct: number;
  /** True when the tables were sized below what the corpus might need, so they may spill. */
  budgetLimited: boolean;
}

/** Bytes for the vectors, the AdaGrad sums and biases of 2 × vocabulary rows. */
export function paramBytes(vocab: number, dim: number): number {
  const stride = Math.ceil(dim / 4) * 4;
  return 2 * vocab * (2 * stride + 4) * 4;
}

/** Row lengths of the dense corner for a max product P: min(vocab, floor(P / (i + 1))). */
function denseCellsFor(vocab: number, p: number): number {
  let total = 0;
  for (let i = 0; i < vocab; i++) {
    const len = Math.min(vocab, Math.floor(p / (i + 1)));
    if (len === 0) break;
    total += len;
  }
  return total;
}

/** The largest max product whose dense corner holds at most `cells` cells (all of it when vocab² fits). */
function maxProductFor(vocab: number, cells: number): number {
  if (vocab * vocab <= cells) return vocab * vocab;
  let lo = 0;
  let hi = vocab * vocab;
  while (lo < hi) {
    const mid = Math.floor((lo + hi + 1) / 2);
    if (denseCellsFor(vocab, mid) <= cells) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Rows go to counting threads by longest-processing-time: heaviest row (most occurrences, i.e. most
 * increments) to the least-loaded thread. Every cell has one owner, so threads never share a cell
 * and each cell is summed in corpus order whatever the thread count.
 */
function assignRows(counts: Float64Array, threads: number): Uint8Array {
  const owner = new Uint8Array(counts.length);
  if (threads === 1) return owner;
  const load = new Float64Array(threads);
  // Ids are sorted by count already (most frequent first).
  for (let i = 0; i < counts.length; i++) {
    let best = 0;
    for (let t = 1; t < threads; t++) if (load[t] < load[best]) best = t;
    owner[i] = best;
    load[best] += counts[i] + 1;
  }
  return owner;
}

/**
 * Lays out one GloVe model in a single memory of at most `budget` bytes: descriptor, dense-row lookup,
 * row owners, parameters (2 × vocabulary rows), counting input batches, then the arena. The arena
 * holds the per-thread hash tables (sized by an upper bound of the cells their rows can produce, cut
 * to the budget), room to turn the dense cells into records in place, and the dense corner
 * (≤ 20 % of it). After counting, the same arena holds the training records.
 */
export function planGlove(s: GloveShape): GlovePlan {
  const vocab = s.counts.length;
  const stride = Math.ceil(s.dim / 4) * 4;
  const rowBytes = (2 * stride + 4) * 4;
  const L = new MemoryLayout();
  const what = `vocabulary ${vocab.toLocaleString('en-US')} × 2 (word and context) × (dim ${s.dim} + bias) × 2 (AdaGrad) × 4 bytes`;
  const desc = L.alloc('descriptor', DESC_BYTES);
  const lookupAt = L.alloc('dense row lookup', (vocab + 1) * 4);
  const ownerAt = L.alloc('row owners', vocab);
  const invDist = L.alloc('distance weights', (s.window + 1) * 8);
  const params = L.alloc('vectors, biases and AdaGrad sums', 2 * vocab * rowBytes, what);
  const output = L.alloc('output vectors', vocab * s.dim * 4);
  const inputCapacity = PIECE_TOKENS + s.window;
  const input: number[][] = [];
  for (let b = 0; b < 2; b++) {
    input.push([]);
    for (let p = 0; p < PIECES_PER_BATCH; p++) input[b].push(L.alloc(`input batch ${b} piece ${p}`, inputCapacity * 4));
  }
  const arena = L.alloc('co-occurrence arena', 0);
  L.check('GloVe');
  const minTableBytes = s.threads * Math.max(MIN_TABLE_SLOTS, 16 * s.window) * RECORD_BYTES;
  const arenaBudget = Math.floor((s.budget - arena) / 64) * 64;
  if (arenaBudget * (1 - DENSE_SHARE) < minTableBytes) {
    const reserved = s.reserved ?? 0;
    const user = s.budget + reserved;
    throw new Wasm2VecError('MEMORY_LIMIT',
      `GloVe: memoryBudget ${user.toLocaleString('en-US')} bytes (${formatBytes(user)}) is too small for this vocabulary: ` +
      `${vocab.toLocaleString('en-US')} words × dim ${s.dim} need ${formatBytes(arena)} for vectors, AdaGrad sums and buffers ` +
      `(${what}), plus at least ${formatBytes(Math.ceil(minTableBytes / (1 - DENSE_SHARE)))} for the co-occurrence table` +
      `${reserved ? `, and ${formatBytes(reserved)} of the budget hold the corpus token cache` : ''}; raise memoryBudget to at least ` +
      `${formatBytes(reserved + arena + Math.ceil(minTableBytes / (1 - DENSE_SHARE)))} or shrink the vocabulary (minCount/maxVocab) or dim`);
  }

  // Dense corner: cooccur.c's frequent-word block, capped to a share of the arena.
  const denseCap = Math.min(DENSE_SHARE * arenaBudget, vocab * vocab * 8);
  const maxProduct = Math.min(s.maxProduct ?? Infinity, maxProductFor(vocab, Math.floor(denseCap / 8)));
  const lookup = new Uint32Array(vocab + 1);
  for (let i = 0; i < vocab; i++) lookup[i + 1] = lookup[i] + Math.min(vocab, Math.floor(maxProduct / (i + 1)));
  const denseCells = lookup[vocab];
  const denseBytes = denseCells * 8;

  // Sparse need per thread: a row gets at most (count × contexts per occurrence) distinct cells, and
  // never more than its non-dense columns.
  const owner = assignRows(s.counts, s.threads);
  const perOccurrence = s.symmetric ? 2 * s.window : s.window;
  const need = new Float64Array(s.threads);
  for (let i = 0; i < vocab; i++) {
    need[owner[i]] += Math.min(vocab - (lookup[i + 1] - lookup[i]), s.counts[i] * perOccurrence);
  }
  const minSlots = Math.max(MIN_TABLE_SLOTS, 16 * s.window);
  const wanted = Array.from(need, (n) => Math.max(minSlots, Math.ceil(n / MAX_LOAD) + 2 * perOccurrence + 64));
  const wantedBytes = wanted.reduce((a, b) => a + b, 0) * RECORD_BYTES;
  // The tables must leave room to append the dense cells as 16-byte records after compaction:
  // free table bytes (>= 1 - MAX_LOAD of them) must cover 8 bytes per dense cell.
  const roomForDense = Math.ceil(denseBytes / (1 - MAX_LOAD));
  const available = arenaBudget - denseBytes;
  let tableBytes = Math.max(wantedBytes, roomForDense);
  let budgetLimited = false;
  if (tableBytes > available) {
    tableBytes = available;
    budgetLimited = true;
  }
  const scale = Math.min(1, (tableBytes / RECORD_BYTES) / wanted.reduce((a, b) => a + b, 0));
  const slots = wanted.map((w) => Math.max(minSlots, Math.floor(w * scale)));
  // Raising small tables to the minimum may overshoot: take the excess from the largest.
  const excess = slots.reduce((a, b) => a + b, 0) - Math.floor(tableBytes / RECORD_BYTES);
  if (excess > 0) {
    const big = slots.indexOf(Math.max(...slots));
    slots[big] = Math.max(minSlots, slots[big] - excess);
  }
  const tables: GloveRegions['tables'] = [];
  let at = arena;
  for (let t = 0; t < s.threads; t++) {
    tables.push({ offset: at, slots: slots[t], limit: Math.max(1, Math.floor(slots[t] * MAX_LOAD) - 2 * perOccurrence) });
    at += slots[t] * RECORD_BYTES;
  }
  const tablesEnd = Math.max(at, arena + tableBytes);
  const dense = Math.ceil(tablesEnd / 64) * 64;
  const end = dense + denseBytes;
  L.alloc('co-occurrence tables and dense corner', end - arena);
  L.check('GloVe');
  if (end > s.budget) {
    throw new Wasm2VecError('MEMORY_LIMIT', `GloVe: internal layout of ${formatBytes(end)} exceeds memoryBudget ${formatBytes(s.budget)}`);
  }
  return {
    layout: L,
    regions: {
      desc, lookup: lookupAt, owner: ownerAt, invDist, params, output, input, inputCapacity,
      arena, arenaBytes: end - arena, tables, tablesEnd, dense, denseCells,
    },
    lookup, owner, stride, rowBytes, maxProduct, budgetLimited,
  };
}
