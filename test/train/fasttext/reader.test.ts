import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { FastTextReader, readFastText } from '../../../src/train/fasttext/reader.js';
import type { FastTextModel } from '../../../src/train/fasttext/model.js';
import { ngrams, wordRows, wordVector } from '../../../src/train/fasttext/word-vectors.js';
import { rejection } from '../../helpers/errors.js';
import { MODELS, fixture, fixtureWords, formatG5, fullPredictions, fullVectors, hex, printedLines } from './fixtures.js';
import { predictReference } from './predict-reference.js';

const cache = new Map<string, Promise<FastTextModel>>();
const load = (file: string) => {
  if (!cache.has(file)) cache.set(file, readFastText(fixture(file)));
  return cache.get(file)!;
};

const ARG_NAMES: Record<string, string> = { sg: 'skipgram', cbow: 'cbow', sup: 'supervised', 'one-vs-all': 'ova' };

describe('fastText .bin/.ftz reader: word vectors as Debian fastText 0.9.2 computes them', () => {
  for (const m of MODELS) {
    it(`${m.file}: every word (in vocabulary, OOV, non-ASCII, not UTF-8, EOS) bit for bit as fastText's get_word_vector, printed as print-word-vectors prints`, async () => {
      const model = await load(m.file);
      const words = fixtureWords();
      const full = fullVectors(m.stem);
      const printed = printedLines(`${m.stem}.print-word-vectors.txt`);
      expect(full.length).toBe(words.length);
      expect(printed.length).toBe(words.length);
      let oov = 0;
      for (let i = 0; i < words.length; i++) {
        expect(full[i].hex).toBe(hex(words[i]));
        expect(hex(printed[i].word)).toBe(hex(words[i]));
        const { vector, rows, inVocabulary } = wordVector(model, words[i]);
        if (!inVocabulary) oov++;
        // fastText's float32 order (sum of rows, then × float32(1/n)) gives the same bits.
        expect(Array.from(vector), `word ${i} ${new TextDecoder().decode(words[i])}`).toEqual(full[i].vector);
        expect(Array.from(vector, formatG5)).toEqual(printed[i].values);
        expect(rows).toBe(wordRows(model, words[i]).length);
        if (rows === 0) expect(vector.every((v) => v === 0)).toBe(true);
      }
      expect(oov).toBeGreaterThan(5);
    });

    it(`${m.file}: args as \`fasttext dump ... args\` prints them`, async () => {
      const model = await load(m.file);
      const dumped = Object.fromEntries(
        readFileSync(fixture(`${m.stem}.args.txt`), 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' ')),
      );
      const a = model.args;
      for (const k of ['dim', 'ws', 'epoch', 'minCount', 'neg', 'wordNgrams', 'bucket', 'minn', 'maxn', 'lrUpdateRate'] as const) {
        expect(a[k], k).toBe(Number(dumped[k]));
      }
      expect(a.t).toBeCloseTo(Number(dumped.t), 12);
      expect(a.model).toBe(ARG_NAMES[dumped.model] ?? dumped.model);
      expect(a.loss).toBe(ARG_NAMES[dumped.loss] ?? dumped.loss);
    });
  }

  for (const file of ['skipgram.bin', 'cbow-hs.bin']) {
    it(`${file}: ngrams() lists what \`fasttext print-ngrams\` prints, in its order, with the same rows`, async () => {
      const model = await load(file);
      const lines = printedLines(`${file.replace('.bin', '')}.print-ngrams.txt`);
      let at = 0;
      for (const word of ['king', 'naïve', '😀', 'unfathomably', '</s>']) {
        const list = ngrams(model, word);
        expect(list.length).toBeGreaterThan(0);
        for (const g of list) {
          const line = lines[at++];
          expect(new TextDecoder().decode(line.word)).toBe(g.text);
          const v = new Float32Array(model.args.dim);
          model.input.addRowToVector(v, g.row!);
          expect(Array.from(v, formatG5)).toEqual(line.values);
        }
        expect(list.map((g) => g.row)).toEqual(wordRows(model, word));
      }
      expect(at).toBe(lines.length);
      expect(ngrams(model, 'king')[0]).toEqual({ text: 'king', kind: 'word', bucket: null, row: model.dictionary.id('king') });
      expect(ngrams(model, '</s>')).toEqual([{ text: '</s>', kind: 'word', bucket: null, row: model.dictionary.id('</s>') }]);
    });
  }

  it('a pruned .ftz: dropped n-grams are listed with row null, and a word with no rows left gets zeros and rows 0', async () => {
    const model = await load('supervised.ftz');
    expect(model.dictionary.pruneidxSize).toBeGreaterThan(0);
    expect(model.dictionary.nwords).toBe(109);
    const list = ngrams(model, 'wasm2vecification');
    expect(list.some((g) => g.row === null)).toBe(true);
    expect(list.filter((g) => g.row !== null).map((g) => g.row)).toEqual(wordRows(model, 'wasm2vecification'));
    // Find an OOV word all of whose n-grams were pruned: fastText prints zeros for it.
    let empty = '';
    for (let i = 0; i < 2000 && !empty; i++) {
      const w = `q${i.toString(36)}z`;
      if (wordRows(model, w).length === 0) empty = w;
    }
    expect(empty).not.toBe('');
    const r = wordVector(model, empty);
    expect(r.rows).toBe(0);
    expect(r.inVocabulary).toBe(false);
    expect(r.vector.every((v) => v === 0)).toBe(true);
  });

  it('the invalid-UTF-8 entry (Latin-1 "caf\\xe9") is found by its bytes and by its U+FFFD decoding, and hashes its raw bytes', async () => {
    const model = await load('skipgram.bin');
    const raw = new Uint8Array([0x63, 0x61, 0x66, 0xe9]);
    const id = model.dictionary.id(raw);
    expect(id).toBeGreaterThanOrEqual(0);
    expect(model.dictionary.id('caf\ufffd')).toBe(id);
    expect(model.dictionary.id('café')).not.toBe(id);
    expect(Array.from(model.dictionary.bytes(id))).toEqual(Array.from(raw));
    expect(wordVector(model, 'caf\ufffd').vector).toEqual(wordVector(model, raw).vector);
  });
});

