import { Wasm2VecError, describe } from '../errors.js';
import { importNode, isNode } from '../runtime/capabilities.js';
import { Vocabulary } from '../text/vocabulary.js';

/**
 * The Word2Vec checkpoint file: everything a training run needs to continue exactly where an epoch
 * ended. With one thread, resuming gives the same vectors, bit for bit, as a run that was never
 * interrupted (the sigmoid/noise/subsampling tables are recomputed from the options and counts; the
 * learning rate follows from the epoch; the only other state is each thread's RNG).
 *
 *   offset  size   field (little-endian)
 *   0       8      magic 89 57 32 43 0D 0A 1A 0A ("\x89W2C\r\n\x1a\n")
 *   8       4      version = 1
 *   12      4      header length in bytes
 *   16      …      header, UTF-8 JSON: { format, version, options, epochsCompleted, tokens, rawTokens,
 *                  effectiveTokens, sections: [{ name, bytes }] }; zero padding to a multiple of 8
 *   …       …      the sections in header order, each zero-padded to a multiple of 8:
 *                  vocabulary (UTF-8 JSON { words, counts }), rng (one u64 per thread), syn0,
 *                  syn1neg (negative > 0), syn1 (hs) as float32 vocabulary × dim
 *   end-4   4      checksum: FNV-1a (32-bit) over all preceding bytes taken as u32 words
 */

const MAGIC = [0x89, 0x57, 0x32, 0x43, 0x0d, 0x0a, 0x1a, 0x0a];
export const CHECKPOINT_VERSION = 1;
const FORMAT = 'wasm2vec-word2vec-checkpoint';
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Bytes per chunk when copying the weight matrices out of the model's memory. */
const COPY_CHUNK = 1 << 24;
const MAX_THREADS = 256;

const pad8 = (n: number) => (8 - (n % 8)) % 8;
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export type MatrixName = 'syn0' | 'syn1neg' | 'syn1';

/** The options that define the model and its learning-rate schedule (threads and callbacks may change on resume). */
export interface CheckpointOptions {
  model: 'skipgram' | 'cbow';
  mode: 'classic' | 'batched';
  dim: number;
  window: number;
  negative: number;
  hs: boolean;
  sample: number;
  minCount: number;
  maxVocab?: number;
  epochs: number;
  alpha: number;
  minAlpha: number;
  seed: number;
  maxSentenceLength: number;
}

export const CHECKPOINT_OPTION_NAMES: readonly (keyof CheckpointOptions)[] = ['model', 'mode', 'dim', 'window', 'negative', 'hs', 'sample',
  'minCount', 'maxVocab', 'epochs', 'alpha', 'minAlpha', 'seed', 'maxSentenceLength'];

export interface CheckpointState {
  options: CheckpointOptions;
  vocabulary: Vocabulary;
  /** Epochs fully trained. */
  epochsCompleted: number;
  /** In-vocabulary tokens per epoch (must match the corpus on resume). */
  tokens: number;
  rawTokens: number;
  effectiveTokens: number;
  /** Each worker's RNG state after the last completed epoch. */
  rng: bigint[];
}

/** A checkpoint as decoded: the state plus the matrices as byte views into the file (no copies). */
export interface DecodedCheckpoint extends CheckpointState {
  matrices: Map<MatrixName, Uint8Array>;
}

/** What the `checkpoint` callback receives. */
export interface Word2VecCheckpoint {
  /** Epochs completed (1-based number of the epoch just finished). */
  epoch: number;
  /** The checkpoint file; pass it (or its path once written) as `resumeFrom`. */
  bytes: Uint8Array;
}

