import { Wasm2VecError, describe } from '../../errors.js';
import type { Label, LabelKind } from './labels.js';
import type { LinearLoss } from './kernel.js';
import { LABEL_COUNT_SENTINEL } from './label-tree.js';
import { resolveLinearOptions, type LinearTokenizerName, type LinearWeighting } from './options.js';

/**
 * The saved linear classifier: one self-contained byte string, the same in Node (a file) and the
 * browser (bytes). Layout: 8-byte magic "W2VLIN\0\0", u32 format version, u32 header length, the
 * header as UTF-8 JSON (options, tokenizer, words, labels), zero padding to 8 bytes, then the
 * binary sections the header lists, little-endian, each padded to 8 bytes.
 */
const MAGIC = [0x57, 0x32, 0x56, 0x4c, 0x49, 0x4e, 0, 0];
export const LINEAR_FORMAT_VERSION = 1;

export interface LinearModelHeader {
  format: 'wasm2vec-linear';
  version: number;
  dim: number;
  wordNgrams: number;
  buckets: number;
  loss: LinearLoss;
  negative: number;
  weighting: LinearWeighting;
  seed: number;
  learningRate: number;
  epochs: number;
  minCount: number;
  tokenizer: LinearTokenizerName | 'custom';
  words: string[];
  labels: { kind: LabelKind; multiLabel: boolean; values: Label[]; counts: number[] };
}

export interface LinearModelData {
  header: LinearModelHeader;
  /** (words + used buckets) × dim */
  input: Float32Array;
  /** labels (or labels - 1 for hs) × dim */
  output: Float32Array;
  usedBuckets: Int32Array;
  idf: Float32Array | null;
  unseenIdf: number;
}

type Section = { name: 'input' | 'output' | 'usedBuckets' | 'idf' | 'unseenIdf'; type: 'f32' | 'i32'; length: number };

const pad8 = (n: number) => Math.ceil(n / 8) * 8;

export function encodeLinearModel(m: LinearModelData): Uint8Array {
  const parts: { section: Section; data: Float32Array | Int32Array }[] = [
    { section: { name: 'input', type: 'f32', length: m.input.length }, data: m.input },
    { section: { name: 'output', type: 'f32', length: m.output.length }, data: m.output },
    { section: { name: 'usedBuckets', type: 'i32', length: m.usedBuckets.length }, data: m.usedBuckets },
    { section: { name: 'unseenIdf', type: 'f32', length: 1 }, data: new Float32Array([m.unseenIdf]) },
  ];
  if (m.idf) parts.push({ section: { name: 'idf', type: 'f32', length: m.idf.length }, data: m.idf });
  const json = new TextEncoder().encode(JSON.stringify({ ...m.header, sections: parts.map((p) => p.section) }));
  let total = 16 + pad8(json.length);
  for (const p of parts) total += pad8(p.data.byteLength);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(8, LINEAR_FORMAT_VERSION, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, 16);
  let at = 16 + pad8(json.length);
  for (const p of parts) {
    // Little-endian on every platform we run on (wasm itself is little-endian); copy the raw bytes.
    bytes.set(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength), at);
    at += pad8(p.data.byteLength);
  }
  return bytes;
}

/**
 * Largest weight magnitude a model file may hold. Training never comes near it; beyond it float32
 * sums of dim products can overflow to Infinity and Inf - Inf = NaN probabilities.
 */
export const MAX_WEIGHT = 1e15;

const SECTION_TYPES = new Map<string, Section['type']>([
  ['input', 'f32'],
  ['output', 'f32'],
  ['usedBuckets', 'i32'],
  ['unseenIdf', 'f32'],
  ['idf', 'f32'],
]);

/**
 * Everything load() builds a classifier from, checked before it is trusted: the options through the
 * same validation as the constructor (BAD_FORMAT instead of INVALID_OPTION), then words and labels.
 */
function checkHeader(h: LinearModelHeader, source: string): void {
  for (const k of ['dim', 'wordNgrams', 'buckets', 'epochs', 'learningRate', 'loss', 'negative', 'weighting', 'minCount', 'seed', 'tokenizer'] as const) {
    if (h[k] === undefined) bad(source, `header: no ${k}`);
  }
  try {
    resolveLinearOptions({
      dim: h.dim,
      wordNgrams: h.wordNgrams,
      buckets: h.buckets,
      epochs: h.epochs,
      learningRate: h.learningRate,
      loss: h.loss,
      negative: h.negative,
      weighting: h.weighting,
      minCount: h.minCount,
      seed: h.seed,
      tokenizer: h.tokenizer === 'custom' ? undefined : h.tokenizer,
    });
  } catch (e) {
    if (e instanceof Wasm2VecError && e.code === 'INVALID_OPTION') bad(source, `header: ${e.message.replace(/^option /, '')}`);
    throw e;
  }
  if (h.tokenizer !== 'custom' && h.tokenizer !== 'default' && h.tokenizer !== 'whitespace') bad(source, `header: tokenizer ${describe(h.tokenizer)}`);
  const words = new Set<string>();
  for (const w of h.words) {
    if (typeof w !== 'string' || w === '' || words.has(w)) bad(source, `header: word ${describe(w)} is not a non-empty string or is repeated`);
    words.add(w);
  }
  const { kind, multiLabel, values, counts } = h.labels;
  if (
    (kind !== 'string' && kind !== 'number') ||
    typeof multiLabel !== 'boolean' ||
    !Array.isArray(values) ||
    !Array.isArray(counts) ||
    counts.length !== values.length ||
    values.length < 2
  ) {
    bad(source, 'header: labels must be { kind: "string" | "number", multiLabel, values, counts } with at least two labels');
  }
  const seen = new Set<Label>();
  for (const v of values) {
    const ok = kind === 'string' ? typeof v === 'string' && v !== '' : typeof v === 'number' && Number.isSafeInteger(v);
    if (!ok || seen.has(v)) bad(source, `header: label ${describe(v)} is not a ${kind} label or is repeated`);
    seen.add(v);
  }
  // Training counts are integers far below 1e15, the sentinel of fastText's Huffman construction (a
  // count at or above it makes the label tree cyclic: building it would never end).
  for (const c of counts)
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= LABEL_COUNT_SENTINEL)
      bad(source, `header: label count ${describe(c)} (expected an integer in [0, 1e15))`);
}

