import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** test/fixtures/fasttext: models written by Debian's fastText 0.9.2 and what its tools printed (scripts/fasttext-fixtures.sh). */
export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'fasttext');

export const fixture = (name: string) => join(FIXTURES, name);

/** Every model in the fixtures, with the file-name stem of its recorded outputs. */
export const MODELS = [
  { file: 'skipgram.bin', stem: 'skipgram', supervised: false },
  { file: 'cbow-hs.bin', stem: 'cbow-hs', supervised: false },
  { file: 'gensim.bin', stem: 'gensim', supervised: false },
  { file: 'supervised.bin', stem: 'supervised', supervised: true },
  { file: 'supervised.ftz', stem: 'supervised.ftz', supervised: true },
  { file: 'supervised-ova.bin', stem: 'supervised-ova', supervised: true },
  { file: 'firstword-hs.bin', stem: 'firstword-hs', supervised: true },
  { file: 'firstword-hs.ftz', stem: 'firstword-hs.ftz', supervised: true },
  { file: 'synthetic-skipgram.bin', stem: 'synthetic-skipgram', supervised: false },
  { file: 'synthetic-supervised.bin', stem: 'synthetic-supervised', supervised: true },
] as const;

/** Splits bytes on '\n' (the last, empty piece after a final newline dropped). */
export function byteLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      out.push(bytes.subarray(start, i));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

/** words.txt: the looked-up words as bytes (two of them are not valid UTF-8). */
export function fixtureWords(): Uint8Array[] {
  return byteLines(new Uint8Array(readFileSync(fixture('words.txt'))));
}

/** A line "word v1 v2 ... vn " as fastText prints it: the word's bytes and the printed numbers as text. */
export function parsePrinted(line: Uint8Array): { word: Uint8Array; values: string[] } {
  const sp = line.indexOf(0x20);
  const word = line.subarray(0, sp);
  const values = new TextDecoder()
    .decode(line.subarray(sp + 1))
    .trim()
    .split(' ');
  return { word, values };
}

export function printedLines(name: string): { word: Uint8Array; values: string[] }[] {
  return byteLines(new Uint8Array(readFileSync(fixture(name)))).map(parsePrinted);
}

/** NAME.vectors.json: fastText's get_word_vector at full float32 precision, per word (hex bytes). */
export function fullVectors(stem: string): { hex: string; vector: number[] }[] {
  return JSON.parse(readFileSync(fixture(`${stem}.vectors.json`), 'utf8'));
}

/** NAME.predict.json: predictions at full precision per sentence (hex bytes). */
export function fullPredictions(stem: string): { hex: string; predictions: [string, number][] }[] {
  return JSON.parse(readFileSync(fixture(`${stem}.predict.json`), 'utf8'));
}

/**
 * A float as C++'s ostream prints it with setprecision(5) and the default float field (printf's %.5g):
 * 5 significant digits, trailing zeros removed, scientific notation below 1e-4 and from 1e5.
 */
export function formatG5(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expText] = x.toExponential(4).split('e');
  const e = Number(expText);
  if (e < -4 || e >= 5) {
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(4 - e);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
