/**
 * fastText's HierarchicalSoftmaxLoss::buildTree: a Huffman tree over label counts (given in the
 * model's label order, which is count-descending). Leaf i's path lists the inner nodes from the leaf
 * up to the root as output-layer rows (node - labels) and, per node, whether the path goes right
 * (code 1: probability σ(w·h)) or left (code 0: 1 - σ(w·h)). Integer-only, so it can live in
 * TypeScript without touching cross-engine determinism.
 */
export interface LabelTree {
  maxDepth: number;
  /** labels × maxDepth inner-node rows, leaf to root. */
  paths: Int32Array;
  /** labels × maxDepth branch bits. */
  codes: Uint8Array;
  pathLength: Int32Array;
}

/** fastText's count for not-yet-merged tree nodes: a label count at or above it would make the tree cyclic. */
export const LABEL_COUNT_SENTINEL = 1e15;

export function buildLabelTree(counts: ArrayLike<number>): LabelTree {
  const osz = counts.length;
  const nodes = 2 * osz - 1;
  const count = new Float64Array(nodes).fill(LABEL_COUNT_SENTINEL);
  const parent = new Int32Array(nodes).fill(-1);
  const binary = new Uint8Array(nodes);
  for (let i = 0; i < osz; i++) count[i] = counts[i];
  let leaf = osz - 1;
  let node = osz;
  for (let i = osz; i < nodes; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) {
      if (leaf >= 0 && count[leaf] < count[node]) mini[j] = leaf--;
      else mini[j] = node++;
    }
    count[i] = count[mini[0]] + count[mini[1]];
    parent[mini[0]] = i;
    parent[mini[1]] = i;
    binary[mini[1]] = 1;
  }
  const pathLength = new Int32Array(osz);
  let maxDepth = 1;
  for (let i = 0; i < osz; i++) {
    let d = 0;
    for (let j = i; parent[j] !== -1; j = parent[j]) d++;
    pathLength[i] = d;
    if (d > maxDepth) maxDepth = d;
  }
  const paths = new Int32Array(osz * maxDepth);
  const codes = new Uint8Array(osz * maxDepth);
  for (let i = 0; i < osz; i++) {
    let d = 0;
    for (let j = i; parent[j] !== -1; j = parent[j], d++) {
      paths[i * maxDepth + d] = parent[j] - osz;
      codes[i * maxDepth + d] = binary[j];
    }
  }
  return { maxDepth, paths, codes, pathLength };
}
