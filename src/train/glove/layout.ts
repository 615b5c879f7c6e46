import { Wasm2VecError } from '../../errors.js';
import { MemoryLayout, formatBytes } from '../../runtime/memory-layout.js';
import { GLOVE_DESCRIPTOR_BYTES } from '../../runtime/abi/glove.generated.js';

/**
 * Bytes reserved for the descriptor (GloveDescriptor, assembly/abi/glove.abi.json). Fixed, not the
 * descriptor's size: the arena starts after it, and the arena's size decides where tables spill and
 * how spilled cells are cut into shuffle segments, so the same memoryBudget must keep giving the same
 * layout (a checkpoint resumes bit for bit only then).
 */
const DESCRIPTOR_REGION_BYTES = 256;

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
/** A cell joins the dense corner when its expected count is at least this (then P(non-zero) >= 0.39). */
const DENSE_MIN_EXPECTED = 0.5;
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
  /** Bytes of the user's memoryBudget already taken elsewhere (the token cache and JavaScript buffers), for messages. */
  reserved?: number;
  /** The smallest memoryBudget that leaves `wasmBytes` for the WebAssembly memory (for messages). */
  minimumBudget?: (wasmBytes: number) => number;
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
  /** Per thread: its span (slots reserved), the most slots its table may grow to, its current slots and spill limit. */
  tables: { offset: number; span: number; maxSlots: number; slots: number; limit: number }[];
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
  /** Expected count (under independence) above which a cell is in the dense corner. */
  denseThreshold: number;
  /** Cells a token adds at most: 2 × window when symmetric, else window. */
  perOccurrence: number;
  /** Symmetric counting stores only the upper triangle; it is mirrored when written out. */
  triangle: boolean;
  /** True when the tables were sized below what the corpus might need, so they may spill. */
  budgetLimited: boolean;
}

/** A minimum in bytes, exactly (formatBytes rounds, and 7.3 MiB may be less than a 7.34 MiB minimum). */
const atLeast = (bytes: number) => `${Math.ceil(bytes).toLocaleString('en-US')} bytes (${formatBytes(bytes)})`;

/** Occupied entries at which a table of `slots` stops (a token adds at most perOccurrence cells). */
export function tableLimit(slots: number, perOccurrence: number): number {
  return Math.max(1, Math.floor(slots * MAX_LOAD) - perOccurrence);
}

/**
 * Rows go to counting threads by longest-processing-time: heaviest row to the least-loaded thread.
 * A row's weight is the increments it receives: count × contexts; in symmetric counting only pairs
 * whose other word is rarer (a higher id) land in row i, about count_i × (share of tokens from i on).
 * Every cell has one owner, so threads never share a cell and each cell is summed in corpus order
 * whatever the thread count.
 */
function assignRows(counts: Float64Array, threads: number, symmetric: boolean): Uint8Array {
  const owner = new Uint8Array(counts.length);
  if (threads === 1) return owner;
  const load = new Float64Array(threads);
  let rest = counts.reduce((a, b) => a + b, 0);
  const total = rest;
  // Ids are sorted by count already (most frequent first).
  for (let i = 0; i < counts.length; i++) {
    let best = 0;
    for (let t = 1; t < threads; t++) if (load[t] < load[best]) best = t;
    owner[i] = best;
    load[best] += (symmetric ? counts[i] * (rest / total) : counts[i]) + 1;
    rest -= counts[i];
  }
  return owner;
}

/**
 * Lays out one GloVe model in a single memory of at most `budget` bytes: descriptor, dense-row lookup,
 * row owners, parameters (2 × vocabulary rows), output vectors, counting input batches, then the
 * arena. The arena holds one span per counting thread (its hash table grows inside it; spans are
 * sized by an upper bound of the cells their rows can produce, cut to the budget), room to write the
 * dense cells out as records in place, and the dense corner (at most 20 % of the arena). After
 * counting, the same arena holds the training records. Untouched pages cost no physical memory, so
 * a generous span costs only address space.
 */
