import { MAX_DIM } from '../../vectors/formats/vector-table.js';
import { type ByteCursor, badField } from './byte-cursor.js';

/**
 * fastText's Args as its .bin stores them (args.cc, Args::save): twelve int32 and one float64, in this
 * order, right after the magic number and version. Training-only settings (lr, thread, label prefix,
 * qout, ...) are not in the file; a loaded model's label prefix is always fastText's default.
 */
export interface FastTextArgs {
  dim: number;
  ws: number;
  epoch: number;
  minCount: number;
  neg: number;
  wordNgrams: number;
  loss: FastTextLoss;
  model: FastTextModelKind;
  bucket: number;
  minn: number;
  maxn: number;
  lrUpdateRate: number;
  t: number;
}

export type FastTextModelKind = 'cbow' | 'skipgram' | 'supervised';
export type FastTextLoss = 'hs' | 'ns' | 'softmax' | 'ova';

/** args.h: enum class model_name { cbow = 1, sg, sup }, loss_name { hs = 1, ns, softmax, ova }. */
export const MODEL_KINDS: readonly FastTextModelKind[] = ['cbow', 'skipgram', 'supervised'];
export const LOSSES: readonly FastTextLoss[] = ['hs', 'ns', 'softmax', 'ova'];

export const FASTTEXT_MAGIC = 793712314;
/** The version fastText 0.9.x writes; 11 (2017) has the same layout and is read too. */
export const FASTTEXT_VERSION = 12;
export const ARGS_BYTES = 12 * 4 + 8;
/** The label prefix fastText uses for every loaded model (-label is not saved). */
export const LABEL_PREFIX = '__label__';
/** The end-of-line token fastText's tokenizer emits for '\n'. */
export const EOS = '</s>';

/**
 * Character n-gram lengths beyond this are refused as a corrupt header: far above any real model
 * (fastText's defaults are 3..6), and a bound on the n-grams a word can have.
 */
export const MAX_NGRAM_CHARS = 100;

/** Reads and validates Args at the cursor (56 bytes, already available). */
export function readArgs(cur: ByteCursor, version: number): FastTextArgs {
  const name = cur.name;
  const start = cur.offset;
  const int = (field: string, check?: (v: number) => string | null): number => {
    const at = cur.offset;
    const v = cur.int32();
    const problem = check?.(v);
    if (problem) throw badField(name, at, `args.${field}`, problem);
    return v;
  };
  const dim = int('dim', (v) => (v < 1 || v > MAX_DIM ? `${v} is not a vector dimension (1..${MAX_DIM})` : null));
  const ws = int('ws');
  const epoch = int('epoch');
  const minCount = int('minCount');
  const neg = int('neg');
  const wordNgrams = int('wordNgrams');
  const lossCode = int('loss', (v) => (v < 1 || v > LOSSES.length ? `${v} is not a fastText loss (1 hs, 2 ns, 3 softmax, 4 ova)` : null));
  const modelCode = int('model', (v) => (v < 1 || v > MODEL_KINDS.length ? `${v} is not a fastText model (1 cbow, 2 skipgram, 3 supervised)` : null));
  const bucket = int('bucket', (v) => (v < 0 ? `${v} is negative` : null));
  const minn = int('minn', (v) => (v < 0 || v > MAX_NGRAM_CHARS ? `${v} is outside 0..${MAX_NGRAM_CHARS}` : null));
  let maxn = int('maxn', (v) => (v < 0 || v > MAX_NGRAM_CHARS ? `${v} is outside 0..${MAX_NGRAM_CHARS}` : null));
  const lrUpdateRate = int('lrUpdateRate');
  const t = cur.float64();
  if (!Number.isFinite(t)) throw badField(name, cur.offset - 8, 'args.t', `${t} is not a finite sampling threshold`);
  const model = MODEL_KINDS[modelCode - 1];
  // fastText 0.9.2 loadModel: version-11 supervised models predate character n-grams in supervised mode.
  if (version === 11 && model === 'supervised') maxn = 0;
  if (bucket === 0 && maxn > 0) {
    throw badField(name, start + 32, 'args.bucket', `0 buckets but character n-grams up to ${maxn} characters (maxn) need hashed rows`);
  }
  if (bucket === 0 && model === 'supervised' && wordNgrams > 1) {
    throw badField(name, start + 32, 'args.bucket', `0 buckets but word n-grams up to ${wordNgrams} words (wordNgrams) need hashed rows`);
  }
  return { dim, ws, epoch, minCount, neg, wordNgrams, loss: LOSSES[lossCode - 1], model, bucket, minn, maxn, lrUpdateRate, t };
}

/** Args in fastText's byte layout. */
export function argsBytes(a: FastTextArgs): Uint8Array {
  const out = new Uint8Array(ARGS_BYTES);
  const v = new DataView(out.buffer);
  const ints = [
    a.dim,
    a.ws,
    a.epoch,
    a.minCount,
    a.neg,
    a.wordNgrams,
    LOSSES.indexOf(a.loss) + 1,
    MODEL_KINDS.indexOf(a.model) + 1,
    a.bucket,
    a.minn,
    a.maxn,
    a.lrUpdateRate,
  ];
  ints.forEach((x, i) => v.setInt32(i * 4, x, true));
  v.setFloat64(48, a.t, true);
  return out;
}
