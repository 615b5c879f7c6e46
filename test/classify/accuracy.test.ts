import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { TextClassifier } from '../../src/index.js';
import { parseLabelledTsv, splitByFold } from '../../src/classify/labelled-tsv.js';
import { sharedFile } from '../helpers/data.js';

// CI-sized accuracy checks on the real datasets' fixed fold 0. The full reference model (two LSTM(128)
// layers, 10 epochs, 3 seeds) runs in scripts/classifier-quality.ts; here one LSTM(32) layer,
// embedding 32, 2 epochs: a few seconds each. Thresholds: this small model measured 76.9–77.3 % on MR
// (seeds 1–4; chance 50 %) and 85.1–86.5 % on ChnSentiCorp (seeds 1–3; majority class 68.5 %), so
// 74 % / 82 % leave ~3 points of seed noise while a broken gradient or input path (which stays
// near chance or the majority class) cannot pass.

const small = { vocabSize: 8000, embeddingDim: 32, lstm: [{ units: 32 }], classes: 2, seed: 1, threads: 2 };

async function foldZeroAccuracy(path: string, sequenceLength: number): Promise<number[]> {
  const rows = parseLabelledTsv(readFileSync(sharedFile(path), 'utf8'), path);
  const { train, test } = splitByFold(rows, 0);
  const clf = new TextClassifier({ ...small, sequenceLength });
  try {
    const { history } = await clf.fit(train.texts, train.labels, { epochs: 2, batchSize: 32, validationData: [test.texts, test.labels] });
    expect(history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(history[1].loss).toBeLessThan(history[0].loss);
    // evaluate() on the same fold agrees with the last epoch's validation numbers.
    const ev = await clf.evaluate(test.texts, test.labels);
    expect(ev.accuracy).toBe(history[1].valAccuracy);
    expect(ev.loss).toBeCloseTo(history[1].valLoss!, 12);
    return history.map((h) => h.valAccuracy!);
  } finally {
    clf.dispose();
  }
}

describe('TextClassifier accuracy on fold 0', () => {
  it('MR (English movie snippets): >= 74 % after 2 epochs of a small model', async () => {
    const acc = await foldZeroAccuracy('en-mr-polarity/mr.tsv', 40);
    expect(Math.max(...acc)).toBeGreaterThanOrEqual(0.74);
  });

  it('ChnSentiCorp (Chinese hotel reviews, Intl.Segmenter words): >= 82 % after 2 epochs', async () => {
    const acc = await foldZeroAccuracy('zh-chnsenticorp-htl/chnsenticorp_htl.tsv', 64);
    expect(Math.max(...acc)).toBeGreaterThanOrEqual(0.82);
  });
});
