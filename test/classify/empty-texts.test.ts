import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextClassifier, LinearClassifier, type FitWarning } from '../../src/index.js';
import { parseLabelledTsv } from '../../src/classify/labelled-tsv.js';
import { fnv1a } from '../helpers/hash.js';
import { rejection } from '../helpers/errors.js';

// Issue 13 part 3: real data sets carry rows with no words (a label and nothing else, a lone "*").
// Both classifiers train on them as "no words" and say so in fit(...).warnings; emptyTexts: 'error'
// refuses them. Here: 600 MR snippets (300 of each label), 4 blanked and 3 replaced by symbols.
const mrPath = fileURLToPath(new URL('../../data/en-mr-polarity/mr.tsv', import.meta.url));
const mr = parseLabelledTsv(readFileSync(mrPath, 'utf8'), mrPath);
const pick = [...Array(300).keys(), ...Array.from({ length: 300 }, (_, i) => 5331 + i)];
const labels = pick.map((i) => mr.labels[i]);
const blanks: Record<number, string> = { 7: '', 91: '*', 150: '   ', 333: '', 420: '* * *', 512: '\t', 599: '--' };
const emptyAt = Object.keys(blanks).map(Number);
const texts = pick.map((i, k) => blanks[k] ?? mr.texts[i]);
// The same rows with every blanked one as '': both are "no words", so they must train alike.
const allEmpty = texts.map((t, k) => (k in blanks ? '' : t));
const heldOut = Array.from({ length: 100 }, (_, i) => 1000 + i).concat(Array.from({ length: 100 }, (_, i) => 7000 + i));

function expectEmptyWarning(warnings: FitWarning[], treatment: RegExp): void {
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatchObject({ code: 'EMPTY_TEXTS', count: 7, indices: emptyAt });
  expect(warnings[0].message).toMatch(
    /^7 of 600 texts have no words \(empty, or only punctuation or symbols\): \[7\], \[91\], \[150\], \[333\], \[420\], \[512\], \[599\]\. They were used as /,
  );
  expect(warnings[0].message).toMatch(treatment);
}

