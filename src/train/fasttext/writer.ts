import { Wasm2VecError } from '../../errors.js';
import { type SaveTarget, concatChunks, writeChunks } from '../../vectors/save-vectors.js';
import { denseChunks } from './dense-matrix.js';
import { halfChunks } from './half-matrix.js';
import { FASTTEXT_MAGIC, FASTTEXT_VERSION, LOSSES, MAX_NGRAM_CHARS, MODEL_KINDS, argsBytes } from './args.js';
import { MAX_ROWS, dictionaryChunks } from './dictionary.js';
import type { FastTextModel } from './model.js';
import { quantChunks } from './quant-matrix.js';

/** What the writer needs: a model read from a file, or one a trainer builds. */
export type FastTextModelData = Pick<FastTextModel, 'args' | 'dictionary' | 'input' | 'output'>;

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The model in fastText 0.9.2's layout (FastText::saveModel): magic, version 12, args, dictionary, the
 * quant flag and input matrix, the qout flag and output matrix. A dense model is a .bin that
 * `fasttext` loads; a quantized one is a .ftz. Float data is yielded as views of the matrices (no
 * copy); the consistency fastText assumes (shapes against the dictionary and args) is checked first.
 */
export function* fastTextChunks(model: FastTextModelData): Generator<Uint8Array> {
  checkModel(model);
  if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', 'fastText models are little-endian; this host is big-endian');
  const head = new Uint8Array(8);
  const v = new DataView(head.buffer);
  v.setInt32(0, FASTTEXT_MAGIC, true);
  v.setInt32(4, FASTTEXT_VERSION, true);
  yield head;
  yield argsBytes(model.args);
  yield* dictionaryChunks(model.dictionary);
  const input = model.input;
  yield Uint8Array.of(input.kind === 'quantized' ? 1 : 0);
  if (input.kind === 'quantized') yield* quantChunks(input);
  else if (input.kind === 'half') yield* halfChunks(input);
  else yield* denseChunks(input);
  const output = model.output!;
  // fastText reads a quantized output only after a quantized input (and then by this flag).
  yield Uint8Array.of(output.kind === 'quantized' ? 1 : 0);
  if (output.kind === 'quantized') yield* quantChunks(output);
  else if (output.kind === 'half') yield* halfChunks(output);
  else yield* denseChunks(output);
}

/** The whole file as one array (small models, tests, posting to a worker). */
export function fastTextBytes(model: FastTextModelData): Uint8Array {
  return concatChunks(fastTextChunks(model));
}

/**
 * Writes the model to a path (Node: a temporary name, then renamed, so a failed save leaves no half
 * file), a WritableStream, or returns a Blob when the target is the Blob constructor.
 */
export async function saveFastText(model: FastTextModelData, target: SaveTarget): Promise<Blob | undefined> {
  checkModel(model);
  return writeChunks(target, fastTextChunks(model));
}

function checkModel(m: FastTextModelData): void {
  const bad = (problem: string): never => {
    throw new Wasm2VecError('INVALID_OPTION', `fastText model: ${problem}`);
  };
  const a = m.args;
  const int32 = (name: string, x: number) => {
    if (!Number.isInteger(x) || x < -0x80000000 || x > 0x7fffffff) bad(`args.${name} ${x} is not an int32`);
  };
  for (const k of ['dim', 'ws', 'epoch', 'minCount', 'neg', 'wordNgrams', 'bucket', 'minn', 'maxn', 'lrUpdateRate'] as const) int32(k, a[k]);
  if (!MODEL_KINDS.includes(a.model)) bad(`args.model ${JSON.stringify(a.model)} is not one of ${MODEL_KINDS.join(', ')}`);
  if (!LOSSES.includes(a.loss)) bad(`args.loss ${JSON.stringify(a.loss)} is not one of ${LOSSES.join(', ')}`);
  if (!Number.isFinite(a.t)) bad(`args.t ${a.t} is not finite`);
  if (a.dim < 1) bad(`args.dim ${a.dim} must be at least 1`);
  if (a.bucket < 0 || a.minn < 0 || a.maxn < 0 || a.maxn > MAX_NGRAM_CHARS) bad(`args bucket ${a.bucket}, minn ${a.minn}, maxn ${a.maxn} out of range`);
  const d = m.dictionary;
  if (d.nwords + a.bucket > MAX_ROWS) bad(`${d.nwords} words + ${a.bucket} buckets exceed fastText's int32 row ids`);
  const inputRows = d.nwords + (d.pruned ? d.pruneidxSize : a.bucket);
  if (m.input.rows !== inputRows || m.input.dim !== a.dim) {
    bad(`the input matrix is ${m.input.rows} × ${m.input.dim}, expected ${inputRows} (words + ${d.pruned ? 'kept' : ''} buckets) × args.dim ${a.dim}`);
  }
  if (d.pruned && m.input.kind !== 'quantized') bad('a pruned dictionary needs a quantized input matrix (fastText refuses the file otherwise)');
  if (!m.output) bad('the output matrix is missing (loaded with { output: false }?); fastText needs it to load the file');
  const outputRows = a.model === 'supervised' ? d.nlabels : d.nwords;
  if (m.output!.rows !== outputRows || m.output!.dim !== a.dim) {
    bad(`the output matrix is ${m.output!.rows} × ${m.output!.dim}, expected ${outputRows} (${a.model === 'supervised' ? 'labels' : 'words'}) × ${a.dim}`);
  }
  if (m.output!.kind === 'quantized' && m.input.kind !== 'quantized')
    bad('a quantized output matrix needs a quantized input matrix (fastText reads it as dense otherwise)');
  if (m.input.kind !== 'quantized' && m.input.data.length !== inputRows * a.dim)
    bad(`the input matrix holds ${m.input.data.length} floats, expected ${inputRows * a.dim}`);
  if (m.output!.kind !== 'quantized' && m.output!.data.length !== outputRows * a.dim)
    bad(`the output matrix holds ${m.output!.data.length} floats, expected ${outputRows * a.dim}`);
}
