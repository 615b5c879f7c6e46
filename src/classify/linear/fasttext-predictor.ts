import { Wasm2VecError } from '../../errors.js';
import type { FastTextModel } from '../../train/fasttext/model.js';
import { type FastTextSupervised, fastTextTokens, lineRows, supervisedParts } from '../../train/fasttext/supervised.js';
import type { LinearLoss } from './kernel.js';

const f = Math.fround;
/** fastText's std_log: log(p + 1e-5), in float32. Its reported probabilities are exp of this (so p + 1e-5). */
const stdLog = (x: number) => f(Math.log(f(x) + 1e-5));

/** Loss::sigmoid's table: 512 steps over [-8, 8] (fastText predicts ns/ova labels with it). */
const SIGMOID_TABLE = (() => {
  const t = new Float32Array(513);
  for (let i = 0; i <= 512; i++) t[i] = f(1 / (1 + Math.exp(-f(f(i * 2 * 8) / 512 - 8))));
  return t;
})();

function sigmoidTable(x: number): number {
  if (x < -8) return 0;
  if (x > 8) return 1;
  return SIGMOID_TABLE[Math.trunc(f(f(f(x + 8) * 512) / 8 / 2))];
}

/** One text's answer for every label: what fastText reports (exp of its log score) and the plain probability. */
export interface FastTextRow {
  /** fastText's predict-prob value per label (exp of its std_log score): what predict returns. */
  reported: Float32Array;
  /** The model's probability per label (softmax, sigmoid, or product along the hs tree path): for losses. */
  raw: Float32Array;
}

/**
 * A fastText 0.9.2 supervised model (.bin, or .ftz with its quantized input kept as codes and
 * decoded row by row, as fastText does) predicting as `fasttext predict-prob` does, in float32 in
 * fastText's order: the hidden vector is the mean of the line's input rows (Model::computeHidden),
 * then softmax, one sigmoid per label for ns and ova (fastText's sigmoid table), or for hs the
 * Huffman tree's path products with exact sigmoids (HierarchicalSoftmaxLoss::dfs). The text is split
 * as fastText splits a line (whitespace, no lowercasing, `</s>` at its end).
 */
export class FastTextPredictor {
  readonly labels: { label: string; count: number }[];
  readonly loss: LinearLoss;
  readonly dim: number;
  private readonly parts: FastTextSupervised;
  private readonly tree: { left: Int32Array; right: Int32Array; root: number } | null;

  constructor(private readonly model: FastTextModel) {
    if (model.args.model !== 'supervised') {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `${model.name}: a fastText ${model.args.model} model (word vectors), not a supervised classifier; load it with FastText.load`,
      );
    }
    this.parts = supervisedParts(model);
    this.labels = this.parts.labels;
    this.loss = this.parts.loss;
    this.dim = this.parts.dim;
    if (this.labels.length === 0) throw new Wasm2VecError('BAD_FORMAT', `${model.name}: a supervised model without labels`);
    if (this.loss === 'hs') {
      // fastText's tree builder treats 1e15 as "not merged yet": a label count that large would make the tree cyclic.
      const big = this.labels.findIndex((l) => l.count >= 1e15);
      if (big >= 0)
        throw new Wasm2VecError(
          'BAD_FORMAT',
          `${model.name}: label ${JSON.stringify(this.labels[big].label)} has count ${this.labels[big].count}, too large for hierarchical softmax's tree (below 1e15)`,
        );
    }
    this.tree = this.loss === 'hs' ? huffman(this.labels.map((l) => l.count)) : null;
  }

  get size(): number {
    return this.labels.length;
  }

  /** The line's hidden vector, or null when it has no input rows (fastText then predicts nothing). */
  hidden(text: string): Float32Array | null {
    const rows = lineRows(this.model, fastTextTokens(text));
    if (rows.length === 0) return null;
    const h = new Float32Array(this.dim);
    for (const r of rows) this.parts.input.addRowToVector(h, r);
    const a = f(1 / rows.length);
    for (let j = 0; j < this.dim; j++) h[j] *= a;
    for (let j = 0; j < this.dim; j++) {
      if (h[j] - h[j] !== 0) {
        throw new Wasm2VecError(
          'NUMERIC',
          `${this.model.name}: the hidden vector of ${JSON.stringify(text.slice(0, 80))} overflows float32: the input matrix holds weights near the float32 limit (a damaged file)`,
        );
      }
    }
    return h;
  }

  /** Every label's reported and plain probability for a text; null when the text has no rows. */
  row(text: string): FastTextRow | null {
    const h = this.hidden(text);
    if (!h) return null;
    const C = this.labels.length;
    const out = this.parts.output;
    const raw = new Float32Array(C);
    const reported = new Float32Array(C);
    if (this.tree) {
      const { left, right, root } = this.tree;
      // Every leaf, without the search's pruning: its score is the same sum the pruned search forms.
      const walk = (node: number, score: number, p: number) => {
        if (left[node] === -1) {
          reported[node] = f(Math.exp(score));
          raw[node] = p;
          return;
        }
        const s = out.dotRow(h, node - C);
        const q = f(1 / f(1 + f(Math.exp(-s))));
        walk(left[node], f(score + stdLog(f(1 - q))), f(p * f(1 - q)));
        walk(right[node], f(score + stdLog(q)), f(p * q));
      };
      walk(root, 0, 1);
      return { reported, raw };
    }
    for (let i = 0; i < C; i++) raw[i] = out.dotRow(h, i);
    if (this.loss === 'softmax') {
      let max = raw[0];
      for (let i = 0; i < C; i++) max = Math.max(raw[i], max);
      let z = 0;
      for (let i = 0; i < C; i++) {
        raw[i] = f(Math.exp(f(raw[i] - max)));
        z = f(z + raw[i]);
      }
      for (let i = 0; i < C; i++) raw[i] = f(raw[i] / z);
    } else {
      for (let i = 0; i < C; i++) raw[i] = sigmoidTable(raw[i]);
    }
    for (let i = 0; i < C; i++) reported[i] = f(Math.exp(stdLog(raw[i])));
    return { reported, raw };
  }
}

/** HierarchicalSoftmaxLoss::buildTree over the label counts: children of each inner node (-1 at leaves). */
function huffman(counts: number[]): { left: Int32Array; right: Int32Array; root: number } {
  const osz = counts.length;
  const n = 2 * osz - 1;
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
  }
  return { left, right, root: n - 1 };
}
