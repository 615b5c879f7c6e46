import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHuffman, type HuffmanCodes } from '../../src/train/huffman.js';

const row = <T extends ArrayLike<number>>(a: T, w: number, m: number, n: number) => Array.from(a).slice(w * m, w * m + n);
const codeOf = (h: HuffmanCodes, w: number) => row(h.codes, w, h.maxCode, h.codeLength[w]);
const pointsOf = (h: HuffmanCodes, w: number) => row(h.points, w, h.maxCode, h.codeLength[w]);

/** Optimal total cost Σ count × depth of a binary prefix code: the sum of all merge weights (any Huffman order). */
function optimalCost(counts: number[]): number {
  const q = [...counts];
  let cost = 0;
  while (q.length > 1) {
    q.sort((a, b) => a - b);
    const m = q.shift()! + q.shift()!;
    cost += m;
    q.push(m);
  }
  return cost;
}

/** Checks the tree a word's codes and points describe: a consistent prefix code over the v - 1 inner nodes. */
function checkTree(counts: number[], h: HuffmanCodes): void {
  const v = counts.length;
  const codes = new Set<string>();
  // Inner node reached by each code prefix must be the same for every word sharing that prefix.
  const nodeOfPrefix = new Map<string, number>();
  let kraft = 0;
  for (let w = 0; w < v; w++) {
    const code = codeOf(h, w);
    const points = pointsOf(h, w);
    if (code.length === 0 || points[0] !== v - 2) expect.fail(`word ${w}: no code, or not starting at the root (the last inner node)`);
    for (let d = 0; d < code.length; d++) {
      if (!(points[d] >= 0 && points[d] <= v - 2)) expect.fail(`word ${w}: point ${points[d]} is not an inner node`);
      const prefix = code.slice(0, d).join('');
      const seen = nodeOfPrefix.get(prefix);
      if (seen === undefined) nodeOfPrefix.set(prefix, points[d]);
      else if (seen !== points[d]) expect.fail(`word ${w}: prefix ${prefix} leads to node ${points[d]}, another word's to ${seen}`);
    }
    codes.add(code.join(''));
    kraft += 2 ** -code.length;
  }
  expect(codes.size).toBe(v);
  // Prefix-free: in sorted order a code that is a prefix of another is a prefix of the next one.
  const sorted = [...codes].sort();
  for (let i = 1; i < sorted.length; i++) if (sorted[i].startsWith(sorted[i - 1])) expect.fail(`${sorted[i - 1]} is a prefix of ${sorted[i]}`);
  expect(kraft).toBeCloseTo(1, 12); // a full binary tree
  expect(nodeOfPrefix.size).toBe(v - 1); // every inner node used, once
  expect(new Set(nodeOfPrefix.values()).size).toBe(v - 1);
}

describe('buildHuffman (word2vec.c CreateBinaryTree)', () => {
  it('[4, 2, 1, 1], worked by hand through CreateBinaryTree', () => {
    const h = buildHuffman([4, 2, 1, 1]);
    expect(h.maxCode).toBe(3);
    expect([...h.codeLength]).toEqual([1, 2, 3, 3]);
    expect([0, 1, 2, 3].map((w) => codeOf(h, w))).toEqual([[1], [0, 1], [0, 0, 1], [0, 0, 0]]);
    expect([0, 1, 2, 3].map((w) => pointsOf(h, w))).toEqual([[2], [2, 1], [2, 1, 0], [2, 1, 0]]);
  });
  it('ties go to the already merged node (count[pos1] < count[pos2] is strict), as in word2vec.c', () => {
    // [2, 1, 1]: merge the two 1s into a node of 2; then the leaf 2 ties with it, and the node is taken first.
    const h = buildHuffman([2, 1, 1]);
    expect([0, 1, 2].map((w) => codeOf(h, w))).toEqual([[1], [0, 1], [0, 0]]);
    // With a strict < on the other side the leaf would be taken first and word 0 would get code [0].
  });
  it('two words: one bit each, both through the root (inner node 0)', () => {
    const h = buildHuffman([5, 3]);
    expect([codeOf(h, 0), codeOf(h, 1)]).toEqual([[1], [0]]);
    expect([pointsOf(h, 0), pointsOf(h, 1)]).toEqual([[0], [0]]);
  });
  it('one word gets a single branch to inner node 0; none gets empty tables', () => {
    const one = buildHuffman([7]);
    expect([one.maxCode, [...one.codeLength], [...one.codes], [...one.points]]).toEqual([1, [1], [0], [0]]);
    const none = buildHuffman([]);
    expect(none.codeLength.length).toBe(0);
    expect(none.maxCode).toBe(1);
  });
  it('equal counts over 2^k words give every word k bits', () => {
    const h = buildHuffman(new Array(64).fill(10));
    expect(h.maxCode).toBe(6);
    expect([...h.codeLength].every((l) => l === 6)).toBe(true);
    checkTree(new Array(64).fill(10), h);
  });
  it("Fibonacci counts build the deepest tree: depth v - 1, beyond word2vec.c's cap of 40", () => {
    const fib = [1, 1];
    while (fib.length < 60) fib.push(fib[fib.length - 1] + fib[fib.length - 2]);
    const counts = fib.reverse();
    const h = buildHuffman(counts);
    expect(h.maxCode).toBe(59);
    expect(h.codeLength[0]).toBe(1);
    expect(h.codeLength[58]).toBe(59);
    checkTree(counts, h);
  });
  it('any descending counts: a full prefix code over all inner nodes, with the optimal total length', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 2, maxLength: 200 }), (raw) => {
        const counts = raw.sort((a, b) => b - a);
        const h = buildHuffman(counts);
        checkTree(counts, h);
        const cost = counts.reduce((s, c, w) => s + c * h.codeLength[w], 0);
        expect(cost).toBe(optimalCost(counts));
        expect(h.maxCode).toBe(Math.max(...h.codeLength));
        // More frequent words never get longer codes.
        for (let w = 1; w < counts.length; w++) expect(h.codeLength[w]).toBeGreaterThanOrEqual(h.codeLength[w - 1]);
      }),
      { numRuns: 200 },
    );
  });
});