describe('texts without words are uninformative samples, not malformed input', () => {
  it('TextClassifier: trains on them as all padding, reports them, predicts and evaluates them', async () => {
    const options = { vocabSize: 3000, sequenceLength: 20, embeddingDim: 8, lstm: [{ units: 8 }], seed: 2, threads: 1 };
    const clf = new TextClassifier(options);
    const same = new TextClassifier(options);
    try {
      const fit = await clf.fit(texts, labels, { epochs: 2, batchSize: 32 });
      expectEmptyWarning(fit.warnings, /all-padding inputs \(Keras' pad_sequences of an empty sequence\); emptyTexts: 'error' refuses them$/);
      // "*" and "" are the same all-padding row, so the model is the one trained with every blank as "".
      await same.fit(allEmpty, labels, { epochs: 2, batchSize: 32 });
      expect(fnv1a((await clf.predict(texts)) as Float32Array)).toBe(fnv1a((await same.predict(texts)) as Float32Array));
      // predict('') is the model's answer for an empty input: one number, the same for every text without words.
      const p = (await clf.predict('')) as Float32Array;
      expect(p).toHaveLength(1);
      expect(p[0] > 0 && p[0] < 1).toBe(true);
      expect(Array.from((await clf.predict(['', '*', ' !? '])) as Float32Array)).toEqual([p[0], p[0], p[0]]);
      const ev = await clf.evaluate(['', ...heldOut.map((i) => mr.texts[i])], [1, ...heldOut.map((i) => mr.labels[i])]);
      expect(ev.accuracy).toBeGreaterThan(0.5);
      const refused = await rejection(new TextClassifier(options).fit(texts, labels, { emptyTexts: 'error' }));
      expect(refused.code).toBe('INVALID_OPTION');
      expect(refused.message).toMatch(/^TextClassifier\.fit: texts\[7\] is empty \(and 6 more texts without words\); emptyTexts is 'error'/);
      // Malformed input stays an error.
      expect((await rejection(new TextClassifier(options).fit([...texts.slice(0, 9), null as never], labels.slice(0, 10)))).message).toMatch(
        /texts\[9\] is null, expected a string/,
      );
      expect((await rejection(new TextClassifier(options).fit(texts, labels.slice(1)))).message).toMatch(/600 texts but 599 labels/);
      expect(
        (
          await rejection(
            new TextClassifier(options).fit(
              texts,
              labels.map((y, i) => (i === 91 ? 2 : y)),
            ),
          )
        ).message,
      ).toMatch(/labels\[91\] is 2, expected 0 or 1/);
    } finally {
      clf.dispose();
      same.dispose();
    }
  });

  it('TextClassifier: validationData texts without words are reported apart, with their own indices', async () => {
    const clf = new TextClassifier({ vocabSize: 3000, sequenceLength: 20, embeddingDim: 8, lstm: [{ units: 8 }], seed: 2, threads: 1 });
    try {
      const fit = await clf.fit(allEmpty.slice(100, 500), labels.slice(100, 500), {
        validationData: [
          ['*', mr.texts[5], ''],
          [1, 1, 0],
        ],
      });
      expect(fit.warnings.map((w) => [w.code, w.count, w.indices])).toEqual([
        ['EMPTY_TEXTS', 3, [50, 233, 320]],
        ['EMPTY_VALIDATION_TEXTS', 2, [0, 2]],
      ]);
      expect(fit.warnings[1].message).toMatch(/^2 of 3 validationData texts have no words/);
    } finally {
      clf.dispose();
    }
  });

  it('LinearClassifier: trains on them with </s> alone (as fastText), reports them, predicts them', async () => {
    const options = { dim: 16, wordNgrams: 2, epochs: 3, learningRate: 0.5, threads: 1, seed: 2 };
    const clf = new LinearClassifier(options);
    const same = new LinearClassifier(options);
    try {
      const fit = await clf.fit(texts, labels);
      expectEmptyWarning(fit.warnings, /inputs holding only the end-of-line row <\/s> \(as fastText trains a line with a label and no words\)/);
      expect(fit.examples).toBe(600);
      await same.fit(allEmpty, labels);
      const w = await clf.weights(),
        v = await same.weights();
      expect(`${fnv1a(w.input)}:${fnv1a(w.output)}`).toBe(`${fnv1a(v.input)}:${fnv1a(v.output)}`);
      const [p] = await clf.predict('', { k: 2 });
      expect(p).toHaveLength(2);
      expect(await clf.predict(['*', ' !? '], { k: 2 })).toEqual([p, p]);
      const ev = await clf.evaluate(['', ...heldOut.map((i) => mr.texts[i])], [1, ...heldOut.map((i) => mr.labels[i])]);
      expect(ev.examples).toBe(201);
      const refused = await rejection(new LinearClassifier(options).fit(texts, labels, { emptyTexts: 'error' }));
      expect(refused.message).toMatch(/^LinearClassifier\.fit: texts\[7\] is empty \(and 6 more texts without words\); emptyTexts is 'error'/);
      expect((await rejection(new LinearClassifier(options).fit(['*', ...texts.slice(1)], labels, { emptyTexts: 'error' }))).message).toMatch(
        /texts\[0\] "\*" has no words \(only punctuation or symbols\)/,
      );
      expect((await rejection(new LinearClassifier(options).fit(texts, labels, { emptyTexts: 'skip' as never }))).message).toMatch(/option emptyTexts/);
      expect((await rejection(new LinearClassifier(options).fit([...texts.slice(0, 9), 5 as never], labels.slice(0, 10)))).message).toMatch(
        /texts\[9\] is 5, expected a string/,
      );
    } finally {
      clf.dispose();
      same.dispose();
    }
  });
});
