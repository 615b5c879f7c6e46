/**
 * word2vec.c's CreateBinaryTree: a Huffman tree over word counts (sorted descending) for hierarchical
 * softmax. Integer-only, so it can live in TypeScript without breaking cross-engine determinism.
 * For word w, codes[w*maxCode + d] is the d-th branch bit from the root and points[...] the index of the
 * inner node (a row of syn1) on the way; codeLength[w] is the path length.
 */
export interface HuffmanCodes {
  maxCode: number;
  codeLength: Uint8Array;
  codes: Uint8Array;
  points: Int32Array;
}

export function buildHuffman(counts: ArrayLike<number>): HuffmanCodes {
  const v = counts.length;
  if (v < 2) {
    // A one-word vocabulary has no inner node; give it a single branch to inner node 0.
    return { maxCode: 1, codeLength: new Uint8Array([1]).subarray(0, v), codes: new Uint8Array(1), points: new Int32Array(1) };
  }
  const count = new Float64Array(v * 2 + 1);
  const binary = new Uint8Array(v * 2 + 1);
  const parent = new Int32Array(v * 2 + 1);
  for (let a = 0; a < v; a++) count[a] = counts[a];
  for (let a = v; a < v * 2; a++) count[a] = 1e300;
  let pos1 = v - 1;
  let pos2 = v;
  for (let a = 0; a < v - 1; a++) {
    let min1: number, min2: number;
    if (pos1 >= 0 && count[pos1] < count[pos2]) min1 = pos1--;
    else min1 = pos2++;
    if (pos1 >= 0 && count[pos1] < count[pos2]) min2 = pos1--;
    else min2 = pos2++;
    count[v + a] = count[min1] + count[min2];
    parent[min1] = v + a;
    parent[min2] = v + a;
    binary[min2] = 1;
  }
  // Path lengths first, to size the tables exactly (word2vec.c caps at 40; deep trees are legal).
  const lengths = new Uint8Array(v);
  let maxCode = 1;
  for (let a = 0; a < v; a++) {
    let len = 0;
    for (let b = a; b !== v * 2 - 2; b = parent[b]) len++;
    if (len > 255) throw new Error(`Huffman path of ${len} exceeds 255`);
    lengths[a] = len;
    if (len > maxCode) maxCode = len;
  }
  const codes = new Uint8Array(v * maxCode);
  const points = new Int32Array(v * maxCode);
  const codeTmp = new Uint8Array(maxCode);
  const pointTmp = new Int32Array(maxCode + 1);
  for (let a = 0; a < v; a++) {
    let b = a;
    let i = 0;
    while (true) {
      codeTmp[i] = binary[b];
      pointTmp[i] = b;
      i++;
      b = parent[b];
      if (b === v * 2 - 2) break;
    }
    const base = a * maxCode;
    points[base] = v - 2;
    for (let k = 0; k < i; k++) {
      codes[base + i - k - 1] = codeTmp[k];
      if (i - k < maxCode) points[base + i - k] = pointTmp[k] - v;
    }
  }
  return { maxCode, codeLength: lengths, codes, points };
}