/** FNV-1a over u32 words fed in slices whose lengths are multiples of 4. */
class WordHash {
  private h = FNV_OFFSET;
  update(b: Uint8Array): void {
    let h = this.h;
    const n = b.length >> 2;
    if (littleEndian && (b.byteOffset & 3) === 0) {
      const w = new Uint32Array(b.buffer, b.byteOffset, n);
      for (let i = 0; i < n; i++) h = Math.imul(h ^ w[i], FNV_PRIME);
    } else {
      for (let i = 0; i < n; i++) {
        const k = i << 2;
        h = Math.imul(h ^ (b[k] | (b[k + 1] << 8) | (b[k + 2] << 16) | (b[k + 3] << 24)), FNV_PRIME);
      }
    }
    this.h = h;
  }
  get value(): number {
    return this.h >>> 0;
  }
}

/** Reads `bytes` of a matrix from the model's memory starting at `offset` (relative to the matrix). */
export type MatrixReader = (offset: number, bytes: number) => Promise<Uint8Array>;

/**
 * The checkpoint file as chunks (the matrices are copied out of the model's memory 16 MiB at a time,
 * so writing a file never holds a second copy of the model).
 */
export async function* encodeCheckpoint(state: CheckpointState, matrices: { name: MatrixName; bytes: number; read: MatrixReader }[]): AsyncGenerator<Uint8Array> {
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', 'Word2Vec checkpoints are little-endian; this host is big-endian');
  const enc = new TextEncoder();
  const vocabulary = enc.encode(JSON.stringify(state.vocabulary.toJSON()));
  const rng = new Uint8Array(new BigUint64Array(state.rng).buffer);
  const sections = [
    { name: 'vocabulary', bytes: vocabulary.length },
    { name: 'rng', bytes: rng.length },
    ...matrices.map((m) => ({ name: m.name, bytes: m.bytes })),
  ];
  const header = enc.encode(JSON.stringify({
    format: FORMAT, version: CHECKPOINT_VERSION, options: state.options, epochsCompleted: state.epochsCompleted,
    tokens: state.tokens, rawTokens: state.rawTokens, effectiveTokens: state.effectiveTokens, sections,
  }));
  const hash = new WordHash();
  const emit = (b: Uint8Array) => { hash.update(b); return b; };
  const start = new Uint8Array(16 + header.length + pad8(16 + header.length));
  start.set(MAGIC);
  new DataView(start.buffer).setUint32(8, CHECKPOINT_VERSION, true);
  new DataView(start.buffer).setUint32(12, header.length, true);
  start.set(header, 16);
  yield emit(start);
  for (const b of [vocabulary, rng]) {
    const padded = new Uint8Array(b.length + pad8(b.length));
    padded.set(b);
    yield emit(padded);
  }
  for (const m of matrices) {
    for (let at = 0; at < m.bytes; at += COPY_CHUNK) yield emit(await m.read(at, Math.min(COPY_CHUNK, m.bytes - at)));
    if (pad8(m.bytes)) yield emit(new Uint8Array(pad8(m.bytes)));
  }
  const sum = new Uint8Array(4);
  new DataView(sum.buffer).setUint32(0, hash.value, true);
  yield sum;
}