export function planGlove(s: GloveShape): GlovePlan {
  const vocab = s.counts.length;
  const stride = Math.ceil(s.dim / 4) * 4;
  const rowBytes = (2 * stride + 4) * 4;
  const L = new MemoryLayout();
  const what = `vocabulary ${vocab.toLocaleString('en-US')} × 2 (word and context) × (dim ${s.dim} + bias) × 2 (AdaGrad) × 4 bytes`;
  if (GLOVE_DESCRIPTOR_BYTES > DESCRIPTOR_REGION_BYTES)
    throw new Error(`internal: GloveDescriptor (${GLOVE_DESCRIPTOR_BYTES} bytes) outgrew its ${DESCRIPTOR_REGION_BYTES}-byte region`);
  const desc = L.alloc('descriptor', DESCRIPTOR_REGION_BYTES);
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
    throw new Wasm2VecError(
      'MEMORY_LIMIT',
      `GloVe: memoryBudget ${user.toLocaleString('en-US')} bytes (${formatBytes(user)}) is too small for this vocabulary: ` +
        `${vocab.toLocaleString('en-US')} words × dim ${s.dim} need ${formatBytes(arena)} for vectors, AdaGrad sums and buffers ` +
        `(${what}), plus at least ${formatBytes(Math.ceil(minTableBytes / (1 - DENSE_SHARE)))} for the co-occurrence table` +
        `${reserved ? `, and ${formatBytes(reserved)} of the budget are kept for the corpus token cache and JavaScript buffers` : ''}; raise memoryBudget to at least ` +
        `${atLeast((s.minimumBudget ?? ((w: number) => w + reserved))(arena + Math.ceil(minTableBytes / (1 - DENSE_SHARE))))} ` +
        'or shrink the vocabulary (minCount/maxVocab) or dim',
    );
  }

  // Dense corner (cooccur.c's bigram_table for frequent pairs): row i keeps the columns j whose
  // expected count under independence, c_i · c_j · contexts / tokens, is at least `threshold`, so
  // most of its cells are non-zero and 8 bytes each beat ~21 in a hash table. The threshold rises
  // until the corner fits its share of the arena; maxProduct (cooccur.c's option) caps it further.
  const perOccurrence = s.symmetric ? 2 * s.window : s.window;
  const tokens = s.counts.reduce((a, b) => a + b, 0);
  const rowLengths = (threshold: number) => {
    const len = new Float64Array(vocab);
    for (let i = 0; i < vocab; i++) {
      const minCount = (threshold * tokens) / (perOccurrence * s.counts[i]);
      // counts are sorted descending: the columns with c_j >= minCount are a prefix.
      let lo = 0,
        hi = vocab;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (s.counts[mid] >= minCount) lo = mid + 1;
        else hi = mid;
      }
      len[i] = s.maxProduct === undefined ? lo : Math.min(lo, Math.floor(s.maxProduct / (i + 1)));
    }
    return len;
  };
  const denseCap = (DENSE_SHARE * arenaBudget) / 8;
  let threshold = DENSE_MIN_EXPECTED;
  let len = rowLengths(threshold);
  if (len.reduce((a, b) => a + b, 0) > denseCap) {
    let lo = threshold,
      hi = threshold;
    while (rowLengths(hi).reduce((a, b) => a + b, 0) > denseCap) hi *= 2;
    for (let k = 0; k < 40; k++) {
      const mid = Math.sqrt(lo * hi);
      if (rowLengths(mid).reduce((a, b) => a + b, 0) > denseCap) lo = mid;
      else hi = mid;
    }
    threshold = hi;
    len = rowLengths(threshold);
  }
  const lookup = new Uint32Array(vocab + 1);
  for (let i = 0; i < vocab; i++) lookup[i + 1] = lookup[i] + len[i];
  const denseCells = lookup[vocab];
  const denseBytes = Math.ceil((denseCells * 8) / 64) * 64;

  // Each thread's table grows (doubling, rehashed in place) inside its own span, so only the used
  // prefix is ever touched. A span is sized for an upper bound of the distinct cells its rows can
  // produce (count × contexts per occurrence, at most the non-dense columns) at MAX_LOAD, plus the
  // staging a final doubling needs, and cut to the budget.
  // Symmetric counting stores the upper triangle only (row <= column): the columns of row i are then
  // the non-dense ones from i on, and the whole table (twice the entries) is written out at the end.
  const owner = assignRows(s.counts, s.threads, s.symmetric);
  const need = new Float64Array(s.threads);
  for (let i = 0; i < vocab; i++) {
    const columns = s.symmetric ? vocab - Math.max(i, len[i]) : vocab - len[i];
    need[owner[i]] += Math.max(0, Math.min(columns, s.counts[i] * perOccurrence));
  }
  const minSlots = Math.max(MIN_TABLE_SLOTS, 16 * s.window);
  const mirror = s.symmetric ? 2 : 1;
  // A span holds the final table plus either the staging of its last doubling or, when mirrored,
  // the doubled records; the spans together also leave 8 bytes per dense cell for writing the dense
  // corner out as records in place.
  const wanted = Array.from(need, (n) => Math.ceil(Math.max(minSlots, n / MAX_LOAD) * Math.max(1 + MAX_LOAD / 2, mirror * MAX_LOAD)) + 2 * perOccurrence + 64);
  const denseRoom = Math.ceil(denseBytes / RECORD_BYTES);
  const wantedSlots = wanted.reduce((a, b) => a + b, 0) + denseRoom;
  const availableSlots = Math.floor((arenaBudget - denseBytes) / RECORD_BYTES);
  const budgetLimited = wantedSlots > availableSlots;
  const spanSlots = Math.min(wantedSlots, availableSlots);
  const scale = spanSlots / wantedSlots;
  const spans = wanted.map((w) => Math.max(minSlots, Math.floor(w * scale)));
  const excess = spans.reduce((a, b) => a + b, 0) + denseRoom - spanSlots;
  if (excess > 0) {
    const big = spans.indexOf(Math.max(...spans));
    spans[big] = Math.max(minSlots, spans[big] - excess);
  }
  // Tables stop growing where their entries (twice over when mirrored) would no longer fit their span
  // next to their share of the dense room: then everything still fits when written out.
  const denseShare = denseRoom / Math.max(1, spanSlots);
  const tables: GloveRegions['tables'] = [];
  let at = arena;
  for (let t = 0; t < s.threads; t++) {
    const maxSlots = Math.max(minSlots, Math.floor((spans[t] * (1 - denseShare)) / (mirror * MAX_LOAD)));
    // Start at a sixteenth of the bound: most corpora need far fewer cells than the bound.
    const slots = Math.max(minSlots, Math.min(maxSlots, Math.floor(spans[t] / (1 + MAX_LOAD)), Math.ceil(need[t] / MAX_LOAD / 16)));
    tables.push({ offset: at, span: spans[t], maxSlots, slots, limit: tableLimit(slots, perOccurrence) });
    at += spans[t] * RECORD_BYTES;
  }
  const tablesEnd = Math.max(at, arena + spanSlots * RECORD_BYTES);
  const dense = Math.ceil(tablesEnd / 64) * 64;
  const end = dense + denseBytes;
  L.alloc('co-occurrence tables and dense corner', end - arena);
  L.check('GloVe');
  if (end > s.budget + 64) {
    throw new Wasm2VecError('MEMORY_LIMIT', `GloVe: internal layout of ${formatBytes(end)} exceeds memoryBudget ${formatBytes(s.budget)}`);
  }
  return {
    layout: L,
    regions: {
      desc,
      lookup: lookupAt,
      owner: ownerAt,
      invDist,
      params,
      output,
      input,
      inputCapacity,
      arena,
      arenaBytes: end - arena,
      tables,
      tablesEnd,
      dense,
      denseCells,
    },
    lookup,
    owner,
    stride,
    rowBytes,
    denseThreshold: threshold,
    perOccurrence,
    triangle: s.symmetric,
    budgetLimited,
  };
}
