import type { Word2VecOptions } from '../../../src/index.js';

/** The CI-sized quality runs (quality.test.ts: analogies; quality.data.test.ts: WordSim-353): the first 15 MB, 2 epochs, 2 threads. */
export const SLICE_BYTES = 15_000_000;
export const settings = {
  skipgram: { model: 'skipgram', mode: 'batched', epochs: 2, seed: 1, threads: 2 },
  cbow: { model: 'cbow', epochs: 2, seed: 1, threads: 2 },
} satisfies Record<string, Word2VecOptions>;
