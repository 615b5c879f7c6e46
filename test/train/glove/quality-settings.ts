import type { GloVeOptions } from '../../../src/index.js';

/**
 * CI-sized version of issue 4's quality run (quality.test.ts: analogies and neighbours;
 * quality.data.test.ts: WordSim-353): GloVe C's text8 demo settings (dim 50, window 15, xMax 10,
 * minCount 5, eta 0.05) on the first 12 MB (2.3 M tokens) of the 18M-token corpus, 10 epochs instead of 15.
 */
export const SLICE_BYTES = 12e6;
export const settings = { dim: 50, window: 15, xMax: 10, epochs: 10, minCount: 5, seed: 1, threads: 2 } satisfies GloVeOptions;
