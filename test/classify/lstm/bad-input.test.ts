import { describe, it, expect, afterAll } from 'vitest';
import { TextClassifier, Embeddings } from '../../../src/index.js';
import { CLASSIFIER_FORMAT_VERSION } from '../../../src/classify/lstm/model-file.js';
import { parseLabelledTsv } from '../../../src/classify/labelled-tsv.js';
import { rejection } from '../../helpers/errors.js';

const tiny = { vocabSize: 50, minCount: 1, sequenceLength: 6, embeddingDim: 4, lstm: [{ units: 4 }], threads: 1 };
const texts = ['good film', 'bad film', 'great acting', 'awful plot', 'fine', 'poor'];
const labels = [1, 0, 1, 0, 1, 0];
const open: TextClassifier[] = [];
const make = (o: Record<string, unknown> = {}) => {
  const c = new TextClassifier({ ...tiny, ...o });
  open.push(c);
  return c;
};
afterAll(() => {
  for (const c of open) c.dispose();
});

describe('TextClassifier bad input: clear errors, never a hang or a silent wrong answer', () => {
  it('labels that are not 0/1 for a binary classifier, or out of range for multi-class', async () => {
    for (const [bad, shown] of [
      [2, '2'],
      [0.5, '0.5'],
      ['1', '"1"'],
      [-1, '-1'],
      [NaN, 'NaN'],
    ] as const) {
      const e = await rejection(make().fit(texts, [1, 0, 1, bad as number, 1, 0]));
      expect(e.code).toBe('INVALID_OPTION');
      expect(e.message).toBe(`TextClassifier.fit: labels[3] is ${shown}, expected 0 or 1 for a binary classifier (classes: 2)`);
    }
    const e = await rejection(make({ classes: 3 }).fit(texts, [0, 1, 2, 3, 0, 1]));
    expect(e.message).toMatch(/labels\[3\] is 3, expected an integer class in \[0, 2\] \(classes: 3\)/);
  });

  it('texts without words are refused with emptyTexts: "error" (naming the first), non-strings always', async () => {
    const refuse = { emptyTexts: 'error' } as const;
    expect((await rejection(make().fit(['good', '', 'bad'], [1, 0, 0], refuse))).message).toBe(
      "TextClassifier.fit: texts[1] is empty; emptyTexts is 'error'. The default, 'warn', trains on them as all-padding inputs (Keras' pad_sequences of an empty sequence)",
    );
    expect((await rejection(make().fit(['good', '   \t', 'bad', '*'], [1, 0, 0, 1], refuse))).message).toMatch(
      /texts\[1\] is empty \(and 1 more texts without words\)/,
    );
    expect((await rejection(make().fit(['good', '!!! ...', 'bad'], [1, 0, 0], refuse))).message).toMatch(
      /texts\[1\] "!!! ..." has no words \(only punctuation or symbols\)/,
    );
    expect((await rejection(make().fit([[2, 3], []], [1, 0], refuse))).message).toMatch(/texts\[1\] holds no token ids/);
    expect(
      (
        await rejection(
          make().fit(texts, labels, {
            validationData: [
              ['fine', '?!'],
              [1, 0],
            ],
            ...refuse,
          }),
        )
      ).message,
    ).toMatch(/validationData texts\[1\] "\?!" has no words/);
    expect((await rejection(make().fit(texts, labels, { emptyTexts: 'skip' as never }))).message).toMatch(
      /option emptyTexts: got "skip", expected one of 'warn', 'error'/,
    );
    // A refused fit leaves no vocabulary behind.
    const refused = make();
    await rejection(refused.fit(['good', ''], [1, 0], refuse));
    expect(refused.vocabulary).toBeNull();
    expect((await rejection(make().fit(['good', 42 as unknown as string], [1, 0]))).message).toMatch(/texts\[1\] is 42, expected a string/);
    const clf = make();
    await clf.fit(texts, labels);
    expect((await rejection(clf.predict(['fine', 7 as unknown as string]))).message).toMatch(/TextClassifier.predict: texts\[1\] is 7, expected a string/);
    expect((await rejection(make().fit([], []))).message).toMatch(/no texts to train on/);
    expect((await rejection(make().fit(['', '*'], [1, 0]))).message).toMatch(/the training texts contain no words/);
    expect((await rejection(make({ minCount: 2 }).fit(['good film', 'bad plot'], [1, 0]))).message).toBe(
      'TextClassifier.fit: no word occurs minCount=2 times in the training texts (4 distinct words, the most frequent 1 times); lower minCount or train on more texts',
    );
  });

  it('mismatched lengths and wrong types', async () => {
    expect((await rejection(make().fit(texts, [1, 0, 1]))).message).toBe('TextClassifier.fit: 6 texts but 3 labels; they must have the same length');
    const clf = make();
    await clf.fit(texts, labels);
    expect((await rejection(clf.evaluate(texts, labels.slice(1)))).message).toMatch(/6 texts but 5 labels/);
    expect((await rejection(clf.fit('good film' as unknown as string[], [1]))).message).toMatch(/texts must be an array/);
    expect((await rejection(make().fit(texts, labels, { validationData: [texts, [1, 0]] }))).message).toMatch(/validationData: 6 texts but 2 labels/);
  });

  it('a NaN loss stops training with an error naming the batch, before that batch is applied', async () => {
    const clf = make({ seed: 2 });
    await clf.fit(texts, labels, { epochs: 1 }); // builds the vocabulary
    const w = await clf.getWeights();
    // Poison the embedding row of a word that only the 5th text has: batch 3 of 3 (batch size 2, no shuffle).
    const row = clf.vocabulary!.id('fine') + 2;
    const emb = w[0].values.slice();
    emb.fill(Infinity, row * 4, row * 4 + 4);
    await clf.setWeights([emb, ...w.slice(1).map((t) => t.values)]);
    const e = await rejection(clf.fit(texts, labels, { epochs: 1, batchSize: 2, shuffle: false }));
    expect(e.code).toBe('NUMERIC');
    expect(e.message).toMatch(/the loss is NaN in epoch 1, batch 3 of 3 \(rows 4–5/);
    expect(e.message).toMatch(/Lower learningRate/);
    const after = await clf.getWeights();
    for (const t of after.slice(1)) expect(Array.from(t.values).every(Number.isFinite)).toBe(true);
  });

  it('a model file of another version, another format, or damaged', async () => {
    const clf = make();
    await clf.fit(texts, labels);
    const bytes = await clf.toBytes();
    const newer = bytes.slice();
    new DataView(newer.buffer).setUint32(8, CLASSIFIER_FORMAT_VERSION + 1, true);
    let e = await rejection(TextClassifier.load(newer));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toBe(
      `TextClassifier.load: the model bytes is a text classifier file of format version ${CLASSIFIER_FORMAT_VERSION + 1}, ` +
        `but this wasm2vec reads version ${CLASSIFIER_FORMAT_VERSION}; upgrade wasm2vec`,
    );
    e = await rejection(TextClassifier.load(new TextEncoder().encode('2 3\nthe 0.1 0.2 0.3\n')));
    expect(e.code).toBe('BAD_FORMAT');
    expect(e.message).toMatch(/not a wasm2vec text classifier file \(it should start with "W2VLSTMC", it starts with "2 3\?the /);
    e = await rejection(TextClassifier.load(bytes.subarray(0, bytes.length - 10)));
    expect(e.message).toMatch(/truncated/);
    const broken = bytes.slice();
    broken[17] = 0x7d; // the header now reads {}format"... : not JSON
    e = await rejection(TextClassifier.load(broken));
    expect(e.message).toMatch(/broken header/);
    e = await rejection(TextClassifier.load('/nonexistent/model.w2vc'));
    expect(e.code).toBe('IO');
    expect(e.message).toMatch(/cannot read \/nonexistent\/model.w2vc/);
  });

  it('bad constructor and fit options name the option and the accepted values', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ vocabSize: 2 }, /option vocabSize: got 2, expected an integer in \[3, /],
      [{ classes: 1 }, /option classes: got 1/],
      [{ lstm: [] }, /option lstm: got \[object Array\], expected a non-empty array/],
      [{ lstm: [{ units: 8, returnSequences: false }, { units: 4 }] }, /lstm\[0\].returnSequences: got false, expected true: a stacked LSTM/],
      [{ lstm: [{ units: 8, returnSequences: true }] }, /lstm\[0\].returnSequences: got true, expected false on the last layer/],
      [{ lstm: [{ units: 0 }] }, /lstm\[0\].units: got 0/],
      [{ threads: 0 }, /option threads: got 0/],
      [{ minCount: 0 }, /option minCount: got 0, expected an integer in \[1, /],
      [{ minCount: 1.5 }, /option minCount: got 1.5/],
      [{ pretrained: new Embeddings(['a'], new Float32Array(3), 3) }, /option pretrained: got "Embeddings of dim 3", expected vectors of embeddingDim 4/],
      [{ dropout: 0.5 }, /unknown option "dropout"/],
    ];
    for (const [o, re] of cases) expect(() => new TextClassifier({ ...tiny, ...o })).toThrow(re);
    const clf = make();
    const fitCases: [Record<string, unknown>, RegExp][] = [
      [{ epochs: 0 }, /option epochs: got 0/],
      [{ batchSize: 0 }, /option batchSize: got 0/],
      [{ validationSplit: 1.5 }, /option validationSplit: got 1.5/],
      [{ validationSplit: 0.2, validationData: [texts, labels] }, /validationSplit or validationData, not both/],
      [{ earlyStopping: { monitor: 'valLoss' } }, /earlyStopping.monitor: "valLoss" needs validation data/],
      [{ verbose: 1 }, /unknown option "verbose"/],
    ];
    for (const [o, re] of fitCases) await expect(clf.fit(texts, labels, o)).rejects.toThrow(re);
  });

  it('predicting texts before any training, ids out of range, overlapping calls, use after dispose', async () => {
    expect((await rejection(make().predict(['good']))).message).toMatch(/no vocabulary yet; call fit with texts first/);
    expect(
      (
        await rejection(
          make().fit(
            [
              [2, 3],
              [4, 50],
            ],
            [1, 0],
          ),
        )
      ).message,
    ).toMatch(/texts\[1\]\[1\] is 50, expected a token id in \[0, 49\]/);
    const clf = make();
    const first = clf.fit(texts, labels, { epochs: 2 });
    expect((await rejection(clf.predict(['good']))).message).toMatch(/another fit, evaluate or predict call on this classifier is still running/);
    await first;
    clf.dispose();
    expect((await rejection(clf.predict(['good']))).message).toMatch(/this classifier was disposed/);
  });

  it('more memory than wasm32 has is refused up front, in words', async () => {
    const e = await rejection(make({ vocabSize: 5_000_000, embeddingDim: 64 }).fit(texts, labels));
    expect(e.code).toBe('MEMORY_LIMIT');
    expect(e.message).toMatch(
      /TextClassifier needs .* GiB .* wasm32 memory is capped at 4 GiB; largest parts: embedding .*vocabulary 5,000,000 × embedding 64/,
    );
  });

  it('TSV files: missing columns and bad labels name the line', () => {
    expect(() => parseLabelledTsv('lbl\ttext\n1\tgood\n', 'a.tsv')).toThrow('a.tsv:1: no "label" column in the header (columns: "lbl", "text")');
    expect(() => parseLabelledTsv('label\ttext\n1\tgood\nx\tbad\n', 'a.tsv')).toThrow('a.tsv:3: label is "x", expected an integer');
  });
});
