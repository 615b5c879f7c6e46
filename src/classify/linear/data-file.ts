import { Wasm2VecError } from '../../errors.js';
import { importNode } from '../../runtime/capabilities.js';
import type { Label } from './labels.js';

/** fastText marks labels with this prefix inside the text. */
export const FASTTEXT_LABEL_PREFIX = '__label__';

export interface LabelledLines {
  format: 'fasttext' | 'tsv' | 'text';
  texts: string[];
  /** One label per line, or label arrays when some fastText line has several labels; null for plain text. */
  labels: Label[] | Label[][] | null;
  /** The fold column of a `label<TAB>fold<TAB>text` file, else null. */
  folds: number[] | null;
  /** 1-based source line of each text, for messages. */
  lines: number[];
}

/**
 * Reads labelled text in one of three layouts, detected from the content:
 * - fastText: `__label__pos __label__x words…` (labels are the `__label__` tokens anywhere on the line,
 *   kept with their prefix as fastText prints them; the rest, joined by spaces, is the text);
 * - TSV with a header naming `label` and `text` columns (and optionally `fold`), like mr.tsv;
 * - TSV without a header: `label<TAB>text`.
 * With `labelsRequired: false`, lines with neither labels nor tabs are plain texts (for prediction).
 */
export function parseLabelledLines(content: string, source: string, labelsRequired: boolean): LabelledLines {
  const raw = content.split(/\r?\n/);
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const lines: { text: string; line: number }[] = [];
  raw.forEach((text, i) => {
    if (text.trim() !== '') lines.push({ text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, line: i + 1 });
  });
  if (lines.length === 0) throw new Wasm2VecError('EMPTY_CORPUS', `${source}: no non-empty lines`);
  const first = lines[0].text;
  const header = first.split('\t').map((c) => c.trim().toLowerCase());
  if (header.includes('text') && header.includes('label')) return parseTsv(lines.slice(1), source, header);
  if (lines.some((l) => l.text.split(/\s+/).some((t) => t.startsWith(FASTTEXT_LABEL_PREFIX)))) return parseFastText(lines, source, labelsRequired);
  if (first.includes('\t')) return parseTsv(lines, source, null);
  if (labelsRequired) {
    throw new Wasm2VecError(
      'BAD_FORMAT',
      `${source}: line ${lines[0].line}: no label found; expected fastText lines ("__label__pos some text"), a TSV with a "label" and a "text" column, or "label<TAB>text" lines`,
    );
  }
  return { format: 'text', texts: lines.map((l) => l.text), labels: null, folds: null, lines: lines.map((l) => l.line) };
}

function parseFastText(lines: { text: string; line: number }[], source: string, labelsRequired: boolean): LabelledLines {
  const texts: string[] = [];
  const labelLists: Label[][] = [];
  let multi = false;
  for (const { text, line } of lines) {
    const words: string[] = [];
    const ls: Label[] = [];
    for (const t of text.split(/\s+/)) {
      if (t === '') continue;
      if (t.startsWith(FASTTEXT_LABEL_PREFIX)) ls.push(t);
      else words.push(t);
    }
    if (ls.length === 0 && labelsRequired) {
      throw new Wasm2VecError(
        'BAD_FORMAT',
        `${source}: line ${line} has no ${FASTTEXT_LABEL_PREFIX} label (fastText format): ${JSON.stringify(text.slice(0, 60))}`,
      );
    }
    if (ls.length !== 1) multi = true;
    texts.push(words.join(' '));
    labelLists.push(ls);
  }
  return {
    format: 'fasttext',
    texts,
    labels: multi ? labelLists : labelLists.map((l) => l[0]),
    folds: null,
    lines: lines.map((l) => l.line),
  };
}

function parseTsv(lines: { text: string; line: number }[], source: string, header: string[] | null): LabelledLines {
  const labelAt = header ? header.indexOf('label') : 0;
  const foldAt = header ? header.indexOf('fold') : -1;
  const width = header ? header.length : 2;
  const textAt = header ? header.indexOf('text') : 1;
  const texts: string[] = [];
  const labels: Label[] = [];
  const folds: number[] = [];
  for (const { text, line } of lines) {
    const cells = text.split('\t');
    if (cells.length < width) {
      throw new Wasm2VecError(
        'BAD_FORMAT',
        `${source}: line ${line} has ${cells.length} tab-separated fields, expected ${width}${header ? ` (${header.join(', ')})` : ' (label, text)'}`,
      );
    }
    const label = cells[labelAt].trim();
    if (label === '') throw new Wasm2VecError('BAD_FORMAT', `${source}: line ${line}: empty label`);
    labels.push(label);
    // Text is the last column in a header-less file; with a header, everything from its column on.
    texts.push(header ? cells.slice(textAt, textAt + 1 + (cells.length - width)).join('\t') : cells.slice(1).join('\t'));
    if (foldAt >= 0) {
      const f = Number(cells[foldAt]);
      if (!Number.isInteger(f)) throw new Wasm2VecError('BAD_FORMAT', `${source}: line ${line}: fold ${JSON.stringify(cells[foldAt])} is not an integer`);
      folds.push(f);
    }
  }
  if (texts.length === 0) throw new Wasm2VecError('EMPTY_CORPUS', `${source}: a header but no rows`);
  return { format: 'tsv', texts, labels, folds: foldAt >= 0 ? folds : null, lines: lines.map((l) => l.line) };
}

/** Reads and parses a labelled data file (Node), or standard input for `-`. */
export async function readLabelledFile(path: string, labelsRequired: boolean): Promise<LabelledLines> {
  let content: string;
  try {
    if (path === '-') {
      const chunks: Uint8Array[] = [];
      for await (const c of process.stdin) chunks.push(c as Uint8Array);
      content = Buffer.concat(chunks).toString('utf8');
    } else {
      const fs = await importNode<typeof import('node:fs/promises')>('node:fs/promises');
      content = await fs.readFile(path, 'utf8');
    }
  } catch (e) {
    throw new Wasm2VecError('IO', `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseLabelledLines(content, path === '-' ? 'stdin' : path, labelsRequired);
}
