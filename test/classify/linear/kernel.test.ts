import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildTrainingData } from '../../../src/classify/linear/training-data.js';
import { normalizeLabels, type LabelInput } from '../../../src/classify/linear/labels.js';
import { resolveLinearOptions, type LinearClassifierOptions } from '../../../src/classify/linear/options.js';
import { LinearKernel } from '../../../src/classify/linear/kernel.js';
import { LinearBaseline } from '../../../bench/baseline/linear.js';
import { repoData } from '../../helpers/data.js';

// 400 MR snippets (both polarities) with 4 classes, so ns draws, the hs tree and ova all matter.
const rows = readFileSync(repoData('en-mr-polarity/mr.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'));
const slice = [...rows.slice(0, 200), ...rows.slice(-200)];
const texts = slice.map((r) => r[2]);
const fourClasses = slice.map((r, i) => `c${Number(r[0]) * 2 + (i % 2)}`);
const multi = slice.map((r, i) => (i % 3 === 0 ? [`c${r[0]}`, `x${i % 2}`] : [`c${r[0]}`]));

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0,
    scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}

async function compare(options: LinearClassifierOptions, labels: LabelInput[]) {
  const o = resolveLinearOptions({ dim: 21, wordNgrams: 2, buckets: 5003, learningRate: 0.3, seed: 9, ...options });
  const data = buildTrainingData(texts, normalizeLabels('fit', labels, texts.length), o, o.tokenizer);
  const rt = await LinearKernel.create(data.spec, 1, data.train);
  try {
    const base = new LinearBaseline(data.spec, data.train);
    const init = await rt.readWeights();
    // Initialisation and idf are integer-seeded / computed once: bit-identical.
    expect(Buffer.from(init.input.buffer).equals(Buffer.from(base.input.buffer))).toBe(true);
    if (o.weighting === 'tfidf') expect(maxRelDiff(init.idf!, base.idf!)).toBeLessThan(1e-6);
    for (let epoch = 0; epoch < 2; epoch++) {
      const k = await rt.trainEpoch(epoch, 2);
      const b = base.trainEpoch(epoch, 2);
      expect(k.examples).toBe(b.examples);
      expect(k.loss).toBeCloseTo(b.loss, 1);
    }
    const w = await rt.readWeights();
    // Same order, same draws: only float rounding separates them. The logistic losses read fastText's
    // 512-bin sigmoid table, where a last-bit difference in a dot product can land in the next bin.
    const tolerance = o.loss === 'softmax' ? 1e-4 : 1e-3;
    expect(maxRelDiff(w.input, base.input)).toBeLessThan(tolerance);
    expect(maxRelDiff(w.output, base.output)).toBeLessThan(tolerance);
    expect(maxRelDiff(w.output, new Float32Array(w.output.length))).toBeGreaterThan(0.5); // trained at all
    const probs = new Float32Array(texts.length * data.spec.labelCounts.length);
    await rt.forward(data.train, false, (from, _to, p) => probs.set(p, from * data.spec.labelCounts.length));
    const expected = base.forward(data.train);
    let worst = 0;
    for (let i = 0; i < probs.length; i++) worst = Math.max(worst, Math.abs(probs[i] - expected[i]));
    expect(worst).toBeLessThan(tolerance);
  } finally {
    rt.dispose();
  }
}

describe('linear kernels match the TypeScript reference (1 thread, 2 epochs)', () => {
  it('softmax, mean', () => compare({ loss: 'softmax' }, fourClasses));
  it('softmax, tf-idf, trigrams', () => compare({ loss: 'softmax', weighting: 'tfidf', wordNgrams: 3 }, fourClasses));
  it('negative sampling', () => compare({ loss: 'ns', negative: 3 }, fourClasses));
  it('hierarchical softmax', () => compare({ loss: 'hs' }, fourClasses));
  it('one-vs-all, multi-label, tf-idf', () => compare({ loss: 'ova', weighting: 'tfidf' }, multi));
  it('softmax on multi-label data (one label drawn per example)', () => compare({ loss: 'softmax' }, multi));
});
