import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DenseMatrix } from '../../../src/train/fasttext/dense-matrix.js';
import { FastTextDictionary } from '../../../src/train/fasttext/dictionary.js';
import { readFastText } from '../../../src/train/fasttext/reader.js';
import { fastTextBytes, saveFastText } from '../../../src/train/fasttext/writer.js';
import { wordVector } from '../../../src/train/fasttext/word-vectors.js';
import { syncError, rejection } from '../../helpers/errors.js';
import { MODELS, fixture, fixtureWords, formatG5, parsePrinted, byteLines } from './fixtures.js';
import { syntheticSkipgram, syntheticSupervised } from './synthetic-models.js';

const hasFastText = (() => {
  try {
    execFileSync('fasttext', [], { stdio: 'ignore' });
    return true;
  } catch (e) {
    // fastText prints its usage and exits 1 when run without arguments; ENOENT means it is not installed.
    return (e as { code?: string }).code !== 'ENOENT';
  }
})();

describe('fastText writer', () => {
  for (const m of MODELS) {
    it(`${m.file}: read then written back is byte-identical`, async () => {
      const bytes = new Uint8Array(readFileSync(fixture(m.file)));
      const model = await readFastText(bytes);
      const out = fastTextBytes(model);
      expect(out.length).toBe(bytes.length);
      expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('writes the in-memory synthetic models to exactly the bytes fastText read for the committed outputs', () => {
    // The reader test checks our vectors and predictions against what fastText printed for these files.
    expect(Buffer.from(fastTextBytes(syntheticSkipgram())).equals(readFileSync(fixture('synthetic-skipgram.bin')))).toBe(true);
    expect(Buffer.from(fastTextBytes(syntheticSupervised())).equals(readFileSync(fixture('synthetic-supervised.bin')))).toBe(true);
  });

  it('saves to a path (atomically) and to a Blob; both read back to the same model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2v-ft-'));
    try {
      const model = syntheticSkipgram();
      const path = join(dir, 'model.bin');
      await saveFastText(model, path);
      const blob = await saveFastText(model, Blob);
      const fromFile = new Uint8Array(readFileSync(path));
      expect(Buffer.from(new Uint8Array(await blob!.arrayBuffer())).equals(Buffer.from(fromFile))).toBe(true);
      const back = await readFastText(path);
      expect(wordVector(back, 'naïve').vector).toEqual(wordVector(model, 'naïve').vector);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasFastText)('a model edited in memory and saved loads in the installed fastText, which prints our vectors', async () => {
    const base = await readFastText(fixture('skipgram.bin'));
    if (base.input.kind !== 'dense') throw new Error('expected dense');
    // New weights (so the file is not a copy of one fastText wrote) and a dictionary with one word renamed.
    const data = base.input.data.map((v, i) => v * 0.5 + ((i % 7) - 3) / 64);
    const words = base.dictionary.words.map((w) => (w === 'king' ? 'kingly' : w));
    const dictionary = new FastTextDictionary({
      words,
      counts: base.dictionary.counts,
      nwords: base.dictionary.nwords,
      nlabels: 0,
      ntokens: base.dictionary.ntokens,
    });
    const model = { ...base, dictionary, input: new DenseMatrix(base.input.rows, base.input.dim, data) };
    const dir = mkdtempSync(join(tmpdir(), 'w2v-ft-'));
    try {
      const path = join(dir, 'edited.bin');
      await saveFastText(model, path);
      const words = fixtureWords();
      const input = Buffer.concat([...words.map((w) => Buffer.concat([Buffer.from(w), Buffer.from('\n')])), Buffer.from('kingly\n')]);
      const printed = byteLines(new Uint8Array(execFileSync('fasttext', ['print-word-vectors', path], { input }))).map(parsePrinted);
      expect(printed.length).toBe(words.length + 1);
      for (const p of printed) expect(Array.from(wordVector(model, p.word).vector, formatG5)).toEqual(p.values);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a model fastText could not load: a missing output matrix, wrong shapes, a pruned dense input', async () => {
    const sg = syntheticSkipgram();
    expect(syncError(() => fastTextBytes({ ...sg, output: null })).message).toMatch(/output matrix is missing/);
    const wrong = new DenseMatrix(sg.input.rows - 1, sg.args.dim, new Float32Array((sg.input.rows - 1) * sg.args.dim));
    expect(syncError(() => fastTextBytes({ ...sg, input: wrong })).message).toMatch(/input matrix is 105 × 5, expected 106/);
    expect(syncError(() => fastTextBytes({ ...sg, args: { ...sg.args, dim: 6 } })).message).toMatch(/expected 106 .*× args.dim 6/);
    const pruned = new FastTextDictionary({
      words: [...sg.dictionary.words],
      counts: sg.dictionary.counts,
      nwords: 9,
      nlabels: 0,
      ntokens: 1,
      prune: { keys: new Int32Array([3]), values: new Int32Array([0]) },
    });
    const e = syncError(() => fastTextBytes({ ...sg, dictionary: pruned, input: new DenseMatrix(10, 5, new Float32Array(50)) }));
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toMatch(/pruned dictionary needs a quantized input matrix/);
    const bad = await rejection(saveFastText({ ...sg, args: { ...sg.args, loss: 'nope' as never } }, Blob));
    expect(bad.message).toMatch(/args.loss "nope"/);
  });
});
