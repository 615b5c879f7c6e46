import { describe, expect, it } from 'vitest';
import type { Wasm2VecError } from '../../../src/errors.js';
import { MAX_BYTES } from '../../../src/runtime/memory-layout.js';
import { planWord2Vec, scratchPlan, type Word2VecShape } from '../../../src/train/word2vec/layout.js';
import { expectSoundLayout, hasRegion, region } from '../../runtime/layout-checks.js';

const base: Word2VecShape = {
  vocab: 1000,
  dim: 100,
  negative: 5,
  hs: false,
  maxCode: 0,
  threads: 2,
  chunkCapacity: 16384,
  maxSentenceLength: 1000,
  window: 5,
  hotRows: 0,
};

describe('planWord2Vec', () => {
  it('negative sampling: syn0 and syn1neg of vocab × dim floats, no hierarchical softmax regions, a scratch and input per thread', () => {
    const { layout } = planWord2Vec(base);
    expectSoundLayout(layout);
    expect(region(layout, 'input vectors (syn0)').bytes).toBe(1000 * 100 * 4);
    expect(region(layout, 'output vectors (syn1neg)').bytes).toBe(1000 * 100 * 4);
    expect(region(layout, 'word counts').bytes).toBe(1000 * 8);
    for (const name of ['hierarchical softmax vectors (syn1)', 'Huffman codes', 'Huffman points', 'Huffman code lengths'])
      expect(hasRegion(layout, name)).toBe(false);
    expect(layout.regions.filter((r) => /^thread \d+ scratch$/.test(r.name))).toHaveLength(2);
    expect(region(layout, 'thread 1 input').bytes).toBe(16384 * 4);
    expect(region(layout, 'thread 0 scratch').bytes).toBe(scratchPlan(100, 1000, 5, 5, 0).bytes);
  });
  it('hierarchical softmax: syn1 and the Huffman tables (maxCode per word), no syn1neg when negative is 0', () => {
    const { layout } = planWord2Vec({ ...base, hs: true, negative: 0, maxCode: 17, threads: 1 });
    expectSoundLayout(layout);
    expect(region(layout, 'hierarchical softmax vectors (syn1)').bytes).toBe(1000 * 100 * 4);
    expect(region(layout, 'Huffman codes').bytes).toBe(1000 * 17);
    expect(region(layout, 'Huffman points').bytes).toBe(1000 * 17 * 4);
    expect(region(layout, 'Huffman code lengths').bytes).toBe(1000);
    expect(hasRegion(layout, 'output vectors (syn1neg)')).toBe(false);
    const both = planWord2Vec({ ...base, hs: true, maxCode: 17 }).layout;
    expect(hasRegion(both, 'output vectors (syn1neg)') && hasRegion(both, 'hierarchical softmax vectors (syn1)')).toBe(true);
  });
  it("a thread's scratch has room, in 64-byte aligned pieces, for everything it holds (vectors, sentence, batch gradients, hot rows)", () => {
    for (const [dim, sentence, window, negative, hot] of [
      [1, 1, 1, 0, 0],
      [100, 1000, 5, 5, 0],
      [300, 10000, 10, 20, 512],
      [7, 3, 2, 1, 3],
    ]) {
      const p = scratchPlan(dim, sentence, window, negative, hot);
      const pieces = [64, p.neu1e, p.sentence, p.dIn, p.grad, p.outs, p.hot];
      for (const x of pieces) expect(x % 64).toBe(0);
      expect(p.neu1e - 64).toBeGreaterThanOrEqual(dim * 4); // neu1
      expect(p.sentence - p.neu1e).toBeGreaterThanOrEqual(dim * 4); // neu1e
      expect(p.dIn - p.sentence).toBeGreaterThanOrEqual(sentence * 4);
      expect(p.grad - p.dIn).toBeGreaterThanOrEqual(2 * window * dim * 4);
      expect(p.outs - p.grad).toBeGreaterThanOrEqual(2 * window * (negative + 1) * 4);
      expect(p.hot - p.outs).toBeGreaterThanOrEqual((negative + 1) * 4 + 2 * 2 * window * 4);
      expect(p.bytes - p.hot).toBe(4 * hot * dim * 4); // private and base copies of input and output hot rows
    }
  });
  it('refuses in words what wasm32 cannot hold (GoogleNews size: 3M words × 300)', () => {
    let e: Wasm2VecError | undefined;
    try {
      planWord2Vec({ ...base, vocab: 3_000_000, dim: 300 });
    } catch (x) {
      e = x as Wasm2VecError;
    }
    expect(e?.code).toBe('MEMORY_LIMIT');
    expect(e?.message).toMatch(
      /^Word2Vec needs 6\.7\d GiB of WebAssembly memory, but wasm32 memory is capped at 4 GiB; largest parts: input vectors \(syn0\) 3\.35 GiB \(vocabulary 3,000,000 × dim 300 × 4 bytes\), output vectors \(syn1neg\) 3\.35 GiB/,
    );
  });
  it("the 4 GiB check is tight: the largest vocabulary that fits leaves less than one more word's room", () => {
    const shape = (vocab: number) => ({ ...base, vocab, dim: 256 });
    const fits = (v: number) => {
      try {
        planWord2Vec(shape(v));
        return true;
      } catch {
        return false;
      }
    };
    let lo = 1,
      hi = 10_000_000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    const { layout } = planWord2Vec(shape(lo));
    expect(layout.bytes).toBeLessThanOrEqual(MAX_BYTES);
    // One word more adds 8 + 4 + 4 bytes of tables and 2 × 256 × 4 of rows (plus alignment of at most 64 per region).
    const perWord = 8 + 4 + 4 + 2 * 256 * 4;
    expect(MAX_BYTES - layout.bytes).toBeLessThan(perWord + 64 * layout.regions.length);
    expect(lo).toBeGreaterThan(2_000_000);
  });
});
