import { Wasm2VecError } from '../errors.js';
import { isNode } from '../runtime/capabilities.js';
import { importNode } from './byte-source.js';

/**
 * Readers for the evaluation files in ../shared/data, with gensim's parsing rules so scores match:
 * similarity pairs `word1<TAB>word2<TAB>score` (lines starting with '#' are comments; lines that do
 * not split into exactly three fields with a numeric score are skipped) and Google-style analogy files
 * (`: section` lines, then `a b c d`; lines without exactly four words are skipped).
 */

export type WordPair = readonly [string, string, number];
export type AnalogyQuestion = readonly [string, string, string, string];
export interface AnalogySection {
  name: string;
  questions: AnalogyQuestion[];
}

export interface ParsedPairs {
  pairs: WordPair[];
  skippedLines: number[];
}
export interface ParsedAnalogies {
  sections: AnalogySection[];
  skippedLines: number[];
}

/** Python's float() on a field: surrounding whitespace allowed, also inf/nan and '_' digit groups. */
function pythonFloat(s: string): number | undefined {
  const t = s.trim();
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (!/^[+-]?((\d(_?\d)*)(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$/.test(t)) return undefined;
  return Number(t.replace(/_/g, ''));
}

const LINES = /\r\n|\n|\r/;

export function parseWordPairs(text: string, options: { delimiter?: string } = {}): ParsedPairs {
  const delimiter = options.delimiter ?? '\t';
  if (typeof delimiter !== 'string' || delimiter === '') throw new Wasm2VecError('INVALID_OPTION', 'option delimiter: expected a non-empty string');
  const pairs: WordPair[] = [];
  const skippedLines: number[] = [];
  const lines = text.split(LINES);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    if (line.startsWith('#')) return;
    const parts = line.split(delimiter);
    const score = parts.length === 3 ? pythonFloat(parts[2]) : undefined;
    if (score === undefined) {
      skippedLines.push(i + 1);
      return;
    }
    pairs.push([parts[0], parts[1], score]);
  });
  return { pairs, skippedLines };
}

export function parseAnalogies(text: string, source = 'analogies'): ParsedAnalogies {
  const sections: AnalogySection[] = [];
  const skippedLines: number[] = [];
  let section: AnalogySection | null = null;
  const lines = text.split(LINES);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((line, i) => {
    if (line.startsWith(': ')) {
      section = { name: line.replace(/^[: ]+/, '').trim(), questions: [] };
      sections.push(section);
      return;
    }
    if (!section) throw new Wasm2VecError('BAD_FORMAT', `${source}: line ${i + 1}: a question before the first ": section" line`);
    const words = line
      .trim()
      .split(/\s+/)
      .filter((w) => w.length > 0);
    if (words.length !== 4) {
      skippedLines.push(i + 1);
      return;
    }
    section.questions.push(words as unknown as AnalogyQuestion);
  });
  return { sections, skippedLines };
}

/** Reads a UTF-8 text file (Node only). */
export async function readTextFile(path: string, what: string): Promise<string> {
  if (!isNode) throw new Wasm2VecError('UNSUPPORTED', `${what}: file paths need Node.js; in a browser pass the parsed data`);
  const fs = await importNode<typeof import('node:fs')>('fs');
  try {
    return await fs.promises.readFile(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new Wasm2VecError('IO', code === 'ENOENT' ? `${what} file not found: "${path}"` : `cannot read ${what} file "${path}": ${(e as Error).message}`, {
      cause: e,
    });
  }
}
