import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { LinearClassifier } from '../../../src/classify/linear/linear-classifier.js';
import { readFastText } from '../../../src/train/fasttext/reader.js';
import { rejection } from '../../helpers/errors.js';
import { MODELS, fixture, fullPredictions } from '../../train/fasttext/fixtures.js';

const SUPERVISED = MODELS.filter((m) => m.supervised);

describe('LinearClassifier.load of fastText supervised .bin/.ftz: predictions as `fasttext predict-prob`', () => {
  for (const m of SUPERVISED) {
    it(`${m.file}: every sentence's labels and probabilities as fastText 0.9.2 gave them (bit for bit; 1e-5 is the requirement)`, async () => {
      const clf = await LinearClassifier.load(fixture(m.file));
      try {
        expect(clf.isFastText).toBe(true);
        const want = fullPredictions(m.stem);
        const sentences = want.map((w) => Buffer.from(w.hex, 'hex').toString('utf8'));
        // All labels of the 2-label models; the 10 best of the 307-label ones (as recorded).
        const k = Math.min(10, clf.labels.length);
        const got = await clf.predict(sentences, { k });
        expect(got).toHaveLength(want.length);
        let compared = 0;
        let inexact = 0;
        for (let i = 0; i < want.length; i++) {
          const w = want[i].predictions;
          expect(
            got[i].map((p) => p.label),
            JSON.stringify(sentences[i]),
          ).toEqual(w.map(([label]) => label));
          for (let j = 0; j < w.length; j++) {
            expect(Math.abs(got[i][j].probability - w[j][1]), `${sentences[i]}: ${w[j][0]}`).toBeLessThan(1e-5);
            if (got[i][j].probability !== w[j][1]) inexact++;
            compared++;
          }
        }
        expect(compared).toBeGreaterThan(20);
        expect(inexact).toBe(0);
        // A single string is a batch of one; the loss is fastText's.
        expect((await clf.predict(sentences[0], { k: 1 }))[0][0].label).toBe(want[0].predictions[0][0]);
        expect(clf.loss).toBe((await readFastText(fixture(m.file))).args.loss);
      } finally {
        clf.dispose();
      }
    });
  }

  it('loads from bytes and an ArrayBuffer too; toBytes() gives the fastText file back', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('supervised.ftz')));
    const a = await LinearClassifier.load(bytes);
    const b = await LinearClassifier.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const text = ['a wonderful and moving film', 'dull, tedious and far too long'];
    expect(await a.predict(text, { k: 2 })).toEqual(await b.predict(text, { k: 2 }));
    expect(Buffer.from(await a.toBytes()).equals(Buffer.from(bytes))).toBe(true);
    // Labels as fastText names them, prefix included, in its order (by training count).
    expect([...a.labels].sort()).toEqual(['__label__neg', '__label__pos']);
  });

  it('test() and evaluate() agree with the predictions (P@1, accuracy) on labelled lines', async () => {
    const clf = await LinearClassifier.load(fixture('supervised.bin'));
    const want = fullPredictions('supervised');
    const sentences = want.map((w) => Buffer.from(w.hex, 'hex').toString('utf8')).filter((s) => s.trim() !== '');
    const preds = await clf.predict(sentences, { k: 1 });
    // Gold labels: the fastText prediction for the first half, the other label for the rest.
    const other = (l: string) => clf.labels.find((x) => x !== l)!;
    const gold = preds.map((p, i) => (i < sentences.length / 2 ? p[0].label : other(p[0].label as string)));
    const half = Math.ceil(sentences.length / 2) / sentences.length;
    const t = await clf.test(sentences, gold, { k: 1 });
    expect(t.examples).toBe(sentences.length);
    expect(t.precision).toBeCloseTo(half, 10);
    const e = await clf.evaluate(sentences, gold);
    expect(e.accuracy).toBeCloseTo(half, 10);
    expect(e.loss).toBeGreaterThan(0);
    // Every label was the prediction: P@1 = 1, and the loss is lower.
    const right = await clf.evaluate(
      sentences,
      preds.map((p) => p[0].label),
    );
    expect(right.accuracy).toBe(1);
    expect(right.loss).toBeLessThan(e.loss);
    clf.dispose();
  });

  it('refuses a word-vector model (naming FastText.load), a tokenizer, and weights()', async () => {
    const e = await rejection(LinearClassifier.load(fixture('skipgram.bin')));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toContain('FastText.load');
    expect((await rejection(LinearClassifier.load(fixture('supervised.bin'), { tokenizer: (t: string) => t.split(' ') }))).code).toBe('INVALID_OPTION');
    const clf = await LinearClassifier.load(fixture('supervised.bin'));
    expect((await rejection(clf.weights())).code).toBe('UNSUPPORTED');
    clf.dispose();
    expect((await rejection(clf.predict(['x']))).code).toBe('UNSUPPORTED');
  });

  it('a truncated fastText file is BAD_FORMAT naming the byte offset', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('supervised.bin')));
    const e = await rejection(LinearClassifier.load(bytes.subarray(0, bytes.length - 100)));
    expect(e.code).toBe('BAD_FORMAT');
    expect(e.message).toMatch(/byte \d+/);
  });

  it('an abort lands between slices of a long batch', async () => {
    const clf = await LinearClassifier.load(fixture('firstword-hs.ftz'));
    const ac = new AbortController();
    const texts = Array.from({ length: 5000 }, (_, i) => `the king said ${i} things to the queen`);
    const p = clf.predict(texts, { k: 3, signal: ac.signal });
    ac.abort();
    expect((await rejection(p)).code).toBe('ABORTED');
    clf.dispose();
  });
});
