import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Embeddings, LinearClassifier, Wasm2VecError, whitespaceTokenizer } from '../../../src/index.js';
import { fnv1a } from '../../helpers/hash.js';
import { repoData } from '../../helpers/data.js';

// 2,000 MR snippets (1,000 of each polarity) train in a fraction of a second.
const rows = readFileSync(repoData('en-mr-polarity/mr.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'));
const sample = [...rows.slice(0, 1000), ...rows.slice(-1000)];
const texts = sample.map((r) => r[2]);
const labels = sample.map((r) => Number(r[0]));
const small = { dim: 24, wordNgrams: 2, epochs: 3, learningRate: 0.5, threads: 1, seed: 5 } as const;

async function expectError(p: Promise<unknown> | (() => unknown), code: string, message: RegExp): Promise<void> {
  let error: unknown;
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    error = e;
  }
  expect(error, 'expected an error').toBeInstanceOf(Wasm2VecError);
  expect((error as Wasm2VecError).code).toBe(code);
  expect((error as Error).message).toMatch(message);
}

async function trained(options: Record<string, unknown> = {}): Promise<LinearClassifier> {
  const clf = new LinearClassifier({ ...small, ...options });
  await clf.fit(texts, labels);
  return clf;
}

describe('LinearClassifier API', () => {
  it('1 thread + seed gives a bit-identical model across runs; another seed does not', async () => {
    const hash = async (seed: number) => {
      const clf = await trained({ seed });
      const w = await clf.weights();
      clf.dispose();
      return `${fnv1a(w.input)}:${fnv1a(w.output)}:${w.input.length}`;
    };
    const a = await hash(5);
    expect(await hash(5)).toBe(a);
    expect(await hash(6)).not.toBe(a);
  });

  it("fit reports its work; predict returns top-k labels with probabilities, of the labels' own type", async () => {
    const clf = new LinearClassifier(small);
    const epochs: number[] = [];
    const r = await clf.fit(texts, labels, { onEpochEnd: (e) => epochs.push(e.epoch) });
    expect(epochs).toEqual([1, 2, 3]);
    expect(r.examples).toBe(2000);
    expect(r.labels).toBe(2);
    expect(r.ngramBuckets).toBeGreaterThan(10000);
    expect(r.history[2].loss).toBeLessThan(r.history[0].loss);
    expect(clf.labels).toEqual(expect.arrayContaining([0, 1]));
    expect(r.warnings).toEqual([]);
    const [p1, p2] = await clf.predict(['a gorgeous , moving and funny film', 'too long and too dull'], { k: 2 });
    expect(p1.map((p) => p.label)).toEqual([1, 0]);
    expect(p2[0].label).toBe(0);
    for (const p of [p1, p2]) {
      expect(p[0].probability).toBeGreaterThanOrEqual(p[1].probability);
      expect(p[0].probability + p[1].probability).toBeCloseTo(1, 5);
    }
    expect((await clf.predict(['a gorgeous film']))[0]).toHaveLength(1);
    // threshold drops unlikely labels; k larger than the label count returns them all.
    expect((await clf.predict(['a gorgeous , moving and funny film'], { k: 5, threshold: 0.5 }))[0]).toHaveLength(1);
    expect((await clf.predict(['x'], { k: 5 }))[0]).toHaveLength(2);
    // An empty text still has EOS (fastText's bias row): a prediction, not an error; a bare string is a batch of one.
    expect((await clf.predict(['']))[0]).toHaveLength(1);
    expect(await clf.predict('')).toEqual(await clf.predict(['']));
    expect(await clf.predict('*', { k: 2 })).toEqual(await clf.predict([''], { k: 2 }));
    clf.dispose();
  });

  it('evaluate and test agree: accuracy = P@1 = R@1 for single labels; R@2 = 1 with two classes', async () => {
    const clf = await trained();
    const held = rows.slice(1000, 1300).concat(rows.slice(-1300, -1000));
    const ev = await clf.evaluate(
      held.map((r) => r[2]),
      held.map((r) => Number(r[0])),
    );
    expect(ev.examples).toBe(600);
    expect(ev.accuracy).toBeGreaterThan(0.62);
    expect(ev.loss).toBeGreaterThan(0);
    const t1 = await clf.test(
      held.map((r) => r[2]),
      held.map((r) => Number(r[0])),
    );
    expect(t1.precision).toBeCloseTo(ev.accuracy, 10);
    expect(t1.recall).toBeCloseTo(ev.accuracy, 10);
    const t2 = await clf.test(
      held.map((r) => r[2]),
      held.map((r) => Number(r[0])),
      { k: 2 },
    );
    expect(t2.recall).toBe(1);
    expect(t2.precision).toBe(0.5);
    // A label the model never saw is simply wrong, with -log(1e-5) loss.
    const unseen = await clf.evaluate(['a gorgeous film'], [7]);
    expect(unseen.accuracy).toBe(0);
    expect(unseen.loss).toBeCloseTo(-Math.log(1e-5), 3);
    clf.dispose();
  });

  it('saves and loads (file and bytes) to the same weights and predictions', async () => {
    const clf = await trained({ weighting: 'tfidf', loss: 'hs' });
    const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-linear-'));
    try {
      const path = join(dir, 'model.w2vl');
      await clf.save(path);
      const bytes = await clf.toBytes();
      expect(Buffer.from(readFileSync(path)).equals(Buffer.from(bytes))).toBe(true);
      const probe = ['a gorgeous , moving and funny film', 'dull , tedious and badly acted', 'never seen words zzqx qqzx'];
      const before = await clf.predict(probe, { k: 2 });
      const w0 = await clf.weights();
      // Many texts: several batches, spread over 2 workers in the second copy; inference is deterministic.
      const many = Array.from({ length: 4500 }, (_, i) => rows[(i * 7) % rows.length][2]);
      const reference = await clf.predict(many);
      for (const loaded of [await LinearClassifier.load(path, { threads: 1 }), await LinearClassifier.load(bytes.slice().buffer, { threads: 2 })]) {
        const w = await loaded.weights();
        expect(fnv1a(w.input)).toBe(fnv1a(w0.input));
        expect(fnv1a(w.output)).toBe(fnv1a(w0.output));
        expect(await loaded.predict(probe, { k: 2 })).toEqual(before);
        expect(await loaded.predict(many)).toEqual(reference);
        expect(loaded.options.weighting).toBe('tfidf');
        expect(loaded.loss).toBe('hs');
        loaded.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      clf.dispose();
    }
  });

  it('multi-label data trains one-vs-all by default and finds both labels', async () => {
    const colours = ['red', 'green', 'blue'];
    const shapes = ['circle', 'square'];
    const t: string[] = [];
    const l: string[][] = [];
    for (let i = 0; i < 600; i++) {
      const c = colours[i % 3],
        s = shapes[(i * 7) % 2];
      t.push(`a ${c} ${s} item number ${i % 17} in the box`);
      l.push([c, s]);
    }
    const clf = new LinearClassifier({ dim: 16, epochs: 5, learningRate: 0.5, threads: 1 });
    await clf.fit(t, l);
    expect(clf.loss).toBe('ova');
    const [p] = await clf.predict(['the blue square over there'], { k: 2 });
    expect(p.map((x) => x.label).sort()).toEqual(['blue', 'square']);
    const r = await clf.test(t.slice(0, 60), l.slice(0, 60), { k: 2 });
    expect(r.precision).toBeGreaterThan(0.95);
    expect(r.recall).toBeGreaterThan(0.95);
    clf.dispose();
  });

  it('pretrained vectors initialise word rows and add their words to the vocabulary', async () => {
    const words = ['gorgeous', 'zzunseenzz'];
    const vectors = new Float32Array(2 * 24).map((_, i) => (i % 7) / 10);
    const pre = new Embeddings(words, vectors, 24);
    await expectError(() => new LinearClassifier({ ...small, dim: 8, pretrained: pre }), 'INVALID_OPTION', /dim 24.*dim is 8/);
    const c2 = new LinearClassifier({ ...small, pretrained: pre, tokenizer: whitespaceTokenizer });
    await c2.fit(texts, labels);
    const w = await c2.weights();
    const row = w.words.indexOf('zzunseenzz');
    expect(row).toBeGreaterThan(0);
    // Never in a training text, so never updated: still exactly the pretrained vector.
    expect(Array.from(w.input.subarray(row * 24, row * 24 + 24))).toEqual(Array.from(vectors.subarray(24, 48)));
    const g = w.words.indexOf('gorgeous');
    expect(Array.from(w.input.subarray(g * 24, g * 24 + 24))).not.toEqual(Array.from(vectors.subarray(0, 24)));
    c2.dispose();
  });

  it('rejects bad input with clear errors', async () => {
    const clf = new LinearClassifier(small);
    await expectError(clf.fit([], []), 'EMPTY_CORPUS', /no texts/);
    await expectError(clf.fit(['', '  ', '!!'], [0, 1, 0]), 'EMPTY_CORPUS', /all 3 texts are empty/);
    await expectError(clf.fit(['good', 'bad', 'fine'], [1, 1, 1]), 'INVALID_OPTION', /all labels are 1.*at least two classes/);
    await expectError(clf.fit(['good', 'bad', 'fine'], [1, 'neg', 1]), 'INVALID_OPTION', /labels\[1\] is a string.*labels\[0\] is a number.*mixed types/);
    await expectError(clf.fit(['good', 'bad'], [1, [0]]), 'INVALID_OPTION', /labels\[1\] is an array/);
    await expectError(clf.fit(['good', 'bad'], [1, 0.5]), 'INVALID_OPTION', /labels\[1\] is 0.5.*integers/);
    await expectError(clf.fit(['good', 'bad'], [1, NaN]), 'INVALID_OPTION', /labels\[1\] is NaN/);
    await expectError(clf.fit(['good', 'bad'], [1]), 'INVALID_OPTION', /2 texts but 1 labels/);
    await expectError(clf.fit(['good', 42 as never], [1, 0]), 'INVALID_OPTION', /texts\[1\] is 42/);
    await expectError(clf.predict(['good']), 'UNSUPPORTED', /not trained/);
    await expectError(() => new LinearClassifier({ wordNgrams: 9 }), 'INVALID_OPTION', /wordNgrams: got 9/);
    await expectError(() => new LinearClassifier({ loss: 'hinge' as never }), 'INVALID_OPTION', /loss: got "hinge"/);
    await expectError(() => new LinearClassifier({ dims: 5 } as never), 'INVALID_OPTION', /unknown option "dims"/);
    const aborted = new AbortController();
    aborted.abort();
    await expectError(clf.fit(texts, labels, { signal: aborted.signal }), 'ABORTED', /aborted/);
    await clf.fit(texts, labels);
    await expectError(clf.evaluate(['good'], ['pos']), 'INVALID_OPTION', /trained on number labels/);
    await expectError(clf.predict(['good'], { k: 0 }), 'INVALID_OPTION', /option k: got 0/);
    const bytes = await clf.toBytes();
    clf.dispose();
    await expectError(clf.predict(['good']), 'UNSUPPORTED', /disposed/);
    await expectError(
      LinearClassifier.load(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16])),
      'BAD_FORMAT',
      /not a wasm2vec linear classifier/,
    );
    const future = bytes.slice();
    new DataView(future.buffer).setUint32(8, 99, true);
    await expectError(LinearClassifier.load(future), 'BAD_FORMAT', /version 99; this wasm2vec reads version 1/);
    await expectError(LinearClassifier.load(bytes.slice(0, bytes.length - 100)), 'BAD_FORMAT', /truncated/);
    await expectError(LinearClassifier.load('/nonexistent/model.bin'), 'IO', /cannot read/);
  });
});
