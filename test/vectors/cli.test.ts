import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { Embeddings } from '../../src/index.js';
import { FIXTURE, GOLDEN, bitsEqual, readJson } from './vector-fixtures.js';
import { repoData } from '../helpers/data.js';

const analogies = repoData('en-google-analogy/questions-words.txt');

const dir = mkdtempSync(join(tmpdir(), 'w2v-vcli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
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

describe('wasm2vec CLI: similar, analogy, eval, convert, plot', () => {
  const golden = readJson<{
    mostSimilar: { positive: string[]; negative?: string[]; restrictVocab?: number; result: [string, number][] }[];
    analogies: { restrictVocab: number; accuracy: number; covered: number }[];
  }>(GOLDEN);

  it("similar prints gensim's neighbours, as text and as JSON", async () => {
    const q = golden.mostSimilar.find((g) => !g.negative && !g.restrictVocab)!;
    const r = await cli(['similar', FIXTURE, q.positive[0], '--json']);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.out.trim());
    expect(line.neighbours.map((x: { word: string }) => x.word)).toEqual(q.result.map(([w]) => w));
    const text = await cli(['similar', FIXTURE, q.positive[0], '-n', '3']);
    expect(text.out.split('\n')[1]).toMatch(new RegExp(`^\\s+1\\. ${q.result[0][0]}\\s+${q.result[0][1].toFixed(4)}$`));
  });

  it('analogy answers like mostSimilar(b + c − a); unknown words exit 1 naming the word', async () => {
    const q = golden.mostSimilar.find((g) => g.negative)!;
    const [b, c] = q.positive,
      [a] = q.negative!;
    const r = await cli(['analogy', FIXTURE, a, b, c, '--json', '--top', '10']);
    expect(JSON.parse(r.out).answers.map((x: { word: string }) => x.word)).toEqual(q.result.map(([w]) => w));
    const bad = await cli(['analogy', FIXTURE, 'king', 'xyzzy', 'queen']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/word "xyzzy" is not in the vocabulary/);
    expect((await cli(['analogy', FIXTURE, 'a', 'b'])).code).toBe(2);
  });

  it("eval reports gensim's numbers", async () => {
    // With --pairs on WordSim-353 (not redistributable) in cli.data.test.ts.
    const r = await cli(['eval', FIXTURE, '--analogies', analogies, '--json', '--threads', '1']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const g = golden.analogies.find((x) => x.restrictVocab === 30000)!;
    expect(j.analogies.accuracy).toBeCloseTo(g.accuracy, 6);
    expect(j.analogies.covered).toBe(g.covered);
    const text = await cli(['eval', FIXTURE, '--analogies', analogies, '--restrict-vocab', '1000']);
    expect(text.out).toMatch(/questions-words\.txt: accuracy [\d.]+% \(semantic [\d.]+%, syntactic [\d.]+%\) on 480 of 19544 questions/);
    expect((await cli(['eval', FIXTURE])).code).toBe(2);
  });

  it('convert round-trips between formats (float16 for the compact format)', async () => {
    const txt = join(dir, 'v.txt'),
      w2v = join(dir, 'v.w2v'),
      half = join(dir, 'v16.w2v');
    expect((await cli(['convert', FIXTURE, txt])).code).toBe(0);
    expect((await cli(['convert', txt, w2v, '--limit', '500'])).code).toBe(0);
    expect((await cli(['convert', FIXTURE, half, '--float16'])).code).toBe(0);
    const [orig, viaText, small, f16] = await Promise.all([FIXTURE, txt, w2v, half].map((p) => Embeddings.load(p)));
    expect(bitsEqual(orig.vectors, viaText.vectors)).toBe(true);
    expect(small.size).toBe(500);
    expect(bitsEqual(small.vectors, orig.vectors.subarray(0, 500 * orig.dim))).toBe(true);
    expect(readFileSync(half).length).toBeLessThan(readFileSync(FIXTURE).length * 0.6);
    expect(f16.mostSimilar({ positive: ['king'], topN: 3 }).map((x) => x.word)).toEqual(orig.mostSimilar({ positive: ['king'], topN: 3 }).map((x) => x.word));
    expect((await cli(['convert', FIXTURE, join(dir, 'x.txt'), '--float16'])).code).toBe(2);
  });

  it('plot writes a labelled SVG scatter of the most frequent or listed words', async () => {
    const svg = join(dir, 'plot.svg');
    expect((await cli(['plot', FIXTURE, '--words', '50', '-o', svg])).code).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(text.match(/<circle /g)).toHaveLength(50);
    expect(text).toContain('>the</text>');
    expect((await cli(['plot', FIXTURE, '--list', 'king,queen,gold,silver', '-o', svg])).code).toBe(0);
    expect(readFileSync(svg, 'utf8').match(/<circle /g)).toHaveLength(4);
    expect((await cli(['plot', FIXTURE])).code).toBe(2);
  });
});
