import type { FastTextModel } from '../../../src/train/fasttext/model.js';
import { fastTextTokens, lineRows, supervisedParts } from '../../../src/train/fasttext/supervised.js';

/**
 * fastText's predict-prob for one line, in pure TypeScript, used only to check that what the reader
 * produces is what a predictor needs (the product's predictor is LinearClassifier). Float32 in
 * fastText's order: Model::computeHidden, then SoftmaxLoss / HierarchicalSoftmaxLoss /
 * BinaryLogisticLoss (ns, ova) predict, the k best by std_log(p) = log(p + 1e-5), reported as exp of
 * that (so fastText's probabilities are p + 1e-5).
 */

const f = Math.fround;
const stdLog = (x: number) => f(Math.log(f(x) + 1e-5));

export function predictReference(model: FastTextModel, line: string, k: number): { label: string; probability: number }[] {
  const sup = supervisedParts(model);
  const rows = lineRows(model, fastTextTokens(line));
  if (rows.length === 0) return [];
  const dim = sup.dim;
  const hidden = new Float32Array(dim);
  for (const r of rows) sup.input.addRowToVector(hidden, r);
  const a = f(1 / rows.length);
  for (let j = 0; j < dim; j++) hidden[j] *= a;
  const osz = sup.labels.length;
  if (k < 0) k = osz;
  let scored: [number, number][]; // [log score, label index]
  if (sup.loss === 'hs') {
    scored = hsPredict(
      sup.labels.map((l) => l.count),
      (node) => sup.output.dotRow(hidden, node),
      k,
    );
  } else {
    const out = new Float32Array(osz);
    for (let i = 0; i < osz; i++) out[i] = sup.output.dotRow(hidden, i);
    if (sup.loss === 'softmax') {
      let max = out[0];
      for (let i = 0; i < osz; i++) max = Math.max(out[i], max);
      let z = 0;
      for (let i = 0; i < osz; i++) {
        out[i] = f(Math.exp(f(out[i] - max)));
        z = f(z + out[i]);
      }
      for (let i = 0; i < osz; i++) out[i] = f(out[i] / z);
    } else {
      for (let i = 0; i < osz; i++) out[i] = sigmoidTable(out[i]);
    }
    scored = [...out]
      .map((p, i) => [stdLog(p), i] as [number, number])
      .sort((x, y) => y[0] - x[0])
      .slice(0, k);
  }
  return scored.map(([s, i]) => ({ label: sup.labels[i].label, probability: f(Math.exp(s)) }));
}

/** Loss::sigmoid: a 512-entry table over [-8, 8]. */
function sigmoidTable(x: number): number {
  if (x < -8) return 0;
  if (x > 8) return 1;
  const i = Math.trunc(f(f(f(x + 8) * 512) / 8 / 2));
  const t = f(i * 2 * 8) / 512 - 8;
  return f(1 / (1 + Math.exp(-f(t))));
}

/** HierarchicalSoftmaxLoss: fastText's Huffman tree over the label counts, then its depth-first search. */
function hsPredict(counts: number[], dotNode: (node: number) => number, k: number): [number, number][] {
  const osz = counts.length;
  const n = 2 * osz - 1;
  const parent = new Int32Array(n).fill(-1);
  const left = new Int32Array(n).fill(-1);
  const right = new Int32Array(n).fill(-1);
  const count = new Float64Array(n).fill(1e15);
  for (let i = 0; i < osz; i++) count[i] = counts[i];
  let leaf = osz - 1;
  let node = osz;
  for (let i = osz; i < n; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) {
      if (leaf >= 0 && count[leaf] < count[node]) mini[j] = leaf--;
      else mini[j] = node++;
    }
    left[i] = mini[0];
    right[i] = mini[1];
    count[i] = count[mini[0]] + count[mini[1]];
    parent[mini[0]] = i;
    parent[mini[1]] = i;
  }
  const heap: [number, number][] = [];
  const threshold = stdLog(0);
  const worst = () => Math.min(...heap.map((h) => h[0]));
  const dfs = (nd: number, score: number) => {
    if (score < threshold) return;
    if (heap.length === k && score < worst()) return;
    if (left[nd] === -1 && right[nd] === -1) {
      heap.push([score, nd]);
      if (heap.length > k) {
        heap.sort((x, y) => y[0] - x[0]);
        heap.pop();
      }
      return;
    }
    let p = dotNode(nd - osz);
    p = f(1 / f(1 + f(Math.exp(-p))));
    dfs(left[nd], f(score + stdLog(f(1 - p))));
    dfs(right[nd], f(score + stdLog(p)));
  };
  dfs(n - 1, 0);
  return heap.sort((x, y) => y[0] - x[0]);
}