function bad(source: string, problem: string): never {
  throw new Wasm2VecError('BAD_FORMAT', `Word2Vec checkpoint ${source}: ${problem}`);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Decodes and checks a checkpoint file: magic, version, header, section sizes against the vocabulary
 * and dimension, finite weights, checksum. The model options are returned as stored; the trainer
 * validates them like its own options.
 */
export function decodeCheckpoint(bytes: Uint8Array, source: string): DecodedCheckpoint {
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', 'Word2Vec checkpoints are little-endian; this host is big-endian');
  if (bytes.length < 20 || MAGIC.some((b, i) => bytes[i] !== b)) bad(source, 'not a Word2Vec checkpoint file (bad magic bytes)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_VERSION) {
    throw new Wasm2VecError('UNSUPPORTED', `Word2Vec checkpoint ${source}: format version ${version}; this wasm2vec reads version ${CHECKPOINT_VERSION}`);
  }
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length - 4) bad(source, `truncated: the header needs ${headerLength} bytes, the file has ${bytes.length - 20}`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength)));
  } catch (e) {
    bad(source, `unreadable header (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || header.format !== FORMAT) bad(source, `the header is not a ${FORMAT} header`);
  const { options, epochsCompleted, tokens, rawTokens, effectiveTokens, sections } = header;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) bad(source, `options are ${describe(options)}`);
  const o = options as Record<string, unknown>;
  const dim = o.dim;
  if (!isCount(dim) || dim < 1 || dim > 100000) bad(source, `dim is ${describe(dim)}`);
  if (!isCount(o.epochs) || !isCount(epochsCompleted) || epochsCompleted > o.epochs) bad(source, `epochsCompleted ${describe(epochsCompleted)} of ${describe(o.epochs)} epochs`);
  if (!isCount(tokens) || !isCount(rawTokens) || tokens > rawTokens) bad(source, `token counts ${describe(tokens)} / ${describe(rawTokens)}`);
  if (typeof effectiveTokens !== 'number' || !(effectiveTokens >= 0 && effectiveTokens <= Number.MAX_SAFE_INTEGER)) bad(source, `effectiveTokens ${describe(effectiveTokens)}`);
  if (!Array.isArray(sections)) bad(source, 'no section list');

  // Sections: where each one is, checked against the file size before anything is read.
  const found = new Map<string, Uint8Array>();
  let at = 16 + headerLength + pad8(16 + headerLength);
  for (const s of sections as unknown[]) {
    const { name, bytes: n } = (s ?? {}) as { name?: unknown; bytes?: unknown };
    if (typeof name !== 'string' || !['vocabulary', 'rng', 'syn0', 'syn1neg', 'syn1'].includes(name) || found.has(name) || !isCount(n)) {
      bad(source, `section ${JSON.stringify(s)} is unknown, repeated or has no size`);
    }
    if (at + n + pad8(n) > bytes.length - 4) bad(source, `truncated: section ${name} needs ${n} bytes at byte ${at}, the file has ${bytes.length}`);
    found.set(name, bytes.subarray(at, at + n));
    for (let i = at + n; i < at + n + pad8(n); i++) if (bytes[i] !== 0) bad(source, `nonzero padding at byte ${i}`);
    at += n + pad8(n);
  }
  if (at !== bytes.length - 4) bad(source, `${bytes.length - 4 - at} bytes between the last section and the checksum`);
  const hash = new WordHash();
  hash.update(bytes.subarray(0, at));
  const stored = view.getUint32(at, true);
  if (stored !== hash.value) bad(source, `checksum mismatch (stored ${stored.toString(16)}, computed ${hash.value.toString(16)}): the file is corrupt`);

  const vocabBytes = found.get('vocabulary');
  const rngBytes = found.get('rng');
  if (!vocabBytes || !rngBytes || !found.has('syn0')) bad(source, 'the vocabulary, rng and syn0 sections are required');
  let vocabulary: Vocabulary;
  try {
    vocabulary = Vocabulary.fromJSON(new TextDecoder('utf-8', { fatal: true }).decode(vocabBytes));
  } catch (e) {
    bad(source, `vocabulary: ${(e as Error).message}`);
  }
  if (vocabulary.size === 0) bad(source, 'the vocabulary is empty');
  // The in-vocabulary tokens of an epoch are the vocabulary's counts summed: a cheap consistency check.
  if (vocabulary.totalCount !== tokens) bad(source, `tokens ${tokens} do not match the vocabulary's counts (${vocabulary.totalCount})`);
  if (rngBytes.length === 0 || rngBytes.length % 8 !== 0 || rngBytes.length / 8 > MAX_THREADS) bad(source, `rng section of ${rngBytes.length} bytes`);
  const rngView = new DataView(rngBytes.buffer, rngBytes.byteOffset, rngBytes.byteLength);
  const rng = Array.from({ length: rngBytes.length / 8 }, (_, t) => rngView.getBigUint64(t * 8, true));

  const matrixBytes = vocabulary.size * dim * 4;
  const expected: MatrixName[] = ['syn0'];
  if (o.negative !== 0) expected.push('syn1neg');
  if (o.hs === true) expected.push('syn1');
  const matrices = new Map<MatrixName, Uint8Array>();
  for (const name of ['syn0', 'syn1neg', 'syn1'] as const) {
    const m = found.get(name);
    if (expected.includes(name) !== (m !== undefined)) bad(source, `section ${name} ${m ? 'is not expected' : 'is missing'} for these options`);
    if (!m) continue;
    if (m.length !== matrixBytes) bad(source, `${name} holds ${m.length} bytes, expected vocabulary ${vocabulary.size} × dim ${dim} × 4 = ${matrixBytes}`);
    const floats = (m.byteOffset & 3) === 0 ? new Float32Array(m.buffer, m.byteOffset, m.length / 4) : new Float32Array(m.slice().buffer);
    for (let i = 0; i < floats.length; i++) {
      if (!Number.isFinite(floats[i])) bad(source, `${name}: value ${i} (word ${JSON.stringify(vocabulary.words[Math.floor(i / dim)])}) is ${floats[i]}`);
    }
    matrices.set(name, m);
  }
  return {
    options: o as unknown as CheckpointOptions, vocabulary, epochsCompleted, tokens, rawTokens, effectiveTokens: effectiveTokens as number, rng, matrices,
  };
}

/** The bytes of `resumeFrom`: a checkpoint file's bytes, or its path (Node). */
export async function readCheckpointSource(source: unknown): Promise<{ bytes: Uint8Array; name: string }> {
  if (source instanceof Uint8Array) return { bytes: source, name: '(bytes)' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: '(bytes)' };
  if (typeof source === 'string' && source !== '') {
    if (!isNode) throw new Wasm2VecError('UNSUPPORTED', `option resumeFrom: a path ("${source}") needs Node.js; in a browser pass the checkpoint's bytes`);
    const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
    try {
      return { bytes: new Uint8Array(await fs.readFile(source)), name: `"${source}"` };
    } catch (e) {
      throw new Wasm2VecError('IO', `option resumeFrom: cannot read checkpoint "${source}": ${(e as Error).message}`, { cause: e });
    }
  }
  throw new Wasm2VecError('INVALID_OPTION', `option resumeFrom: got ${describe(source)}, expected a checkpoint's bytes (Uint8Array or ArrayBuffer) or a file path`);
}

/** Where checkpoints go: a callback, or a path (Node) that is replaced atomically each time. */
export type CheckpointTarget = string | ((checkpoint: Word2VecCheckpoint) => void | Promise<void>);

/**
 * Hands a checkpoint to its target. A path is written to "<path>.partial" and then renamed over the
 * previous checkpoint, so a crash or a full disk never leaves a half-written file in its place.
 */
export async function storeCheckpoint(target: CheckpointTarget, epoch: number, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  if (typeof target === 'function') {
    const parts: Uint8Array[] = [];
    let n = 0;
    for await (const c of chunks) { parts.push(c); n += c.length; }
    const bytes = new Uint8Array(n);
    let o = 0;
    for (const p of parts) { bytes.set(p, o); o += p.length; }
    await target({ epoch, bytes });
    return;
  }
  const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
  const partial = `${target}.partial`;
  try {
    const handle = await fs.open(partial, 'w');
    try {
      for await (const c of chunks) await handle.write(c);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(partial, target);
  } catch (e) {
    await fs.rm(partial, { force: true }).catch(() => undefined);
    if (e instanceof Wasm2VecError) throw e;
    throw new Wasm2VecError('IO', `cannot write the Word2Vec checkpoint "${target}" after epoch ${epoch}: ${(e as Error).message}; ` +
      'the previous checkpoint (if any) is unchanged', { cause: e });
  }
}
