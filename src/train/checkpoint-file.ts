import { Wasm2VecError, describe } from '../errors.js';
import { importNode, isNode } from '../runtime/capabilities.js';

/**
 * The container every trainer's checkpoint uses: a magic naming the trainer, a version, a JSON header
 * and named binary sections, with a checksum over everything.
 *
 *   offset  size   field (little-endian)
 *   0       8      magic (per trainer, PNG-style: 0x89, 3 ASCII letters, \r \n 0x1a \n)
 *   8       4      version
 *   12      4      header length in bytes
 *   16      …      header, UTF-8 JSON object; it lists the sections as "sections": [{ name, bytes }];
 *                  zero padding to a multiple of 8
 *   …       …      the sections in header order, each zero-padded to a multiple of 8
 *   end-4   4      checksum: FNV-1a (32-bit) over all preceding bytes taken as u32 words
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Bytes per piece when a section is copied out of a model's memory. */
const COPY_CHUNK = 1 << 24;

const pad8 = (n: number) => (8 - (n % 8)) % 8;
export const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

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

/** A section to write: bytes in hand, or a reader that copies them from a model's memory piecewise. */
export type OutSection = { name: string; data: Uint8Array } | { name: string; bytes: number; read: (offset: number, bytes: number) => Promise<Uint8Array> };

export interface FileKind {
  /** 8 bytes. */
  magic: readonly number[];
  version: number;
  /** For messages: "Word2Vec checkpoint". */
  what: string;
}

/** The file as chunks: matrices are copied 16 MiB at a time, so writing never holds a second model. */
export async function* encodeCheckpointFile(kind: FileKind, header: Record<string, unknown>, sections: OutSection[]): AsyncGenerator<Uint8Array> {
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', `${kind.what}s are little-endian; this host is big-endian`);
  const listed = sections.map((s) => ({ name: s.name, bytes: 'data' in s ? s.data.length : s.bytes }));
  const json = new TextEncoder().encode(JSON.stringify({ ...header, sections: listed }));
  const hash = new WordHash();
  const emit = (b: Uint8Array) => {
    hash.update(b);
    return b;
  };
  const start = new Uint8Array(16 + json.length + pad8(16 + json.length));
  start.set(kind.magic);
  new DataView(start.buffer).setUint32(8, kind.version, true);
  new DataView(start.buffer).setUint32(12, json.length, true);
  start.set(json, 16);
  yield emit(start);
  for (const s of sections) {
    if ('data' in s) {
      const padded = new Uint8Array(s.data.length + pad8(s.data.length));
      padded.set(s.data);
      yield emit(padded);
      continue;
    }
    for (let at = 0; at < s.bytes; at += COPY_CHUNK) {
      const piece = await s.read(at, Math.min(COPY_CHUNK, s.bytes - at));
      if (at + COPY_CHUNK < s.bytes || !pad8(s.bytes)) {
        yield emit(piece);
        continue;
      }
      // The last piece goes out with its padding: the checksum takes whole u32 words, and a piece of
      // 4k + 1..3 bytes alone would leave its tail out of the sum (the reader sums the padded section).
      const padded = new Uint8Array(piece.length + pad8(s.bytes));
      padded.set(piece);
      yield emit(padded);
    }
  }
  const sum = new Uint8Array(4);
  new DataView(sum.buffer).setUint32(0, hash.value, true);
  yield sum;
}

export interface DecodedFile {
  header: Record<string, unknown>;
  /** Views into the file's bytes (no copies). */
  sections: Map<string, Uint8Array>;
}

export function badCheckpoint(kind: FileKind, source: string, problem: string): never {
  throw new Wasm2VecError('BAD_FORMAT', `${kind.what} ${source}: ${problem}`);
}

/**
 * Checks magic, version, header and checksum, and locates the sections (names from `known`, each
 * at most once, sizes checked against the file before anything is read).
 */
