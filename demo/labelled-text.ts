/**
 * Labelled texts for the sentiment panel: the MR file (`label<TAB>fold<TAB>text` with a header) or any
 * dropped TSV, with a header naming `label` and `text` columns (optional `fold`), or headerless
 * `label<TAB>text` lines. Labels may be integers 0..k-1 or any strings (numbered in sorted order).
 */
export interface LabelledData {
  name: string;
  texts: string[];
  labels: number[];
  /** Fold per row when the file has a fold column (fold 0 is then the validation set). */
  folds: number[] | null;
  /** Display name per class id. */
  classNames: string[];
}

export function parseLabelledText(content: string, name: string, names: Record<number, string> = {}): LabelledData {
  const lines = content.split(/\r?\n/);
  const head = (lines[0] ?? '').split('\t').map((h) => h.trim().toLowerCase());
  const hasHeader = head.includes('label') && head.includes('text');
  const li = hasHeader ? head.indexOf('label') : 0;
  const ti = hasHeader ? head.indexOf('text') : 1;
  const fi = hasHeader ? head.indexOf('fold') : -1;
  const texts: string[] = [],
    raw: string[] = [],
    folds: number[] = [];
  for (let n = hasHeader ? 1 : 0; n < lines.length; n++) {
    if (lines[n].trim() === '') continue;
    const cells = lines[n].split('\t');
    const where = `${name}, line ${n + 1}`;
    if (cells.length <= Math.max(li, ti)) {
      throw new Error(`${where}: expected ${hasHeader ? `${head.length} tab-separated columns` : 'label<TAB>text'}, got ${cells.length} column(s)`);
    }
    const label = cells[li].trim();
    if (label === '') throw new Error(`${where}: the label is empty`);
    raw.push(label);
    texts.push(cells[ti]);
    if (fi >= 0) {
      const f = Number(cells[fi]);
      if (!Number.isInteger(f)) throw new Error(`${where}: fold ${JSON.stringify(cells[fi])} is not an integer`);
      folds.push(f);
    }
  }
  if (texts.length < 10)
    throw new Error(`${name}: only ${texts.length} labelled rows; need at least 10 (a header with "label" and "text" columns, or label<TAB>text lines)`);
  const distinct = [...new Set(raw)];
  const integers = distinct.every((l) => /^\d+$/.test(l));
  let classNames: string[];
  let labels: number[];
  if (integers && distinct.length >= 2 && Math.max(...distinct.map(Number)) < Math.max(2, distinct.length)) {
    const k = Math.max(...distinct.map(Number)) + 1;
    classNames = Array.from({ length: k }, (_, i) => names[i] ?? `label ${i}`);
    labels = raw.map(Number);
  } else {
    classNames = distinct.sort();
    const id = new Map(classNames.map((c, i) => [c, i]));
    labels = raw.map((l) => id.get(l)!);
  }
  if (classNames.length < 2) throw new Error(`${name}: every row has the label ${JSON.stringify(distinct[0])}; a classifier needs at least two classes`);
  return { name, texts, labels, folds: fi >= 0 ? folds : null, classNames };
}

/** A seeded permutation (mulberry32), so the demo's splits and subsets are the same on every run. */
export function seededOrder(n: number, seed: number): number[] {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export interface Split {
  train: { texts: string[]; labels: number[] };
  validation: { texts: string[]; labels: number[] };
  /** How the validation rows were chosen, for the status line. */
  how: string;
}

/**
 * Fold 0 validates when the file has folds (MR's fixed 10 folds); otherwise a seeded 10 % holdout.
 * `maxTrain` keeps a seeded random subset of the training rows (for quick runs).
 */
export function splitData(d: LabelledData, maxTrain = Infinity): Split {
  const order = seededOrder(d.texts.length, 2024);
  const isVal = d.folds
    ? (i: number) => d.folds![i] === 0
    : (() => {
        const held = new Set(order.slice(0, Math.max(1, Math.round(d.texts.length / 10))));
        return (i: number) => held.has(i);
      })();
  const split: Split = { train: { texts: [], labels: [] }, validation: { texts: [], labels: [] }, how: d.folds ? 'fold 0' : 'a seeded 10 % holdout' };
  for (const i of order) {
    const part = isVal(i) ? split.validation : split.train;
    if (part === split.train && part.texts.length >= maxTrain) continue;
    part.texts.push(d.texts[i]);
    part.labels.push(d.labels[i]);
  }
  if (!split.train.texts.length || !split.validation.texts.length)
    throw new Error(`${d.name}: the split left no rows to ${split.train.texts.length ? 'validate' : 'train'} on`);
  return split;
}
