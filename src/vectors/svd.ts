/**
 * Singular value decomposition of a small square f64 matrix by one-sided Jacobi (Hestenes) rotations:
 * A = U·diag(s)·Vᵀ. Only +, −, ×, ÷ and sqrt are used (all correctly rounded in IEEE arithmetic), so the
 * result is identical in every JavaScript engine. Cost ~ sweeps × n³; fine for n up to a few hundred.
 */
export interface Svd {
  /** n × n, row-major, orthonormal columns. */
  u: Float64Array;
  s: Float64Array;
  /** n × n, row-major, orthonormal columns. */
  v: Float64Array;
}

export function jacobiSvd(a: Float64Array, n: number, maxSweeps = 60): Svd {
  // Work on columns: w holds A column-major so a column is contiguous.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) w[j * n + i] = a[i * n + j];
  const v = new Float64Array(n * n); // column-major too
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const eps = 1e-15;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0,
          beta = 0,
          gamma = 0;
        const cp = p * n,
          cq = q * n;
        for (let i = 0; i < n; i++) {
          const x = w[cp + i],
            y = w[cq + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t),
          s = c * t;
        for (let i = 0; i < n; i++) {
          const x = w[cp + i],
            y = w[cq + i];
          w[cp + i] = c * x - s * y;
          w[cq + i] = s * x + c * y;
          const vx = v[cp + i],
            vy = v[cq + i];
          v[cp + i] = c * vx - s * vy;
          v[cq + i] = s * vx + c * vy;
        }
      }
    }
    if (!rotated) break;
  }
  const s = new Float64Array(n);
  const u = new Float64Array(n * n);
  const big = Math.max(...Array.from({ length: n }, (_, j) => columnNorm(w, j, n)), 0);
  for (let j = 0; j < n; j++) {
    s[j] = columnNorm(w, j, n);
    if (s[j] > big * 1e-12 && s[j] > 0) for (let i = 0; i < n; i++) u[i * n + j] = w[j * n + i] / s[j];
    else s[j] = 0;
  }
  completeBasis(u, s, n);
  const vr = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vr[i * n + j] = v[j * n + i];
  return { u, s, v: vr };
}

function columnNorm(w: Float64Array, j: number, n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x += w[j * n + i] * w[j * n + i];
  return Math.sqrt(x);
}

/** Columns of u with a zero singular value get orthonormal vectors (Gram–Schmidt on unit vectors). */
function completeBasis(u: Float64Array, s: Float64Array, n: number): void {
  let e = 0;
  for (let j = 0; j < n; j++) {
    if (s[j] > 0) continue;
    for (; e < n; e++) {
      const cand = new Float64Array(n);
      cand[e] = 1;
      for (let k = 0; k < n; k++) {
        if (k === j || (s[k] === 0 && k > j)) continue;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i * n + k] * cand[i];
        for (let i = 0; i < n; i++) cand[i] -= dot * u[i * n + k];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += cand[i] * cand[i];
      norm = Math.sqrt(norm);
      if (norm > 1e-6) {
        for (let i = 0; i < n; i++) u[i * n + j] = cand[i] / norm;
        e++;
        break;
      }
    }
  }
}