export function decodeCheckpointFile(kind: FileKind, bytes: Uint8Array, source: string, known: readonly string[]): DecodedFile {
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', `${kind.what}s are little-endian; this host is big-endian`);
  const bad: (problem: string) => never = (problem) => badCheckpoint(kind, source, problem);
  if (bytes.length < 20 || kind.magic.some((b, i) => bytes[i] !== b)) bad(`not a ${kind.what} file (bad magic bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== kind.version) {
    throw new Wasm2VecError('UNSUPPORTED', `${kind.what} ${source}: format version ${version}; this wasm2vec reads version ${kind.version}`);
  }
  const headerLength = view.getUint32(12, true);
  if (16 + headerLength > bytes.length - 4) bad(`truncated: the header needs ${headerLength} bytes, the file has ${bytes.length - 20}`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength)));
  } catch (e) {
    bad(`unreadable header (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) bad(`the header is ${describe(header)}, expected an object`);
  const list = (header as { sections?: unknown }).sections;
  if (!Array.isArray(list)) bad('no section list');
  const sections = new Map<string, Uint8Array>();
  let at = 16 + headerLength + pad8(16 + headerLength);
  for (const s of list as unknown[]) {
    const { name, bytes: n } = (s ?? {}) as { name?: unknown; bytes?: unknown };
    if (typeof name !== 'string' || !known.includes(name) || sections.has(name) || typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
      bad(`section ${JSON.stringify(s)} is unknown, repeated or has no size`);
    }
    if (at + n + pad8(n) > bytes.length - 4) bad(`truncated: section ${name} needs ${n} bytes at byte ${at}, the file has ${bytes.length}`);
    sections.set(name, bytes.subarray(at, at + n));
    for (let i = at + n; i < at + n + pad8(n); i++) if (bytes[i] !== 0) bad(`nonzero padding at byte ${i}`);
    at += n + pad8(n);
  }
  if (at !== bytes.length - 4) bad(`${bytes.length - 4 - at} bytes between the last section and the checksum`);
  const hash = new WordHash();
  hash.update(bytes.subarray(0, at));
  const stored = view.getUint32(at, true);
  if (stored !== hash.value) bad(`checksum mismatch (stored ${stored.toString(16)}, computed ${hash.value.toString(16)}): the file is corrupt`);
  return { header: header as Record<string, unknown>, sections };
}

/** A float32 view of a section (copied only when the file's bytes are misaligned), checked finite. */
export function finiteFloats(kind: FileKind, source: string, name: string, b: Uint8Array): Float32Array {
  if (b.length % 4 !== 0) badCheckpoint(kind, source, `section ${name} holds ${b.length} bytes, not whole float32 values`);
  const floats = (b.byteOffset & 3) === 0 ? new Float32Array(b.buffer, b.byteOffset, b.length / 4) : new Float32Array(new Uint8Array(b).buffer);
  for (let i = 0; i < floats.length; i++) {
    if (!Number.isFinite(floats[i])) badCheckpoint(kind, source, `${name}: value ${i} is ${floats[i]}`);
  }
  return floats;
}

/** The bytes of `resumeFrom`: a checkpoint's bytes, or its path (Node). */
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
  throw new Wasm2VecError(
    'INVALID_OPTION',
    `option resumeFrom: got ${describe(source)}, expected a checkpoint's bytes (Uint8Array or ArrayBuffer) or a file path`,
  );
}

/** What a `checkpoint` callback receives. */
export interface Checkpoint {
  /** Epochs completed (the 1-based number of the epoch just finished). */
  epoch: number;
  /** The checkpoint file; pass it (or its path once written) as `resumeFrom`. */
  bytes: Uint8Array;
}

/** Where checkpoints go: a callback, or a path (Node) that is replaced atomically each time. */
export type CheckpointTarget = string | ((checkpoint: Checkpoint) => void | Promise<void>);

/** Validates the `checkpoint` option (undefined passes). */
export function checkpointTargetOption(value: unknown): CheckpointTarget | undefined {
  if (value === undefined || typeof value === 'function') return value as CheckpointTarget | undefined;
  if (typeof value !== 'string' || value === '') {
    throw new Wasm2VecError('INVALID_OPTION', `option checkpoint: got ${describe(value)}, expected a function receiving { epoch, bytes } or a file path`);
  }
  if (!isNode) throw new Wasm2VecError('UNSUPPORTED', 'option checkpoint: a file path needs Node.js; in a browser pass a function that stores the bytes');
  return value;
}

/** Validates the `resumeFrom` option's type (undefined passes); the bytes are read later. */
export function resumeOption(value: unknown): Uint8Array | ArrayBuffer | string | undefined {
  if (value === undefined || value instanceof Uint8Array || value instanceof ArrayBuffer || (typeof value === 'string' && value !== '')) {
    return value as Uint8Array | ArrayBuffer | string | undefined;
  }
  throw new Wasm2VecError(
    'INVALID_OPTION',
    `option resumeFrom: got ${describe(value)}, expected a checkpoint's bytes (Uint8Array or ArrayBuffer) or a file path`,
  );
}

/**
 * Hands a checkpoint to its target. A path is written to "<path>.partial" and then renamed over the
 * previous checkpoint, so a crash or a full disk never leaves a half-written file in its place.
 */
export async function storeCheckpoint(kind: FileKind, target: CheckpointTarget, epoch: number, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  if (typeof target === 'function') {
    const parts: Uint8Array[] = [];
    let n = 0;
    for await (const c of chunks) {
      parts.push(c);
      n += c.length;
    }
    const bytes = new Uint8Array(n);
    let o = 0;
    for (const p of parts) {
      bytes.set(p, o);
      o += p.length;
    }
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
    throw new Wasm2VecError(
      'IO',
      `cannot write the ${kind.what} "${target}" after epoch ${epoch}: ${(e as Error).message}; ` + 'the previous checkpoint (if any) is unchanged',
      { cause: e },
    );
  }
}
