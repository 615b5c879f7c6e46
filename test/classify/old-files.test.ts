import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextClassifier, LinearClassifier } from '../../src/index.js';
import { fnv1a } from '../helpers/hash.js';
import { rejection } from '../helpers/errors.js';

// Files written before vocabularies broke ties by UTF-16 order and shuffles were canonical (commit
// 297ecd4; test/fixtures/classifiers/README.md says how): models load as they were, and checkpoints
// resume the fit they were taken from, with its rules, to the bit the old code reached uninterrupted.
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/classifiers/${name}`, import.meta.url));
const expected = JSON.parse(readFileSync(fixture('expected-297ecd4.json'), 'utf8'));
const mrPath = fileURLToPath(new URL('../../data/en-mr-polarity/mr.tsv', import.meta.url));
const rows = readFileSync(mrPath, 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'));
const lstmRows = [...rows.slice(0, 60), ...rows.slice(-60)];
const linearRows = [...rows.slice(0, 20), ...rows.slice(-20)];
const probe = ['a gorgeous , moving film', 'too long and too dull'];

function hashWeights(tensors: { values: Float32Array }[]): string {
  const all = new Float32Array(tensors.reduce((a, t) => a + t.values.length, 0));
  let at = 0;
  for (const t of tensors) {
    all.set(t.values, at);
    at += t.values.length;
  }
  return fnv1a(all);
}

describe('classifier files from before the order-independence change', () => {
  it('a TextClassifier model file loads with minCount 1 (it had no frequency cut) and predicts as before', async () => {
    const clf = await TextClassifier.load(fixture('text-classifier-297ecd4.w2vc'), { threads: 1 });
    try {
      expect(clf.config.minCount).toBe(1);
      expect(Array.from((await clf.predict(probe)) as Float32Array)).toEqual(expected.tcProbs);
    } finally {
      clf.dispose();
    }
  });

  it('a TextClassifier checkpoint resumes in its own order to the old uninterrupted weights', async () => {
    const texts = lstmRows.map((r) => r[2]),
      labels = lstmRows.map((r) => Number(r[0]));
    const resumeFrom = readFileSync(fixture('text-classifier-297ecd4-epoch1.tcc'));
    const clf = new TextClassifier({ ...expected.tcOptions, minCount: 1 });
    try {
      const fit = await clf.fit(texts, labels, { ...expected.tcFit, resumeFrom });
      expect(fit.history.map((h) => h.epoch)).toEqual([1, 2, 3]);
      expect(hashWeights(await clf.getWeights())).toBe(expected.tcWeights);
    } finally {
      clf.dispose();
    }
    // Its config says minCount 1; today's default (2) is another model, and the error says so.
    const e = await rejection(new TextClassifier(expected.tcOptions).fit(texts, labels, { ...expected.tcFit, resumeFrom }));
    expect(e.message).toMatch(/option resumeFrom: the checkpoint's model \(.*"minCount":1.*\) differs from this classifier's \(.*"minCount":2/);
  });

  it('a LinearClassifier checkpoint resumes with its first-occurrence ties and order to the old uninterrupted weights', async () => {
    const clf = new LinearClassifier(expected.linOptions);
    try {
      // A Buffer from readFileSync: its slice() is a view, which the n-gram bucket section once read past.
      await clf.fit(
        linearRows.map((r) => r[2]),
        linearRows.map((r) => Number(r[0])),
        { resumeFrom: readFileSync(fixture('linear-297ecd4-epoch1.lcc')) },
      );
      const w = await clf.weights();
      expect(`${fnv1a(w.input)}:${fnv1a(w.output)}`).toBe(expected.linHash);
      expect(await clf.predict(probe, { k: 2 })).toEqual(expected.linPred);
    } finally {
      clf.dispose();
    }
  });
});