describe('fastText supervised models: what a predictor needs, checked against `fasttext predict-prob`', () => {
  const sentences = readFileSync(fixture('sentences.txt'), 'utf8').split('\n').slice(0, -1);
  for (const m of MODELS.filter((x) => x.supervised)) {
    it(`${m.file}: labels and probabilities equal fastText's to 1e-5`, async () => {
      const model = await load(m.file);
      const full = fullPredictions(m.stem);
      const printed = readFileSync(fixture(`${m.stem}.predict-prob.txt`), 'utf8')
        .split('\n')
        .slice(0, -1);
      expect(full.length).toBe(sentences.length);
      expect(printed.length).toBe(sentences.length);
      let worst = 0;
      for (let i = 0; i < sentences.length; i++) {
        const want = full[i].predictions;
        const got = predictReference(model, sentences[i], want.length < model.dictionary.nlabels ? 10 : -1);
        expect(got.length).toBe(want.length);
        const tokens = printed[i].split(' ');
        for (let j = 0; j < want.length; j++) {
          const [label, p] = want[j];
          expect(got[j].label, `sentence ${i} rank ${j}`).toBe(label);
          worst = Math.max(worst, Math.abs(got[j].probability - p));
          expect(tokens[2 * j]).toBe(label);
          expect(Math.abs(got[j].probability - Number(tokens[2 * j + 1]))).toBeLessThan(1e-5);
        }
      }
      expect(worst).toBeLessThan(1e-5);
    });
  }
});

