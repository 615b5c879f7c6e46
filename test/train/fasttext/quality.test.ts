import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trainFastText } from '../../../src/train/fasttext/trainer.js';
import { text8Slice } from '../../helpers/data.js';
import { fastTextQuality, MISSPELLINGS } from './quality-eval.js';
import { QUALITY } from './quality-settings.js';

// Debian fastText 0.9.2 on the same slice with the same settings, seeds 1-3 (scripts/fasttext-reference.sh).
const reference = JSON.parse(readFileSync(join(import.meta.dirname, 'reference.json'), 'utf8')) as {
  sliceBytes: number;
  runs: { seed: number; syntactic: number; semantic: number; oovTop10: number; covered: number }[];
};
const mean = (k: 'syntactic' | 'semantic' | 'oovTop10') => reference.runs.reduce((s, r) => s + r[k], 0) / reference.runs.length;

/**
 * Margins from measurements (5 MB slice, 1 thread), fastText seeds 1-3 vs wasm2vec batched seeds 1-3:
 *   syntactic  fastText 0.391 0.390 0.407 (mean 0.396)   wasm2vec 0.444 0.469 0.457   classic (seed 2) 0.474
 *   semantic   fastText 0.179 0.142 0.179 (mean 0.167)   wasm2vec 0.153 0.168 0.134   classic (seed 2) 0.168
 *   OOV top-10 fastText 0.70 0.75 0.70 (mean 0.717)      wasm2vec 0.80 0.80 0.75      classic (seed 2) 0.75
 * The issue asks for the syntactic sections within 1 point of fastText; the semantic sections (268
 * questions covered on this slice) move ±0.02 with the seed on both sides, so they get the seeds' spread
 * (0.04); the 20 misspellings move by one (0.05). One shared set of negatives per window scored
 * semantic 0.052 here and fails.
 */
describe('FastText quality on the shipped text8 slice, against Debian fastText 0.9.2', () => {
  it('batched skip-gram: analogies and misspelt OOV words as good as fastText', { timeout: 120_000 }, async () => {
    expect(reference.sliceBytes).toBe(QUALITY.sliceBytes);
    const { sliceBytes, ...settings } = QUALITY;
    const r = await trainFastText(text8Slice(sliceBytes), { ...settings, threads: 1, seed: 1 });
    const q = await fastTextQuality(r.model);
    expect(q.oovInVocabulary).toEqual([]);
    expect(q.covered).toBe(reference.runs[0].covered);
    expect(q.syntactic).toBeGreaterThanOrEqual(mean('syntactic') - 0.01);
    expect(q.semantic).toBeGreaterThanOrEqual(mean('semantic') - 0.04);
    expect(q.oovTop10).toBeGreaterThanOrEqual(mean('oovTop10') - 0.05);
    expect(MISSPELLINGS.length).toBe(20);
  });
});
