import { Wasm2VecError, describe } from '../../errors.js';
import { Vocabulary } from '../../text/vocabulary.js';
import { planParams } from './layout.js';
import { checkConfig, networkShape, type TextClassifierConfig } from './options.js';

/**
 * One-file TextClassifier format (Node and browsers read the same bytes):
 *
 *   8 bytes  magic "W2VLSTMC"
 *   u32 LE   format version (CLASSIFIER_FORMAT_VERSION)
 *   u32 LE   header length in bytes
 *   header   UTF-8 JSON { format, version, config, vocabulary: {words, counts} | null, tensors: [{name, shape}], epochsTrained }
 *   padding  zeros up to a multiple of 4
 *   weights  float32 little-endian, the tensors in header order (Keras get_weights() order)
 */
export const CLASSIFIER_FORMAT_VERSION = 1;
const MAGIC = 'W2VLSTMC';
const FORMAT_NAME = 'wasm2vec-text-classifier';

export interface ClassifierFile {
  config: TextClassifierConfig;
  vocabulary: Vocabulary | null;
  tensors: { name: string; shape: number[]; values: Float32Array }[];
  epochsTrained: number;
}

/**
 * Largest weight magnitude a model file may hold: training never comes near it, and beyond it float32
 * sums of products can overflow to Infinity (then Inf - Inf = NaN probabilities).
 */
const MAX_WEIGHT = 1e15;

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** The tensor names and shapes a config implies, in file order. */
export function expectedTensors(config: TextClassifierConfig): { name: string; shape: number[] }[] {
  const s = networkShape(config);
  return [{ name: 'embedding/embeddings', shape: [s.vocabSize, s.embeddingDim] }, ...planParams(s).tensors.map((t) => ({ name: t.name, shape: t.shape }))];
}

export function encodeClassifierFile(f: ClassifierFile): Uint8Array {
  const header = new TextEncoder().encode(
    JSON.stringify({
      format: FORMAT_NAME,
      version: CLASSIFIER_FORMAT_VERSION,
      config: f.config,
      vocabulary: f.vocabulary ? f.vocabulary.toJSON() : null,
      tensors: f.tensors.map((t) => ({ name: t.name, shape: t.shape })),
      epochsTrained: f.epochsTrained,
    }),
  );
  const headerEnd = 16 + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const floats = f.tensors.reduce((a, t) => a + t.values.length, 0);
  const out = new Uint8Array(dataStart + floats * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, CLASSIFIER_FORMAT_VERSION, true);
  dv.setUint32(12, header.length, true);
  out.set(header, 16);
  let at = dataStart;
  for (const t of f.tensors) {
    if (littleEndian) out.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), at);
    else for (let i = 0; i < t.values.length; i++) dv.setFloat32(at + 4 * i, t.values[i], true);
    at += t.values.byteLength;
  }
  return out;
}

function bad(message: string): never {
  throw new Wasm2VecError('BAD_FORMAT', `TextClassifier.load: ${message}`);
}

export function decodeClassifierFile(bytes: Uint8Array, name: string): ClassifierFile {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    const start = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 8)).replace(/[^\x20-\x7e]/g, '?');
    bad(`${name} is not a wasm2vec text classifier file (it should start with "${MAGIC}", it starts with ${JSON.stringify(start)})`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== CLASSIFIER_FORMAT_VERSION) {
    throw new Wasm2VecError(
      'UNSUPPORTED',
      `TextClassifier.load: ${name} is a text classifier file of format version ${version}, ` +
        `but this wasm2vec reads version ${CLASSIFIER_FORMAT_VERSION}; ${version > CLASSIFIER_FORMAT_VERSION ? 'upgrade wasm2vec' : 'retrain the model or save it again with the wasm2vec version that wrote it'}`,
    );
  }
  const headerLength = dv.getUint32(12, true);
  if (16 + headerLength > bytes.length)
    bad(`${name} is truncated: its header needs ${headerLength} bytes, the file has ${bytes.length - 16} after the preamble`);
  let header: Record<string, unknown> = {};
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(16, 16 + headerLength)));
  } catch (e) {
    bad(`${name} has a broken header (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || header.format !== FORMAT_NAME) bad(`${name} has no ${FORMAT_NAME} header`);
  const config = checkConfig((header.config ?? {}) as Record<string, unknown>, 'BAD_FORMAT');
  let vocabulary: Vocabulary | null = null;
  if (header.vocabulary !== null) {
    vocabulary = Vocabulary.fromJSON(header.vocabulary);
    if (vocabulary.size > config.vocabSize - 2)
      bad(`${name} has ${vocabulary.size} vocabulary words but vocabSize ${config.vocabSize} leaves room for ${config.vocabSize - 2}`);
  }
  const expected = expectedTensors(config);
  const listed = header.tensors;
  if (!Array.isArray(listed) || listed.length !== expected.length)
    bad(`${name} lists ${Array.isArray(listed) ? listed.length : describe(listed)} tensors, the config needs ${expected.length}`);
  expected.forEach((e, i) => {
    const t = listed[i];
    if (!t || t.name !== e.name || !Array.isArray(t.shape) || t.shape.join() !== e.shape.join()) {
      bad(`${name}: tensor ${i} is ${JSON.stringify(t)}, expected ${e.name} of shape [${e.shape.join(', ')}]`);
    }
  });
  const dataStart = Math.ceil((16 + headerLength) / 4) * 4;
  const floats = expected.reduce((a, e) => a + e.shape.reduce((x, y) => x * y, 1), 0);
  if (bytes.length !== dataStart + floats * 4) {
    bad(
      `${name} has ${bytes.length - dataStart} bytes of weights, the config needs ${floats * 4} (${bytes.length < dataStart + floats * 4 ? 'truncated' : 'trailing data'})`,
    );
  }
  let at = dataStart;
  const tensors = expected.map((e) => {
    const n = e.shape.reduce((x, y) => x * y, 1);
    const values = new Float32Array(n);
    if (littleEndian) new Uint8Array(values.buffer).set(bytes.subarray(at, at + 4 * n));
    else for (let i = 0; i < n; i++) values[i] = dv.getFloat32(at + 4 * i, true);
    for (let i = 0; i < n; i++) {
      if (!(Math.abs(values[i]) <= MAX_WEIGHT))
        bad(`${name}: weight ${i} of ${e.name} is ${values[i]} (weights must be finite and at most ${MAX_WEIGHT} in magnitude)`);
    }
    at += 4 * n;
    return { ...e, values };
  });
  const stored = header.epochsTrained;
  const epochsTrained = typeof stored === 'number' && Number.isInteger(stored) && stored >= 0 ? stored : 0;
  return { config, vocabulary, tensors, epochsTrained };
}
