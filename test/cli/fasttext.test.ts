import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { FastText } from '../../src/train/fasttext/fasttext.js';
import { Embeddings } from '../../src/vectors/embeddings.js';
import { demoCorpusPath } from '../helpers/data.js';
import { byteLines, fixture, fixtureWords, printedLines } from '../train/fasttext/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'w2v-ftcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    tty: false,
  });
  return { code, out, err };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Only = (lines: Uint8Array[]) =>
  lines.flatMap((b) => {
    try {
      return [strictUtf8.decode(b)];
    } catch {
      return [];
    }
  });

describe('wasm2vec CLI with fastText models', () => {
  it('print-word-vectors prints what `fasttext print-word-vectors` printed, byte for byte (UTF-8 words; OOV from n-grams)', async () => {
    const words = utf8Only(fixtureWords());
    const input = join(dir, 'words.txt');
    // Words split by any whitespace, as fastText's `cin >> word`.
    writeFileSync(input, words.map((w, i) => (i % 3 === 0 ? `${w}\t` : `${w}\n`)).join(''));
    const r = await cli(['print-word-vectors', fixture('skipgram.bin'), input]);
    expect(r.code).toBe(0);
    const want = byteLines(new Uint8Array(readFileSync(fixture('skipgram.print-word-vectors.txt'))))
      .map((l) => new TextDecoder().decode(l))
      .filter((l) => words.includes(l.slice(0, l.indexOf(' '))));
    expect(want).toHaveLength(words.length);
    expect(r.out.split('\n').slice(0, -1)).toEqual(want);
    expect(printedLines('skipgram.print-word-vectors.txt').length).toBe(words.length + 2);
  });

  it('print-word-vectors --sentences prints one sentence vector per line', async () => {
    const input = join(dir, 'lines.txt');
    writeFileSync(input, 'the king said\n\nunfathomably naïve');
    const r = await cli(['print-word-vectors', fixture('skipgram.bin'), input, '--sentences']);
    expect(r.code).toBe(0);
    const lines = r.out.split('\n').slice(0, -1);
    expect(lines).toHaveLength(3);
    expect(
      lines[1]
        .trim()
        .split(' ')
        .every((x) => x === '0'),
    ).toBe(true);
    expect(lines[0].trim().split(' ')).toHaveLength(16);
  });

  it('similar and analogy accept a .bin/.ftz and OOV words; convert writes its in-vocabulary words', async () => {
    const sim = await cli(['similar', fixture('nn-skipgram.bin'), 'unfathomably', '--json', '-n', '3']);
    expect(sim.code).toBe(0);
    expect(JSON.parse(sim.out).neighbours.map((n: { word: string }) => n.word)).toEqual(['silly', '‘let', '‘Very']);
    const an = await cli(['analogy', fixture('nn-skipgram.bin'), 'man', 'king', 'woman', '--json', '-n', '2']);
    expect(an.code).toBe(0);
    expect(JSON.parse(an.out).answers).toHaveLength(2);
    const out = join(dir, 'words.vec');
    const conv = await cli(['convert', fixture('supervised.ftz'), out]);
    expect(conv.code).toBe(0);
    const e = await Embeddings.load(out);
    expect(e.size).toBe(109); // the quantized model kept 109 words (cutoff)
    expect(e.has('and')).toBe(true);
    expect(e.has('unfathomably')).toBe(false);
    const half = await cli(['similar', fixture('skipgram.bin'), 'king', '--dtype', 'float16', '-n', '1']);
    expect(half.code).toBe(0);
    expect((await cli(['similar', fixture('skipgram.bin'), 'king', '--limit', '5'])).code).toBe(2);
    expect((await cli(['similar', fixture('skipgram.bin'), 'king', '--dtype', 'float8'])).code).toBe(2);
  });

  it('fasttext trains a .bin that loads again with the same vectors (OOV words too), writes .vec with --vectors, and reports --json', async () => {
    const corpus = join(dir, 'tales.txt');
    writeFileSync(corpus, readFileSync(demoCorpusPath, 'utf8').split('\n').slice(0, 3000).join('\n'));
    const bin = join(dir, 'tales.bin');
    const vec = join(dir, 'tales.vec');
    const args = ['fasttext', corpus, '-o', bin, '--vectors', vec, '--dim', '16', '--bucket', '20000', '--epoch', '1', '--thread', '1'];
    const r = await cli([...args, '--min-count', '3', '--lr', '0.05', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.out.trim());
    expect(summary.vocabulary).toBeGreaterThan(500);
    expect(summary.tokens).toBeGreaterThan(20_000);
    const loaded = await FastText.load(bin);
    expect(loaded.args.dim).toBe(16);
    expect(loaded.args.bucket).toBe(20000);
    expect(loaded.embeddings.size).toBe(summary.vocabulary);
    const oov = loaded.embeddings.vector('kingdomless');
    expect(oov.some((x) => x !== 0)).toBe(true);
    const text = await Embeddings.load(vec);
    expect(text.size).toBe(summary.vocabulary);
    const w = text.words[10];
    const a = text.vector(w);
    const b = loaded.embeddings.vector(w);
    for (let i = 0; i < 16; i++) expect(a[i]).toBeCloseTo(b[i], 4);
    loaded.dispose();
    expect((await cli(['fasttext', corpus, '-o', bin, '--loss', 'ova'])).code).toBe(2);
    expect((await cli(['fasttext', corpus])).code).toBe(2);
  });

  it('print-word-vectors: usage errors exit 2', async () => {
    expect((await cli(['print-word-vectors'])).code).toBe(2);
    expect((await cli(['print-word-vectors', fixture('skipgram.bin'), join(dir, 'missing.txt')])).code).toBe(2);
  });
});
