import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { TextClassifier } from '../../../src/index.js';
import { parseLabelledTsv, splitByFold } from '../../../src/classify/labelled-tsv.js';

// CI-sized accuracy checks on the real datasets' fixed fold 0 (accuracy.test.ts: MR, shipped;
// accuracy.data.test.ts: ChnSentiCorp, data suite). The full reference model (two LSTM(128) layers,
// 10 epochs, 3 seeds) runs in scripts/classifier-quality.ts; here one LSTM(32) layer, embedding 32,
// 2 epochs: a few seconds each.

const small = { vocabSize: 8000, embeddingDim: 32, lstm: [{ units: 32 }], classes: 2, seed: 1, threads: 2 };

/** Validation accuracy after each of 2 epochs on fold 0 of a `label<TAB>fold<TAB>text` file. */
export async function foldZeroAccuracy(path: string, sequenceLength: number): Promise<number[]> {
  const rows = parseLabelledTsv(readFileSync(path, 'utf8'), path);
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
