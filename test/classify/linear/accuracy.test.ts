import { describe, it, expect } from 'vitest';
import { repoData } from '../../helpers/data.js';
import { MR, accuracy, folds } from './folds.js';

// ChnSentiCorp (not redistributable) is in accuracy.data.test.ts.
describe('LinearClassifier accuracy on real data (train folds 1–9, test fold 0)', () => {
  // mr.tsv lists all positives, then all negatives: fastText on this order is at chance; the per-epoch shuffle is what makes it work.
  it('MR (label-sorted file order) with word bigrams: >= 0.77 averaged over 3 seeds', async () => {
    const data = folds(repoData('en-mr-polarity/mr.tsv'));
    const accs = [];
    for (const seed of [1, 2, 3]) accs.push(await accuracy(data, { ...MR, seed }));
    const mean = accs.reduce((a, b) => a + b) / accs.length;
    expect(mean, `accuracies ${accs.map((a) => a.toFixed(4)).join(', ')}`).toBeGreaterThanOrEqual(0.77);
    for (const a of accs) expect(a).toBeGreaterThan(0.755);
  });

  it('MR with 2 Hogwild threads, and with tf-idf weighting, stays in the same range', async () => {
    const data = folds(repoData('en-mr-polarity/mr.tsv'));
    expect(await accuracy(data, { ...MR, seed: 1, threads: 2 })).toBeGreaterThan(0.76);
    expect(await accuracy(data, { ...MR, seed: 1, weighting: 'tfidf' })).toBeGreaterThan(0.76);
  });

  it('MR with hierarchical softmax and negative sampling learns too', async () => {
    const data = folds(repoData('en-mr-polarity/mr.tsv'));
    expect(await accuracy(data, { ...MR, seed: 1, loss: 'hs' })).toBeGreaterThan(0.75);
    expect(await accuracy(data, { ...MR, seed: 1, loss: 'ns' })).toBeGreaterThan(0.75);
  });
});
