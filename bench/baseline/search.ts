/**
 * Plain TypeScript cosine top-k, the reference and JS baseline for assembly/search.ts's topK: one
 * pass over the unit-normalised matrix per query, a float64 dot product per row, and a small sorted
 * buffer for the best k (ties: lower row first). No SIMD, no batching, no WebAssembly.
 */
export function topKBaseline(matrix: Float32Array, rows: number, dim: number, query: Float32Array, k: number): { rows: Int32Array; scores: Float64Array } {
  const bestRows = new Int32Array(k).fill(-1);
  const bestScores = new Float64Array(k).fill(-Infinity);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let s = 0;
    for (let i = 0; i < dim; i++) s += matrix[o + i] * query[i];
    if (n === k && s <= bestScores[k - 1]) continue;
    let j = n < k ? n++ : k - 1;
    while (j > 0 && bestScores[j - 1] < s) {
      bestScores[j] = bestScores[j - 1];
      bestRows[j] = bestRows[j - 1];
      j--;
    }
    bestScores[j] = s;
    bestRows[j] = r;
  }
  return { rows: bestRows, scores: bestScores };
}

/** Unit-normalised copy of a row-major matrix (zero rows stay zero). */
export function normalizeBaseline(vectors: Float32Array, rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += vectors[r * dim + i] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < dim; i++) out[r * dim + i] = vectors[r * dim + i] * inv;
  }
  return out;
}
