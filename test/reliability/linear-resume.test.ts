import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinearClassifier, TextClassifier, Wasm2VecError, type LabelInput, type LinearClassifierOptions, type LinearFitOptions } from '../../src/index.js';
import { repoData } from '../helpers/data.js';
import { sha } from './helpers.js';

// MR polarity is sorted by label: take both ends, hold out fold 0 for the accuracy checks.
const rows = readFileSync(repoData('en-mr-polarity/mr.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter(Boolean)
  .map((l) => l.split('\t'));
const slice = [...rows.slice(0, 1500), ...rows.slice(-1500)];
const train = slice.filter((r) => r[1] !== '0');
const held = slice.filter((r) => r[1] === '0');
const texts = train.map((r) => r[2]);
const labels: LabelInput[] = train.map((r) => (r[0] === '1' ? 'pos' : 'neg'));
// Polarity × fold parity: with 2 labels a negative sample is always the other label, with 4 the RNG decides.
const fourClasses: LabelInput[] = train.map((r) => `${r[0]}-${Number(r[1]) % 2}`);
// Multi-label: softmax trains on one label per example, drawn from the thread's RNG.
const twoLabels: LabelInput[] = train.map((r) => [r[0] === '1' ? 'pos' : 'neg', `fold${r[1]}`]);
const dir = mkdtempSync(join(tmpdir(), 'linear-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hash = (bytes: Uint8Array) => sha(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));

/** Fits and returns a hash of the model file (weights, vocabulary, labels) and the loss history. */
async function fitted(options: LinearClassifierOptions, fit: LinearFitOptions = {}, y = labels): Promise<{ model: string; losses: number[] }> {
  const c = new LinearClassifier(options);
  try {
    const r = await c.fit(texts, y, fit);
    return { model: hash(await c.toBytes()), losses: r.history.map((h) => h.loss) };
  } finally {
    c.dispose();
  }
}

/** Fits with checkpoints and aborts right after the checkpoint of epoch `stopAfter`; returns it. */
async function interrupted(options: LinearClassifierOptions, stopAfter: number, y = labels): Promise<Uint8Array> {
  const ac = new AbortController();
  let saved: Uint8Array | null = null;
  const c = new LinearClassifier(options);
  const e = await c
    .fit(texts, y, {
      signal: ac.signal,
      checkpoint: ({ epoch, bytes }) => {
        if (epoch === stopAfter) {
          saved = bytes;
          ac.abort();
        }
      },
    })
    .then(
      () => null,
      (x: unknown) => x,
    );
  c.dispose();
  expect((e as Wasm2VecError).code).toBe('ABORTED');
  return saved!;
}

async function failure(run: () => Promise<unknown>): Promise<Wasm2VecError> {
  const e = await run().then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(Wasm2VecError);
  return e as Wasm2VecError;
}

describe('LinearClassifier checkpoints and resume', () => {
  const cases: [string, LinearClassifierOptions, LabelInput[]][] = [
    // Negative sampling and multi-label softmax draw from each thread's RNG: equality needs its state restored.
    ['negative sampling, 4 classes, bigram buckets', { loss: 'ns', negative: 3, wordNgrams: 2, buckets: 200_000 }, fourClasses],
    ['softmax, multi-label', { loss: 'softmax' }, twoLabels],
    ['hierarchical softmax, tf-idf', { loss: 'hs', weighting: 'tfidf' }, labels],
  ];
  for (const [name, extra, y] of cases) {
    it(`1 thread: 2 epochs, checkpoint, resume 3 == 5 uninterrupted epochs, bit for bit (${name})`, async () => {
      const options: LinearClassifierOptions = { dim: 16, epochs: 5, threads: 1, seed: 3, learningRate: 0.2, ...extra };
      const straight = await fitted(options, {}, y);
      const checkpoint = await interrupted(options, 2, y);
      const resumed = await fitted(options, { resumeFrom: checkpoint }, y);
      expect(resumed.losses).toEqual(straight.losses);
      expect(resumed.model).toBe(straight.model);
      // Another seed gives other weights, so the equality above is not an accident of the check.
      expect((await fitted({ ...options, seed: 4 }, {}, y)).model).not.toBe(straight.model);
    });
  }

  it('a checkpoint path is replaced every checkpointEvery epochs; an abort mid-fit leaves it resumable', async () => {
    const path = join(dir, 'linear.ckpt');
    const options: LinearClassifierOptions = { dim: 12, epochs: 5, threads: 1, wordNgrams: 2, buckets: 100_000 };
    const straight = await fitted(options);
    const seen: number[] = [];
    const ac = new AbortController();
    const c = new LinearClassifier(options);
    // Checkpoints after epochs 2 and 4 are due; the abort lands in epoch 4, before its checkpoint.
    const e = await failure(() =>
      c.fit(texts, labels, {
        checkpoint: path,
        checkpointEvery: 2,
        signal: ac.signal,
        onEpochEnd: (x) => {
          seen.push(existsSync(path) ? x.epoch : -x.epoch);
          if (x.epoch === 3) ac.abort();
        },
      }),
    );
    c.dispose();
    expect(e.code).toBe('ABORTED');
    expect(seen).toEqual([-1, 2, 3]);
    expect(existsSync(`${path}.partial`)).toBe(false);
    const resumed = await fitted(options, { resumeFrom: path, checkpoint: path, checkpointEvery: 2 });
    expect(resumed.model).toBe(straight.model);
    // The last epoch is always checkpointed: resuming the final file trains nothing and gives the same model.
    const done = new LinearClassifier(options);
    const r = await done.fit(texts, labels, { resumeFrom: path });
    expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(hash(await done.toBytes())).toBe(straight.model);
    done.dispose();
  });

  it('threads 2: a resumed run (any thread count) completes and predicts well (Hogwild runs are not bit-reproducible)', async () => {
    const options: LinearClassifierOptions = { dim: 16, epochs: 5, threads: 2, loss: 'ns', wordNgrams: 2, buckets: 200_000, learningRate: 0.5 };
    const checkpoint = await interrupted(options, 2);
    const heldTexts = held.map((r) => r[2]);
    const heldLabels = held.map((r) => (r[0] === '1' ? 'pos' : 'neg'));
    for (const threads of [2, 1]) {
      const c = new LinearClassifier({ ...options, threads });
      const r = await c.fit(texts, labels, { resumeFrom: checkpoint });
      expect(r.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5]);
      expect(r.threads).toBe(threads);
      const { accuracy } = await c.evaluate(heldTexts, heldLabels);
      // An uninterrupted fit of these settings scores 0.75 on this held-out fold (chance: 0.5).
      expect(accuracy).toBeGreaterThan(0.7);
      const [p] = await c.predict(['a wonderful, moving and funny film']);
      expect(p[0].label).toBe('pos');
      c.dispose();
    }
  });

  it('refuses other settings, other texts, another kind of file and corrupt files with clear errors', async () => {
    const options: LinearClassifierOptions = { dim: 8, epochs: 3, threads: 1, loss: 'ns' };
    const checkpoint = await interrupted(options, 1);
    const resume = (o: LinearClassifierOptions, t = texts, l = labels, from: LinearFitOptions['resumeFrom'] = checkpoint) =>
      failure(() => new LinearClassifier(o).fit(t, l, { resumeFrom: from }));

    const dim = await resume({ ...options, dim: 9 });
    expect(dim.code).toBe('INVALID_OPTION');
    expect(dim.message).toMatch(/option dim: got 9, but the checkpointed fit used 8/);
    expect((await resume({ ...options, learningRate: 0.5 })).message).toMatch(/option learningRate: got 0\.5, but the checkpointed fit used 0\.1/);
    expect((await resume({ ...options, loss: undefined })).message).toMatch(/option loss: got "softmax", but the checkpointed fit used "ns"/);
    expect((await resume({ ...options, epochs: 4 })).message).toMatch(/option epochs: got 4, but the checkpointed fit used 3/);
    expect((await resume({ ...options, tokenizer: 'whitespace' })).message).toMatch(
      /option tokenizer: got "whitespace", but the checkpointed fit used "default"/,
    );

    const fewer = await resume(options, texts.slice(1), labels.slice(1));
    expect(fewer.code).toBe('INVALID_OPTION');
    expect(fewer.message).toMatch(
      /option resumeFrom: these texts and labels give .*; resume checkpoint \(bytes\) with the texts, labels and tokenizer of its fit/,
    );
    // Same vocabulary and label counts, two labels swapped: caught by the training-set fingerprint.
    const swapped = labels.slice();
    [swapped[1], swapped[swapped.length - 1]] = [swapped[swapped.length - 1], swapped[1]];
    expect(swapped[1]).not.toBe(labels[1]);
    const reordered = await resume(options, texts, swapped);
    expect(reordered.message).toMatch(/examples of \d+ tokens per epoch \(fingerprint [0-9a-f]{8}\), the checkpoint's/);

    const flipped = checkpoint.slice();
    flipped[flipped.length - 100] ^= 1;
    const corrupt = await resume(options, texts, labels, flipped);
    expect(corrupt.code).toBe('BAD_FORMAT');
    expect(corrupt.message).toMatch(/LinearClassifier checkpoint \(bytes\): checksum mismatch/);

    const path = join(dir, 'model.bin');
    const model = new LinearClassifier({ dim: 4, epochs: 1, threads: 1 });
    await model.fit(texts, labels);
    await model.save(path);
    model.dispose();
    const notCheckpoint = await resume(options, texts, labels, path);
    expect(notCheckpoint.code).toBe('BAD_FORMAT');
    expect(notCheckpoint.message).toContain(`LinearClassifier checkpoint "${path}": not a LinearClassifier checkpoint file (bad magic bytes)`);
    let lstm: Uint8Array | null = null;
    const t = new TextClassifier({ vocabSize: 50, sequenceLength: 4, embeddingDim: 2, lstm: [{ units: 2 }], threads: 1 });
    await t.fit(
      texts.slice(0, 20),
      labels.slice(0, 20).map((_, i) => i % 2),
      {
        checkpoint: (c) => {
          lstm = c.bytes;
        },
      },
    );
    t.dispose();
    expect((await resume(options, texts, labels, lstm!)).message).toMatch(/not a LinearClassifier checkpoint file \(bad magic bytes\)/);
    expect((await resume(options, texts, labels, join(dir, 'missing.ckpt'))).code).toBe('IO');

    const fitWith = (o: LinearFitOptions) => failure(() => new LinearClassifier(options).fit(texts, labels, o));
    expect((await fitWith({ resumeFrom: 42 as never })).message).toMatch(/option resumeFrom: got 42, expected a checkpoint's bytes/);
    expect((await fitWith({ checkpointEvery: 2 })).message).toMatch(/option checkpointEvery: got 2, expected to come with the checkpoint option/);
    expect((await fitWith({ checkpoint: 5 as never })).message).toMatch(
      /option checkpoint: got 5, expected a function receiving \{ epoch, bytes \} or a file path/,
    );
  });
});
