import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FastText } from '../../../src/train/fasttext/fasttext.js';
import { FASTTEXT_MAGIC, FASTTEXT_VERSION, argsBytes, type FastTextArgs } from '../../../src/train/fasttext/args.js';
import { FastTextDictionary, dictionaryChunks } from '../../../src/train/fasttext/dictionary.js';
import { concatChunks } from '../../../src/vectors/save-vectors.js';
import { rejection, syncError } from '../../helpers/errors.js';
import { MODELS, byteLines, fixture, fixtureWords, formatG5, fullVectors, parsePrinted } from './fixtures.js';

const quiet = { onWarning: () => undefined };
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Words = () =>
  fixtureWords().flatMap((b, i) => {
    try {
      return [{ i, text: strictUtf8.decode(b) }];
    } catch {
      return [];
    }
  });

const hasFastText = (() => {
  try {
    execFileSync('fasttext', [], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT';
  }
})();

/** Max |a - b| over the vector, relative to its largest entry. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** A .bin's bytes up to the input matrix's shape, of a model `words` + `bucket` rows × dim (the floats are not there). */
function header(words: number, bucket: number, dim: number): Uint8Array {
  const args: FastTextArgs = {
    dim,
    ws: 5,
    epoch: 5,
    minCount: 5,
    neg: 5,
    wordNgrams: 1,
    loss: 'ns',
    model: 'skipgram',
    bucket,
    minn: 3,
    maxn: 6,
    lrUpdateRate: 100,
    t: 1e-4,
  };
  const list = Array.from({ length: words }, (_, i) => `w${i}`);
  const dictionary = new FastTextDictionary({ words: list, counts: list.map((_, i) => words - i), nwords: words, nlabels: 0, ntokens: 10 * words });
  const head = new Uint8Array(8);
  new DataView(head.buffer).setInt32(0, FASTTEXT_MAGIC, true);
  new DataView(head.buffer).setInt32(4, FASTTEXT_VERSION, true);
  const shape = new Uint8Array(17);
  const v = new DataView(shape.buffer);
  v.setBigInt64(1, BigInt(words + bucket), true);
  v.setBigInt64(9, BigInt(dim), true);
  return concatChunks([head, argsBytes(args), ...dictionaryChunks(dictionary), shape]);
}

async function* stream(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

describe('FastText.load / save', () => {
  for (const m of MODELS) {
    it(`${m.file}: loads, and toBytes() gives the file back byte for byte`, async () => {
      const bytes = new Uint8Array(readFileSync(fixture(m.file)));
      const ft = await FastText.load(bytes, quiet);
      expect(Buffer.from(ft.toBytes()).equals(Buffer.from(bytes))).toBe(true);
      expect(ft.quantized).toBe(m.file.endsWith('.ftz'));
      expect(ft.args.model).toBe(m.supervised ? 'supervised' : m.file === 'cbow-hs.bin' ? 'cbow' : 'skipgram');
      ft.dispose();
    });
  }

  it('reads a path, bytes, an ArrayBuffer, a Blob, a Response and a byte stream to the same vectors', async () => {
    const path = fixture('cbow-hs.bin');
    const bytes = new Uint8Array(readFileSync(path));
    const sources = [
      path,
      bytes,
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      new Blob([bytes]),
      new Response(bytes),
      stream(bytes),
    ];
    const want = fullVectors('cbow-hs');
    for (const s of sources) {
      const ft = await FastText.load(s, quiet);
      for (const { i, text } of utf8Words()) expect(Array.from(ft.embeddings.vector(text))).toEqual(want[i].vector);
    }
  });

  it('args in fastText names, options in wasm2vec names', async () => {
    const ft = await FastText.load(fixture('skipgram.bin'), quiet);
    expect(ft.args).toMatchObject({ model: 'skipgram', loss: 'ns', dim: 16, ws: 5, epoch: 2, minCount: 5, neg: 5, bucket: 5000, minn: 3, maxn: 6, t: 1e-4 });
    expect(ft.options).toMatchObject({ model: 'skipgram', loss: 'ns', dim: 16, window: 5, epochs: 2, minCount: 5, negative: 5, bucket: 5000, sample: 1e-4 });
    expect(Object.isFrozen(ft.args)).toBe(true);
  });

  it('save(path) writes a .bin that loads back to the same vectors; save(Blob) the same bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2v-fasttext-'));
    try {
      const ft = await FastText.load(fixture('skipgram.bin'), quiet);
      const path = join(dir, 'model.bin');
      await ft.save(path);
      const blob = await ft.save(Blob);
      expect(Buffer.from(await blob.arrayBuffer()).equals(readFileSync(path))).toBe(true);
      expect(readFileSync(path).equals(readFileSync(fixture('skipgram.bin')))).toBe(true);
      expect((await rejection(ft.save(42 as unknown as string))).code).toBe('INVALID_OPTION');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("dtype 'float16' halves the dense matrices (a .ftz keeps its codes); vectors stay within float16 rounding of fastText's, and a save widens them back", async () => {
    for (const file of ['skipgram.bin', 'supervised.ftz']) {
      const full = await FastText.load(fixture(file), quiet);
      const half = await FastText.load(fixture(file), { ...quiet, dtype: 'float16' });
      const stem = file.replace(/\.bin$/, '');
      const want = fullVectors(stem);
      let worst = 0;
      for (const { i, text } of utf8Words()) {
        const v = half.embeddings.vector(text);
        if (want[i].vector.every((x) => x === 0)) continue;
        worst = Math.max(worst, relativeError(v, want[i].vector));
      }
      if (file.endsWith('.ftz')) {
        // A quantized input matrix stays as its codes: the vectors are exact (only the dense output matrix is halved).
        expect(worst).toBe(0);
      } else {
        // Each weight is off by at most 2^-11 of itself; a mean of rows by at most that of the largest.
        expect(worst).toBeGreaterThan(0);
        expect(worst).toBeLessThan(2 ** -10);
      }
      // Written as float32 and read back: the same (rounded) weights, so the same vectors bit for bit.
      const back = await FastText.load(half.toBytes(), quiet);
      for (const { text } of utf8Words()) expect(Array.from(back.embeddings.vector(text))).toEqual(Array.from(half.embeddings.vector(text)));
      expect(back.toBytes().length).toBe(full.toBytes().length);
    }
  });

  it('output: false skips the output matrix: vectors work, save refuses (fastText needs it)', async () => {
    const ft = await FastText.load(fixture('skipgram.bin'), { ...quiet, output: false });
    expect(ft.embeddings.vector('unfathomably')).toHaveLength(16);
    const e = await rejection(ft.save(Blob));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.message).toContain('output: false');
  });

  it('after dispose the model refuses to save; the embeddings stay usable', async () => {
    const ft = await FastText.load(fixture('skipgram.bin'), quiet);
    ft.dispose();
    expect(syncError(() => ft.toBytes()).code).toBe('UNSUPPORTED');
    expect(ft.embeddings.vector('unfathomably')).toHaveLength(16);
    expect(ft.embeddings.mostSimilar({ positive: 'king', topN: 2 })).toHaveLength(2);
  });

  it('refuses bad options with INVALID_OPTION', async () => {
    const path = fixture('skipgram.bin');
    expect((await rejection(FastText.load(path, { dtype: 'float64' as 'float32' }))).code).toBe('INVALID_OPTION');
    expect((await rejection(FastText.load(path, { output: 1 as unknown as boolean }))).code).toBe('INVALID_OPTION');
    expect((await rejection(FastText.load(path, { lr: 1 } as object))).code).toBe('INVALID_OPTION');
    expect((await rejection(FastText.load(path, { onWarning: 'x' as unknown as () => void }))).code).toBe('INVALID_OPTION');
  });
});

describe('FastText.load: a model beyond wasm32 memory (cc.en.300.bin shape)', () => {
  // 1,000 words + 4,000,000 buckets × 300: a 4.8 GB float32 input matrix, as cc.en.300.bin's 2M + 2M rows.
  const bytes = header(1000, 4_000_000, 300);

  it("is refused before anything large is allocated, naming the shape and that dtype 'float16' makes it fit", async () => {
    const e = await rejection(FastText.load(stream(bytes)));
    expect(e.code).toBe('MEMORY_LIMIT');
    expect(e.message).toContain('4,001,000 rows (1,000 words + 4,000,000 buckets) × 300 dims');
    expect(e.message).toContain('as float32');
    expect(e.message).toContain("{ dtype: 'float16' }");
  });

  it("with dtype 'float16' the plan fits: the load goes on to read the matrix (and this header-only file ends there)", async () => {
    const e = await rejection(FastText.load(stream(bytes), { dtype: 'float16' }));
    expect(e.code).toBe('BAD_FORMAT');
    expect(e.message).toContain(`byte ${bytes.length}: input matrix: the file ends here`);
  });

  it('a shape that fits in no precision is refused without a fix to offer', async () => {
    const e = await rejection(FastText.load(stream(header(10, 2_000_000_000, 300)), { dtype: 'float16' }));
    expect(e.code).toBe('MEMORY_LIMIT');
    expect(e.message).toContain('as float16');
    expect(e.message).not.toContain('load with');
  });
});

describe.skipIf(!hasFastText)('FastText.save: the installed fastText 0.9.2 loads what we write', () => {
  it('a float16-loaded model saved as .bin: `fasttext print-word-vectors` prints our vectors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2v-fasttext-'));
    try {
      const ft = await FastText.load(fixture('cbow-hs.bin'), { ...quiet, dtype: 'float16' });
      const path = join(dir, 'half.bin');
      await ft.save(path);
      const words = utf8Words().map((w) => w.text);
      const printed = byteLines(new Uint8Array(execFileSync('fasttext', ['print-word-vectors', path], { input: `${words.join('\n')}\n` }))).map(parsePrinted);
      expect(printed).toHaveLength(words.length);
      printed.forEach((p, i) => expect(Array.from(ft.embeddings.vector(words[i]), formatG5)).toEqual(p.values));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
