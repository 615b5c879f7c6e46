import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextClassifier, Embeddings } from '../../../src/index.js';
import { padSequences, SequenceEncoder } from '../../../src/classify/lstm/sequences.js';
import { parseLabelledTsv, splitByFold } from '../../../src/classify/labelled-tsv.js';
import { EarlyStopping } from '../../../src/classify/lstm/training-history.js';
import { main } from '../../../src/cli.js';
import { repoData } from '../../helpers/data.js';

const tmp = mkdtempSync(join(tmpdir(), 'wasm2vec-clf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const mrPath = repoData('en-mr-polarity/mr.tsv');
const mr = parseLabelledTsv(readFileSync(mrPath, 'utf8'), mrPath);
// 400 positive then 400 negative snippets.
const idx = [...Array(400).keys(), ...Array.from({ length: 400 }, (_, i) => 5331 + i)];
const texts = idx.map((i) => mr.texts[i]);
const labels = idx.map((i) => mr.labels[i]);
const tiny = { vocabSize: 2000, sequenceLength: 20, embeddingDim: 8, lstm: [{ units: 8 }], seed: 3, threads: 2 };

describe('sequences (Keras pad_sequences and Tokenizer conventions)', () => {
  it('pads and truncates at the front', () => {
    expect(Array.from(padSequences([[1, 2, 3], [4, 5, 6, 7, 8, 9], []], 4))).toEqual([0, 1, 2, 3, 6, 7, 8, 9, 0, 0, 0, 0]);
  });

  it('ids: 0 padding, 1 out-of-vocabulary, words from 2 by frequency; vocabSize caps the words', () => {
    const enc = SequenceEncoder.fit(['b a b d', 'a b c'], 5, 6, { lowercase: true, locale: 'zh' });
    // b ×3, a ×2, then d and c tie at 1: UTF-16 order (c), not first occurrence (d), wins the last of vocabSize - 2 = 3 slots.
    expect(enc.vocabulary.words).toEqual(['b', 'a', 'c']);
    expect(Array.from(enc.encode(['A b, D!', 'c c c c c c c c'], 'texts'))).toEqual([0, 0, 0, 3, 2, 1, 4, 4, 4, 4, 4, 4]);
    // A text without words is all padding (Keras' pad_sequences of an empty sequence).
    expect(Array.from(enc.encode(['', ' * '], 'texts'))).toEqual(Array(12).fill(0));
  });

  it('minCount: words seen fewer times stay out of the vocabulary and map to OOV', () => {
    const enc = SequenceEncoder.fit(['b a b d', 'a b c'], 100, 4, { lowercase: true, locale: 'zh' }, 2);
    expect(enc.vocabulary.words).toEqual(['b', 'a']);
    expect(Array.from(enc.encode(['c a d b'], 'texts'))).toEqual([1, 3, 1, 2]);
  });

  it('segments Chinese into words with the library tokenizer', () => {
    const enc = SequenceEncoder.fit(['我爱北京天安门', '北京很好'], 10, 4, { lowercase: true, locale: 'zh' });
    expect(enc.vocabulary.words).toContain('北京');
    expect(enc.tokenIds('北京')).toEqual([enc.vocabulary.id('北京') + 2]);
  });
});

describe('TextClassifier', () => {
  it('binary: fit returns a Keras-like history, predict a Float32Array of P(1), evaluate loss and accuracy', async () => {
    const clf = new TextClassifier(tiny);
    try {
      const epochs: number[] = [];
      let batches = 0;
      const fit = await clf.fit(texts, labels, {
        epochs: 2,
        batchSize: 50,
        validationSplit: 0.25,
        onEpochEnd: (h) => {
          epochs.push(h.epoch);
        },
        onBatchEnd: (b) => {
          batches++;
          expect(b.batches).toBe(12);
        },
      });
      expect(epochs).toEqual([1, 2]);
      expect(batches).toBe(24);
      expect(Object.keys(fit.history[0]).sort()).toEqual(['accuracy', 'epoch', 'loss', 'seconds', 'valAccuracy', 'valLoss']);
      // validationSplit holds out the END of the data (before shuffling), like Keras: here 200 negatives,
      // which the result says, since valAccuracy then measures one class only.
      expect(fit.warnings).toEqual([
        {
          code: 'SINGLE_CLASS_VALIDATION',
          count: 200,
          indices: Array.from({ length: 10 }, (_, k) => 600 + k),
          message: expect.stringMatching(
            /^validationSplit held out the last 200 texts \(from \[600\]\), and all of them have label 0 while training has 2 classes/,
          ),
        },
      ]);
      const heldOut = await clf.evaluate(texts.slice(600), labels.slice(600));
      expect(heldOut.loss).toBe(fit.history[1].valLoss);
      expect(heldOut.accuracy).toBe(fit.history[1].valAccuracy);
      const p = await clf.predict(['an absolute delight , warm and funny', 'dull , lifeless and far too long']);
      expect(p).toBeInstanceOf(Float32Array);
      expect(p.length).toBe(2);
      for (const x of p as Float32Array) expect(x > 0 && x < 1).toBe(true);
      expect(clf.vocabulary!.size).toBeGreaterThan(1000);
      expect(clf.epochs).toBe(2);
      // A second fit continues from the trained weights (Adam's step count carries on).
      const before = (await clf.getWeights())[1].values;
      await clf.fit(texts.slice(0, 64), labels.slice(0, 64), { epochs: 1 });
      expect((await clf.getWeights())[1].values).not.toEqual(before);
      expect(clf.epochs).toBe(3);
    } finally {
      clf.dispose();
    }
  });

  it('multi-class: softmax rows that sum to 1, learns a 3-class task', async () => {
    const words = ['alpha', 'beta', 'gamma'];
    const filler = ['the', 'a', 'of', 'and', 'it', 'is', 'was', 'this'];
    const xs: string[] = [],
      ys: number[] = [];
    for (let i = 0; i < 300; i++) {
      const y = i % 3;
      xs.push(`${filler[i % 8]} ${filler[(i * 5) % 8]} ${words[y]} ${filler[(i * 3) % 8]}`);
      ys.push(y);
    }
    const clf = new TextClassifier({ ...tiny, classes: 3, sequenceLength: 6, learningRate: 0.01 });
    try {
      await clf.fit(xs, ys, { epochs: 8, batchSize: 16 });
      const ev = await clf.evaluate(xs, ys);
      expect(ev.accuracy).toBeGreaterThan(0.95);
      const rows = (await clf.predict(['it is beta', 'gamma of the'])) as Float32Array[];
      expect(rows.length).toBe(2);
      for (const r of rows) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(rows[0].indexOf(Math.max(...rows[0]))).toBe(1);
      expect(rows[1].indexOf(Math.max(...rows[1]))).toBe(2);
    } finally {
      clf.dispose();
    }
  });

  it('save → load (path and bytes) restores config, vocabulary and predictions bit for bit', async () => {
    const clf = new TextClassifier({ ...tiny, lstm: [{ units: 6, returnSequences: true }, { units: 5 }] });
    const file = join(tmp, 'model.w2vc');
    try {
      await clf.fit(texts, labels, { epochs: 1 });
      await clf.save(file);
      const expected = await clf.predict(texts.slice(0, 40));
      const fromPath = await TextClassifier.load(file, { threads: 1 });
      const fromBytes = await TextClassifier.load(readFileSync(file));
      try {
        for (const loaded of [fromPath, fromBytes]) {
          expect(loaded.config).toEqual(clf.config);
          expect(loaded.vocabulary!.words).toEqual(clf.vocabulary!.words);
          expect(loaded.epochs).toBe(1);
          expect(await loaded.predict(texts.slice(0, 40))).toEqual(expected);
        }
        expect(await fromBytes.getWeights()).toEqual(await clf.getWeights());
        // A loaded model trains on.
        await fromPath.fit(texts.slice(0, 64), labels.slice(0, 64), { epochs: 1 });
        expect(fromPath.epochs).toBe(2);
      } finally {
        fromPath.dispose();
        fromBytes.dispose();
      }
    } finally {
      clf.dispose();
    }
  });

  it('pretrained embeddings fill the vocabulary rows (zeros elsewhere) and stay fixed when frozen', async () => {
    const dim = tiny.embeddingDim;
    const vecWords = ['film', 'movie', 'not-in-the-data'];
    const vectors = Float32Array.from({ length: vecWords.length * dim }, (_, i) => (i % 7) / 10 + 0.05);
    const pretrained = new Embeddings(vecWords, vectors, dim);
    const clf = new TextClassifier({ ...tiny, pretrained, trainEmbeddings: false });
    try {
      await clf.fit(texts, labels, { epochs: 1 });
      const emb = (await clf.getWeights())[0].values;
      const row = (id: number) => Array.from(emb.subarray(id * dim, (id + 1) * dim));
      const film = clf.vocabulary!.id('film') + 2;
      expect(row(film)).toEqual(Array.from(pretrained.vector('film')));
      expect(row(clf.vocabulary!.id('movie') + 2)).toEqual(Array.from(pretrained.vector('movie')));
      expect(row(0)).toEqual(Array(dim).fill(0));
      expect(row(1)).toEqual(Array(dim).fill(0));
      expect(row(clf.vocabulary!.id('the') + 2)).toEqual(Array(dim).fill(0));
    } finally {
      clf.dispose();
    }
  });

  it('takes token-id sequences as input too', async () => {
    const ids = texts.map((_, i) => [2 + (i % 50), 2 + ((i * 7) % 50), labels[i] === 1 ? 60 : 61]);
    const clf = new TextClassifier({ ...tiny, vocabSize: 100, sequenceLength: 5, learningRate: 0.01 });
    try {
      await clf.fit(ids, labels, { epochs: 3 });
      expect(clf.vocabulary).toBeNull();
      expect((await clf.evaluate(ids, labels)).accuracy).toBe(1);
      await expect(clf.predict(['some text'])).rejects.toThrow(/trained on token-id sequences/);
    } finally {
      clf.dispose();
    }
  });

  it('early stopping on valLoss stops, and restoreBestWeights puts back the best epoch', async () => {
    const clf = new TextClassifier({ ...tiny, learningRate: 0.01 });
    try {
      const fit = await clf.fit(texts, labels, {
        epochs: 12,
        validationSplit: 0.2,
        earlyStopping: { monitor: 'valLoss', patience: 1, restoreBestWeights: true },
      });
      expect(fit.stoppedEarly).toBe(true);
      expect(fit.history.length).toBeLessThan(12);
      const valLosses = fit.history.map((h) => h.valLoss!);
      expect(fit.bestEpoch).toBe(valLosses.indexOf(Math.min(...valLosses)) + 1);
      expect(fit.history.length).toBe(fit.bestEpoch! + 1);
      const ev = await clf.evaluate(texts.slice(640), labels.slice(640));
      expect(ev.loss).toBe(fit.history[fit.bestEpoch! - 1].valLoss);
    } finally {
      clf.dispose();
    }
  });

  it('the fit seed picks the shuffling: same seed same weights, another seed other weights', async () => {
    const weightsAfter = async (seed?: number) => {
      const clf = new TextClassifier(tiny);
      try {
        await clf.fit(texts.slice(0, 96), labels.slice(0, 96), { epochs: 1, batchSize: 16, seed });
        return (await clf.getWeights())[1].values;
      } finally {
        clf.dispose();
      }
    };
    const a = await weightsAfter(9);
    expect(await weightsAfter(9)).toEqual(a);
    expect(await weightsAfter()).not.toEqual(a);
  });

  it('EarlyStopping follows Keras: min for losses, max for accuracies, minDelta, patience', () => {
    const s = new EarlyStopping({ monitor: 'valAccuracy', patience: 2, minDelta: 0.01 }, true);
    const log = (epoch: number, valAccuracy: number) => ({ epoch, loss: 0, accuracy: 0, valAccuracy, valLoss: 0, seconds: 0 });
    expect(s.update(log(1, 0.7))).toEqual({ improved: true, stop: false });
    expect(s.update(log(2, 0.705))).toEqual({ improved: false, stop: false }); // below minDelta
    expect(s.update(log(3, 0.72))).toEqual({ improved: true, stop: false });
    expect(s.update(log(4, 0.6))).toEqual({ improved: false, stop: false });
    expect(s.update(log(5, 0.6))).toEqual({ improved: false, stop: true });
    expect(s.bestEpoch).toBe(3);
  });

  it('setWeights takes Keras-ordered tensors; abort stops fit between batches', async () => {
    const clf = new TextClassifier(tiny);
    try {
      const w = await clf.getWeights();
      expect(w.map((t) => `${t.name} [${t.shape.join(',')}]`)).toEqual([
        'embedding/embeddings [2000,8]',
        'lstm_0/kernel [8,32]',
        'lstm_0/recurrent_kernel [8,32]',
        'lstm_0/bias [32]',
        'dense/kernel [8,1]',
        'dense/bias [1]',
      ]);
      const zero = w.map((t) => new Float32Array(t.values.length));
      await clf.setWeights(zero);
      const ids = [[2, 3, 4], [5]];
      expect(Array.from((await clf.predict(ids)) as Float32Array)).toEqual([0.5, 0.5]);
      const ac = new AbortController();
      let seen = 0;
      await expect(
        clf.fit(texts, labels, {
          epochs: 3,
          signal: ac.signal,
          onBatchEnd: () => {
            if (++seen === 3) ac.abort();
          },
        }),
      ).rejects.toMatchObject({ code: 'ABORTED', message: expect.stringMatching(/epoch 1, batch 4/) });
    } finally {
      clf.dispose();
    }
  });
});

describe('wasm2vec classify (CLI)', () => {
  const run = async (argv: string[]) => {
    let out = '',
      err = '';
    const code = await main(argv, {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += s;
      },
      tty: false,
    });
    return { code, out, err };
  };

  it('train with a held-out fold, eval on it, predict texts', async () => {
    const tsv = join(tmp, 'small.tsv');
    const { train, test } = splitByFold(mr, 0);
    const sample = (rows: typeof train, n: number) =>
      rows.texts
        .slice(0, n)
        .map((t, i) => `${rows.labels[i]}\t${rows.folds![i]}\t${t}`)
        .concat(rows.texts.slice(-n).map((t, i) => `${rows.labels[rows.labels.length - n + i]}\t${rows.folds![rows.folds!.length - n + i]}\t${t}`));
    writeFileSync(tsv, ['label\tfold\ttext', ...sample(train, 300), ...sample(test, 50)].join('\n') + '\n');
    const model = join(tmp, 'cli.w2vc');
    const t = await run([
      'classify',
      'train',
      tsv,
      '-o',
      model,
      '--test-fold',
      '0',
      '--epochs',
      '2',
      '--units',
      '8',
      '--embedding-dim',
      '8',
      '--seq-len',
      '20',
      '--vocab-size',
      '3000',
      '--threads',
      '1',
      '--json',
    ]);
    expect(t.err).toBe('');
    expect(t.code).toBe(0);
    const report = JSON.parse(t.out);
    expect(report.examples).toBe(600);
    expect(report.history.length).toBe(2);
    const e = await run(['classify', 'eval', model, tsv, '--fold', '0', '--json']);
    expect(e.code).toBe(0);
    expect(JSON.parse(e.out)).toMatchObject({ examples: 100, accuracy: report.history[1].valAccuracy, loss: report.history[1].valLoss });
    const textFile = join(tmp, 'texts.txt');
    writeFileSync(textFile, 'a wonderful film\nboring\n');
    const p = await run(['classify', 'predict', model, textFile]);
    expect(p.code).toBe(0);
    expect(p.out).toMatch(/^[01]\t0\.\d{6}\n[01]\t0\.\d{6}\n$/);
    const bad = await run(['classify', 'frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown subcommand "frobnicate"/);
  });
});
