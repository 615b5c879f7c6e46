import { describe, it, expect } from 'vitest';
import { sharedData } from '../../helpers/data.js';
import { MR, accuracy, folds } from './folds.js';

// Data suite: ChnSentiCorp has no licence, so it cannot ship (MR is in accuracy.test.ts).
describe('LinearClassifier accuracy on real data (train folds 1–9, test fold 0)', () => {
  it('ChnSentiCorp hotel reviews (library tokenizer segments the Chinese) with bigrams: >= 0.88', async () => {
    const data = folds(sharedData('zh-chnsenticorp-htl/chnsenticorp_htl.tsv'));
    const mean = await accuracy(data, { ...MR, seed: 1 });
    const tfidf = await accuracy(data, { ...MR, seed: 2, weighting: 'tfidf' });
    expect(mean).toBeGreaterThanOrEqual(0.88);
    expect(tfidf).toBeGreaterThanOrEqual(0.88);
  });
});