function bad(source: string, what: string): never {
  throw new Wasm2VecError('BAD_FORMAT', `${source}: ${what}`);
}

export function decodeLinearModel(bytes: Uint8Array, source: string): LinearModelData {
  if (bytes.length < 16 || MAGIC.some((b, i) => bytes[i] !== b)) {
    bad(source, 'not a wasm2vec linear classifier file (bad magic bytes; fastText .bin models cannot be loaded)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== LINEAR_FORMAT_VERSION) {
    bad(source, `linear classifier file format version ${version}; this wasm2vec reads version ${LINEAR_FORMAT_VERSION}`);
  }
  const jsonLength = view.getUint32(12, true);
  if (16 + jsonLength > bytes.length) bad(source, `truncated header (needs ${jsonLength} bytes, file has ${bytes.length - 16})`);
  let header: LinearModelHeader & { sections: Section[] };
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + jsonLength)));
  } catch (e) {
    bad(source, `unreadable header: ${(e as Error).message}`);
  }
  if (
    typeof header !== 'object' ||
    header === null ||
    header.format !== 'wasm2vec-linear' ||
    !Array.isArray(header.sections) ||
    !Array.isArray(header.words) ||
    typeof header.labels !== 'object' ||
    header.labels === null
  ) {
    bad(source, 'header is not a wasm2vec linear classifier header');
  }
  checkHeader(header, source);
  let at = 16 + pad8(jsonLength);
  const got = new Map<string, Float32Array | Int32Array>();
  for (const s of header.sections) {
    if (typeof s !== 'object' || s === null || !SECTION_TYPES.has(s.name) || SECTION_TYPES.get(s.name) !== s.type || got.has(s.name)) {
      bad(source, `header lists an unknown, mistyped or repeated section ${JSON.stringify(s)}`);
    }
    const byteLength = s.length * 4;
    if (!Number.isInteger(s.length) || s.length < 0 || at + byteLength > bytes.length) {
      bad(source, `truncated: section ${s.name} needs ${byteLength} bytes at offset ${at}, file has ${bytes.length}`);
    }
    const copy = bytes.slice(at, at + byteLength);
    const values = s.type === 'i32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    if (s.type === 'f32') {
      for (let i = 0; i < values.length; i++) {
        if (!(Math.abs(values[i]) <= MAX_WEIGHT))
          bad(source, `section ${s.name}: value ${i} is ${values[i]} (weights must be finite and at most ${MAX_WEIGHT} in magnitude)`);
      }
    }
    got.set(s.name, values);
    at += pad8(byteLength);
  }
  const input = got.get('input') as Float32Array | undefined;
  const output = got.get('output') as Float32Array | undefined;
  const usedBuckets = got.get('usedBuckets') as Int32Array | undefined;
  const unseen = got.get('unseenIdf') as Float32Array | undefined;
  if (!input || !output || !usedBuckets || !unseen) bad(source, 'missing weight sections');
  const rows = header.words.length + usedBuckets.length;
  const labels = header.labels.values.length;
  const outRows = header.loss === 'hs' ? labels - 1 : labels;
  if (input.length !== rows * header.dim) bad(source, `input weights hold ${input.length} floats, expected ${rows} rows × dim ${header.dim}`);
  if (output.length !== outRows * header.dim) bad(source, `output weights hold ${output.length} floats, expected ${outRows} rows × dim ${header.dim}`);
  // Bucket rows follow the words in first-use order: each a distinct bucket of the hashing space.
  const buckets = new Set<number>();
  for (const b of usedBuckets) {
    if (b < 0 || b >= header.buckets || buckets.has(b)) bad(source, `n-gram bucket ${b} is outside [0, ${header.buckets}) or repeated`);
    buckets.add(b);
  }
  if (header.wordNgrams === 1 && usedBuckets.length > 0) bad(source, `${usedBuckets.length} n-gram bucket rows in a model without word n-grams`);
  const idf = (got.get('idf') as Float32Array | undefined) ?? null;
  if (header.weighting === 'tfidf' && (!idf || idf.length !== rows)) bad(source, 'tf-idf model without a matching idf section');
  // Rows are averaged with weight idf / Σ idf: a weight <= 0 could make the sum 0 (NaN probabilities).
  if (header.weighting === 'tfidf' && (!(unseen[0] > 0) || idf!.some((w) => !(w > 0)))) bad(source, 'idf weights must be positive');
  const { sections: _s, ...plain } = header;
  return { header: plain, input, output, usedBuckets, idf, unseenIdf: unseen[0] };
}