describe('fastText reader: sources and memory', () => {
  const bytes = new Uint8Array(readFileSync(fixture('skipgram.bin')));

  const floatBytes = (m: FastTextModel['input'] | null) => {
    if (m?.kind !== 'dense') throw new Error('expected a dense matrix');
    return Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength);
  };
  async function same(model: FastTextModel) {
    const ref = await load('skipgram.bin');
    expect(model.dictionary.words).toEqual(ref.dictionary.words);
    expect(Array.from(model.dictionary.counts)).toEqual(Array.from(ref.dictionary.counts));
    expect(floatBytes(model.input).equals(floatBytes(ref.input))).toBe(true);
    expect(floatBytes(model.output).equals(floatBytes(ref.output))).toBe(true);
  }

  it('reads the same model from a path, bytes, an ArrayBuffer, a Blob, a Response, a web stream, gzip, and 1-7 byte chunks', async () => {
    await same(await readFastText(bytes));
    await same(await readFastText(bytes.slice().buffer));
    await same(await readFastText(new Blob([bytes])));
    await same(await readFastText(new Response(bytes)));
    await same(await readFastText(new Blob([bytes]).stream()));
    await same(await readFastText(gzipSync(bytes)));
    async function* tiny() {
      let o = 0;
      for (let n = 1; o < bytes.length; n = (n % 7) + 1) {
        yield bytes.slice(o, o + n);
        o += n;
      }
    }
    await same(await readFastText(tiny()));
  });

  it('plans memory before reading, and fills caller-provided storage (a WebAssembly memory) without a copy', async () => {
    const reader = await FastTextReader.open(fixture('skipgram.bin'));
    const d = reader.dictionary;
    expect(reader.plan.input).toEqual({ kind: 'dense', rows: d.nwords + reader.args.bucket, dim: 16, bytes: (d.nwords + 5000) * 16 * 4 });
    expect(reader.plan.output).toEqual({ kind: 'dense', rows: d.nwords, dim: 16, bytes: d.nwords * 64 });
    const memory = new WebAssembly.Memory({ initial: Math.ceil(reader.plan.bytes / 65536) + 1 });
    let offset = 1024;
    const asked: string[] = [];
    await reader.close();
    const r2 = await FastTextReader.open(fixture('skipgram.bin'), {
      allocate: (matrix, { rows, dim }) => {
        asked.push(`${matrix} ${rows}x${dim}`);
        const view = new Float32Array(memory.buffer, offset, rows * dim);
        offset += rows * dim * 4;
        return view;
      },
    });
    const m2 = await r2.read();
    expect(asked).toEqual([`input ${d.nwords + 5000}x16`, `output ${d.nwords}x16`]);
    expect(m2.input.kind === 'dense' && m2.input.data.buffer).toBe(memory.buffer);
    await same(m2);
  });

  it('{ output: false } skips the output matrix; the word vectors are unchanged', async () => {
    const reader = await FastTextReader.open(fixture('skipgram.bin'), { output: false });
    expect(reader.plan.output).toBeNull();
    const model = await reader.read();
    expect(model.output).toBeNull();
    const ref = await load('skipgram.bin');
    expect(wordVector(model, 'unfathomably').vector).toEqual(wordVector(ref, 'unfathomably').vector);
  });

  it('an aborted signal stops the load with ABORTED', async () => {
    const ctl = new AbortController();
    ctl.abort();
    expect((await rejection(readFastText(fixture('skipgram.bin'), { signal: ctl.signal }))).code).toBe('ABORTED');
    const late = new AbortController();
    const reader = await FastTextReader.open(new Blob([bytes]).stream(), { signal: late.signal });
    late.abort();
    expect((await rejection(reader.read())).code).toBe('ABORTED');
  });

  it('allocate must return rows × dim floats', async () => {
    const r = await FastTextReader.open(fixture('skipgram.bin'), { allocate: () => new Float32Array(3) });
    const e = await rejection(r.read());
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(/input matrix .*must return a Float32Array of \d+ floats, got one of 3/);
  });
});
