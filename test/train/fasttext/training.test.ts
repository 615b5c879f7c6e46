import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { trainFastText, subwordRows, type FastTextOptions } from '../../../src/train/fasttext/trainer.js';
import { wordRows, wordVector } from '../../../src/train/fasttext/word-vectors.js';
import { createTokenizer } from '../../../src/text/tokenizer.js';
import { demoCorpusPath } from '../../helpers/data.js';
import { fnv1a } from '../../helpers/hash.js';

// The first ~60k tokens of the fairy tales: seconds per run, enough words for every check below.
const text = readFileSync(demoCorpusPath, 'utf8').slice(0, 330_000);
const small: FastTextOptions = { dim: 24, bucket: 20_000, epochs: 2, threads: 1, seed: 3 };

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return `${(e as { code?: string }).code}: ${(e as Error).message}`;
  }
  return 'resolved';
};

describe('trainFastText: options', () => {
  it.each([
    [{ foo: 1 }, /INVALID_OPTION: .*unknown option "foo"/],
    [{ model: 'cbow', mode: 'batched' }, /INVALID_OPTION: option mode: 'batched' .* needs model 'skipgram' and loss 'ns' \(got model 'cbow'/],
    [{ loss: 'hs', mode: 'batched' }, /INVALID_OPTION: option mode: .*loss 'hs'/],
    [{ minn: 5, maxn: 4 }, /INVALID_OPTION: option minn: 5 is above maxn 4/],
    [{ bucket: 0 }, /INVALID_OPTION: option bucket: 0 buckets leave character n-grams up to 6 characters no rows/],
    [{ negative: 0 }, /INVALID_OPTION: option negative/],
    [{ neg: 0 }, /INVALID_OPTION: option neg/],
    [{ lr: 0.1, learningRate: 0.2 }, /INVALID_OPTION: options learningRate and lr are the same setting/],
    [{ alpha: -1 }, /INVALID_OPTION: option alpha/],
    [{ ws: 0 }, /INVALID_OPTION: option ws/],
    [{ epoch: 1.5 }, /INVALID_OPTION: option epoch/],
    [{ t: 2 }, /INVALID_OPTION: option t/],
    [{ maxn: 101 }, /INVALID_OPTION: option maxn/],
    [{ loss: 'ova' }, /INVALID_OPTION: option loss/],
    [{ lrUpdateRate: 0 }, /INVALID_OPTION: option lrUpdateRate/],
  ] as [Record<string, unknown>, RegExp][])('%j is refused before the corpus is read', async (o, message) => {
    // A corpus that would throw if read: validation comes first.
    const corpus = {
      [Symbol.iterator]() {
        throw new Error('read');
      },
    } as unknown as Iterable<string>;
    expect(await code(trainFastText(corpus, o as FastTextOptions))).toMatch(message);
  });

  it('refuses an input matrix beyond wasm32 memory before allocating it, naming its shape and what shrinks it', async () => {
    const msg = await code(trainFastText(text, { ...small, dim: 300, bucket: 4_000_000 }));
    expect(msg).toMatch(/^MEMORY_LIMIT: FastText needs .* the input matrix is \([\d,]+ words \+ 4,000,000 buckets\) × dim 300 × 4 bytes = .*Lower bucket, dim/);
  });

  it('needs two words for negative sampling', async () => {
    expect(await code(trainFastText('a a a a a b', { ...small, minCount: 2 }))).toMatch(
      /INVALID_OPTION: option loss: negative sampling needs at least 2 words/,
    );
  });
});

describe('trainFastText: the model', () => {
  it("is a fastText model: args, dictionary, (nwords + bucket) × dim input, nwords × dim output; every word's rows are fastText's", async () => {
    const r = await trainFastText(text, small);
    const { model, vocabulary, stats } = r;
    const nwords = vocabulary.size;
    expect(nwords).toBeGreaterThan(1000);
    expect(model.args).toEqual({
      dim: 24,
      ws: 5,
      epoch: 2,
      minCount: 5,
      neg: 5,
      wordNgrams: 1,
      loss: 'ns',
      model: 'skipgram',
      bucket: 20_000,
      minn: 3,
      maxn: 6,
      lrUpdateRate: 100,
      t: 1e-4,
    });
    expect(model.dictionary.nwords).toBe(nwords);
    expect(model.dictionary.nlabels).toBe(0);
    expect(model.dictionary.words).toEqual(vocabulary.words);
    expect([...model.dictionary.counts]).toEqual([...vocabulary.counts]);
    expect(model.dictionary.ntokens).toBe(stats.rawTokens);
    expect(model.input.rows).toBe(nwords + 20_000);
    expect(model.output?.rows).toBe(nwords);
    expect(stats.epochsCompleted).toBe(2);
    expect(stats.tokens).toBe(vocabulary.totalCount);
    // -log σ(0) = ln 2 for each of the 6 terms of an untrained update; training brings it well below.
    expect(stats.finalLoss).toBeGreaterThan(0);
    expect(stats.finalLoss).toBeLessThan(0.75 * 6 * Math.LN2);
    // The rows the kernel trained for a word are the rows fastText's getSubwords reads back.
    const rows = subwordRows(vocabulary.words, 3, 6, 20_000);
    for (const w of ['the', 'princess', 'castle', vocabulary.words[nwords - 1]]) {
      const id = vocabulary.id(w);
      expect([...rows.rows.subarray(rows.starts[id], rows.starts[id + 1])]).toEqual(wordRows(model, w));
    }
    // n-gram rows were trained (not left at their ±1/dim initialisation) and the output moved from 0.
    const id = vocabulary.id('princess');
    const ngram = rows.rows[rows.starts[id] + 1];
    const v = model.input.data.subarray(ngram * 24, ngram * 24 + 24);
    expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(1 / 24);
    expect(model.output!.data.some((x) => x !== 0)).toBe(true);
  });

  it('trains without subwords (maxn 0): no bucket rows, the word row alone', async () => {
    const r = await trainFastText(text, { ...small, maxn: 0 });
    expect(r.model.args.bucket).toBe(0);
    expect(r.model.input.rows).toBe(r.vocabulary.size);
    expect(wordRows(r.model, 'princess')).toEqual([r.vocabulary.id('princess')]);
  });

  it.each([
    ['skipgram classic', { mode: 'classic' }],
    ['cbow', { model: 'cbow' }],
  ] as [string, FastTextOptions][])('%s (ns) trains well below an untrained loss', async (_n, extra) => {
    const r = await trainFastText(text, { ...small, ...extra });
    expect(r.stats.finalLoss).toBeGreaterThan(0);
    expect(r.stats.finalLoss).toBeLessThan(0.75 * 6 * Math.LN2);
    expect(r.model.args.model).toBe(extra.model ?? 'skipgram');
  });

  it.each([
    ['skipgram', 'skipgram'],
    ['cbow', 'cbow'],
  ] as const)('%s hs: the training loss falls below that of a model that barely moves (lr 1e-6)', async (_n, model) => {
    const trained = await trainFastText(text, { ...small, model, loss: 'hs' });
    const still = await trainFastText(text, { ...small, model, loss: 'hs', learningRate: 1e-6 });
    expect(trained.model.args.loss).toBe('hs');
    expect(trained.model.output!.rows).toBe(trained.vocabulary.size);
    expect(trained.stats.finalLoss).toBeLessThan(0.97 * still.stats.finalLoss);
  });

  // fastText's loss reads log p from a 512-bin table (p < 1/512 counts as 17.7), too coarse to show a
  // softmax model learning; the exact log-likelihood of the corpus's next words does.
  it.each(['skipgram', 'cbow'] as const)('%s softmax: the exact next-word log-likelihood beats the uniform ln(n)', async (model) => {
    const r = await trainFastText(text, { ...small, model, loss: 'softmax', minCount: 60, sample: 0, epochs: 3 });
    const { vocabulary: v, model: m } = r;
    const n = v.size;
    const ids = createTokenizer()(text.slice(0, 60_000))
      .map((w) => v.id(w))
      .filter((id) => id >= 0);
    let nll = 0;
    const scores = new Float64Array(n);
    for (let i = 0; i + 1 < ids.length; i++) {
      const h = wordVector(m, v.words[ids[i]]).vector;
      let max = -Infinity;
      for (let o = 0; o < n; o++) {
        let s = 0;
        for (let j = 0; j < 24; j++) s += m.output!.data[o * 24 + j] * h[j];
        scores[o] = s;
        max = Math.max(max, s);
      }
      let z = 0;
      for (let o = 0; o < n; o++) z += Math.exp(scores[o] - max);
      nll += -(scores[ids[i + 1]] - max - Math.log(z));
    }
    nll /= ids.length - 1;
    expect(n).toBeLessThan(512);
    expect(nll).toBeLessThan(Math.log(n) - 0.3);
  });

  it('batched and classic are different updates of the same model', async () => {
    const a = await trainFastText(text, { ...small, epochs: 1 });
    const b = await trainFastText(text, { ...small, epochs: 1, mode: 'classic' });
    expect(fnv1a(a.model.input.data)).not.toBe(fnv1a(b.model.input.data));
    expect(Math.abs(a.stats.finalLoss - b.stats.finalLoss)).toBeLessThan(0.3);
  });

  it('reports progress with the learning rate falling linearly to 0', async () => {
    const seen: { progress: number; learningRate: number; loss: number; epoch: number }[] = [];
    await trainFastText(text, { ...small, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    const last = seen[seen.length - 1];
    expect(last.progress).toBe(1);
    expect(last.epoch).toBe(2);
    expect(last.learningRate).toBeCloseTo(0, 6);
    for (const p of seen) expect(p.learningRate).toBeCloseTo(0.05 * (1 - p.progress), 3);
  });

  it('runs on two threads', async () => {
    const r = await trainFastText(text, { ...small, threads: 2 });
    expect(r.stats.threads).toBe(2);
    expect(r.stats.finalLoss).toBeLessThan(0.75 * 6 * Math.LN2);
  });
});

describe('trainFastText: lifecycle', () => {
  it('stops on abort and returns the model trained so far', async () => {
    const ac = new AbortController();
    const r = await trainFastText(text, {
      ...small,
      epochs: 50,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.epoch >= 2) ac.abort();
      },
    });
    expect(r.stats.aborted).toBe(true);
    expect(r.stats.epochsCompleted).toBeLessThan(50);
    expect(r.model.input.rows).toBe(r.vocabulary.size + 20_000);
  });

  it('an abort before training rejects with ABORTED', async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await code(trainFastText(text, { ...small, signal: ac.signal }))).toMatch(/^ABORTED/);
  });

  it('a diverging learning rate is NUMERIC naming the option to lower', async () => {
    expect(await code(trainFastText(text, { ...small, learningRate: 10 }))).toMatch(
      /^NUMERIC: FastText: training diverged in epoch 1 .*; lower learningRate \(10\)\. No checkpoint was requested\./,
    );
    expect(await code(trainFastText(text, { ...small, lr: 10, mode: 'classic' }))).toMatch(/^NUMERIC: .*lower lr \(10\)/);
  });

  it.each(['batched', 'classic'] as const)('%s: resuming a checkpoint (1 thread) gives the uninterrupted run bit for bit', async (mode) => {
    const o: FastTextOptions = { ...small, mode, epochs: 3 };
    const checkpoints: Uint8Array[] = [];
    const full = await trainFastText(text, { ...o, checkpoint: (c) => void checkpoints.push(c.bytes) });
    expect(checkpoints.length).toBe(3);
    const resumed = await trainFastText(text, { threads: 1, resumeFrom: checkpoints[0] });
    expect(resumed.stats.epochsCompleted).toBe(3);
    expect(fnv1a(resumed.model.input.data)).toBe(fnv1a(full.model.input.data));
    expect(fnv1a(resumed.model.output!.data)).toBe(fnv1a(full.model.output!.data));
    expect(await code(trainFastText(text, { threads: 1, resumeFrom: checkpoints[0], minn: 2 }))).toMatch(
      /^INVALID_OPTION: option minn: got 2, but the checkpoint was trained with 3/,
    );
    expect(await code(trainFastText(text.slice(0, 200_000), { threads: 1, resumeFrom: checkpoints[0] }))).toMatch(
      /^INVALID_OPTION: option resumeFrom: this corpus has/,
    );
  });
});
