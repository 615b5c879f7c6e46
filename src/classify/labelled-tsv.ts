import { Wasm2VecError } from '../errors.js';

/** Rows of a labelled TSV file (the shared datasets' `label<TAB>fold<TAB>text` layout). */
export interface LabelledRows {
  texts: string[];
  labels: number[];
  /** The fold column when the file has one. */
  folds: number[] | null;
}

export interface LabelledTsvColumns {
  label?: string;
  text?: string;
  fold?: string;
}

/**
 * Parses a TSV with a header row naming at least a label and a text column (default names `label`,
 * `text`; `fold` is optional). Labels and folds are integers; errors name the file, line and field.
 */
export function parseLabelledTsv(content: string, name: string, columns: LabelledTsvColumns = {}): LabelledRows {
  const lines = content.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new Wasm2VecError('BAD_FORMAT', `${name}: the file is empty (expected a header row with label and text columns)`);
  const header = lines[0].split('\t');
  const col = (want: string, required: boolean): number => {
    const i = header.indexOf(want);
    if (i < 0 && required) {
      throw new Wasm2VecError(
        'BAD_FORMAT',
        `${name}:1: no ${JSON.stringify(want)} column in the header (columns: ${header.map((h) => JSON.stringify(h)).join(', ')})`,
      );
    }
    return i;
  };
  const li = col(columns.label ?? 'label', true);
  const ti = col(columns.text ?? 'text', true);
  const fi = col(columns.fold ?? 'fold', columns.fold !== undefined);
  const rows: LabelledRows = { texts: [], labels: [], folds: fi >= 0 ? [] : null };
  const int = (v: string | undefined, line: number, field: string): number => {
    const x = Number(v);
    if (v === undefined || v.trim() === '' || !Number.isInteger(x)) {
      throw new Wasm2VecError('BAD_FORMAT', `${name}:${line}: ${field} is ${JSON.stringify(v ?? '')}, expected an integer`);
    }
    return x;
  };
  for (let k = 1; k < lines.length; k++) {
    const f = lines[k].split('\t');
    const line = k + 1;
    if (f.length < header.length) throw new Wasm2VecError('BAD_FORMAT', `${name}:${line}: ${f.length} fields, the header has ${header.length}`);
    rows.labels.push(int(f[li], line, 'label'));
    rows.texts.push(f[ti]);
    if (rows.folds) rows.folds.push(int(f[fi], line, 'fold'));
  }
  return rows;
}

/** Splits rows by fold: the test fold and the rest. */
export function splitByFold(rows: LabelledRows, testFold: number): { train: LabelledRows; test: LabelledRows } {
  if (!rows.folds) throw new Wasm2VecError('INVALID_OPTION', 'the file has no fold column to split on');
  const pick = (keep: (f: number) => boolean): LabelledRows => {
    const out: LabelledRows = { texts: [], labels: [], folds: [] };
    rows.folds!.forEach((f, i) => {
      if (!keep(f)) return;
      out.texts.push(rows.texts[i]);
      out.labels.push(rows.labels[i]);
      out.folds!.push(f);
    });
    return out;
  };
  const test = pick((f) => f === testFold);
  if (test.texts.length === 0) throw new Wasm2VecError('INVALID_OPTION', `no rows in fold ${testFold}`);
  return { train: pick((f) => f !== testFold), test };
}
