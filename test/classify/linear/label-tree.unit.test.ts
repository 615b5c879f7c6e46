import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildLabelTree, LABEL_COUNT_SENTINEL, type LabelTree } from '../../../src/classify/linear/label-tree.js';
import { buildHuffman } from '../../../src/train/huffman.js';

const path = (t: LabelTree, i: number) => Array.from(t.paths.subarray(i * t.maxDepth, i * t.maxDepth + t.pathLength[i]));
const code = (t: LabelTree, i: number) => Array.from(t.codes.subarray(i * t.maxDepth, i * t.maxDepth + t.pathLength[i]));

describe('buildLabelTree (fastText HierarchicalSoftmaxLoss::buildTree)', () => {
  it('[4, 2, 1, 1], worked by hand through buildTree: paths leaf to root as output rows', () => {
    const t = buildLabelTree([4, 2, 1, 1]);
    expect(t.maxDepth).toBe(3);
    expect([...t.pathLength]).toEqual([1, 2, 3, 3]);
    expect([0, 1, 2, 3].map((i) => path(t, i))).toEqual([[2], [1, 2], [0, 1, 2], [0, 1, 2]]);
    expect([0, 1, 2, 3].map((i) => code(t, i))).toEqual([[1], [1, 0], [1, 0, 0], [0, 0, 0]]);
  });
  it('two labels: one node (row 0), label 0 right (1), label 1 left (0)', () => {
    const t = buildLabelTree([9, 9]);
    expect([path(t, 0), path(t, 1), code(t, 0), code(t, 1)]).toEqual([[0], [0], [1], [0]]);
  });
  it('one label: an empty path (fastText computes no node), tables still one entry wide', () => {
    const t = buildLabelTree([5]);
    expect([t.maxDepth, [...t.pathLength], t.paths.length, t.codes.length]).toEqual([1, [0], 1, 1]);
  });
  it('zero counts (a label never seen in training) still get a leaf', () => {
    const t = buildLabelTree([3, 0, 0]);
    expect([...t.pathLength]).toEqual([1, 2, 2]);
    expect(new Set([1, 2].map((i) => code(t, i).join(''))).size).toBe(2);
  });
  it("is word2vec.c's Huffman tree read from the other end (two implementations of one algorithm agree)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 2, maxLength: 150 }), (raw) => {
        const counts = raw.sort((a, b) => b - a);
        const t = buildLabelTree(counts);
        const h = buildHuffman(counts);
        expect(t.maxDepth).toBe(h.maxCode);
        for (let i = 0; i < counts.length; i++) {
          const n = h.codeLength[i];
          expect(t.pathLength[i]).toBe(n);
          expect(path(t, i).reverse()).toEqual(Array.from(h.points.subarray(i * h.maxCode, i * h.maxCode + n)));
          expect(code(t, i).reverse()).toEqual(Array.from(h.codes.subarray(i * h.maxCode, i * h.maxCode + n)));
        }
      }),
      { numRuns: 200 },
    );
  });
  it("the sentinel is fastText's 1e15 (the model readers refuse counts at or above it)", () => {
    expect(LABEL_COUNT_SENTINEL).toBe(1e15);
    const t = buildLabelTree([LABEL_COUNT_SENTINEL - 1, 1]);
    expect([...t.pathLength]).toEqual([1, 1]);
  });
});
