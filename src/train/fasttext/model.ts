import type { FastTextArgs } from './args.js';
import type { FastTextDictionary } from './dictionary.js';
import type { DenseMatrix } from './dense-matrix.js';
import type { HalfMatrix } from './half-matrix.js';
import type { QuantMatrix } from './quant-matrix.js';

/** Dense float32, dense float16 (loaded with dtype 'float16'), or product-quantized (.ftz). */
export type FastTextMatrix = DenseMatrix | HalfMatrix | QuantMatrix;

/**
 * A fastText model as its .bin/.ftz holds it. The input matrix has a row per word (ids 0..nwords-1)
 * and per hash bucket (nwords + bucket, or the pruned rows of a .ftz); the output matrix has a row per
 * label (supervised) or per word (skipgram/cbow: negative sampling or hierarchical softmax weights).
 */
export interface FastTextModel {
  /** How messages name the source (file path, 'buffer', 'Blob', ...). */
  readonly name: string;
  /**
   * The file's format version (11 or 12). The writer always writes 12; a version-11 supervised model's
   * maxn is already 0 in `args` (as fastText 0.9.2 loads it), so its rewrite differs from the original
   * in that field and the version, not in meaning.
   */
  readonly version: number;
  readonly args: FastTextArgs;
  readonly dictionary: FastTextDictionary;
  readonly input: FastTextMatrix;
  /** null when the load skipped it ({ output: false }). */
  readonly output: FastTextMatrix | null;
  /** The qout flag as stored (fastText reads a quantized output only when the input is quantized too). */
  readonly qout: boolean;
  /** Things the load noticed that did not stop it. */
  readonly warnings: string[];
}
