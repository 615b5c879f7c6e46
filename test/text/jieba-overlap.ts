/** Scores the library tokenizer's Chinese segmentation against jieba's (the corpora's `*.seg.txt.gz`). */
import { expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createTokenizer } from '../../src/text/tokenizer.js';

/** The first `n` lines of a gzipped text file. */
export function gunzipLines(path: string, n: number): string[] {
  return gunzipSync(readFileSync(path)).toString('utf8').split('\n').slice(0, n);
}

/** Token-level F1 of `ours` against `gold`, matching tokens by their character span in the line. */
function spanF1(lines: string[], ours: string[][], gold: string[][]): { p: number; r: number; f1: number } {
  let tp = 0;
  let np = 0;
  let ng = 0;
  const spans = (tokens: string[], line: string) => {
    const set = new Set<string>();
    let pos = 0;
    for (const w of tokens) {
      const at = line.indexOf(w, pos);
      if (at < 0) continue;
      set.add(`${at}:${w.length}`);
      pos = at + w.length;
    }
    return set;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].toLowerCase();
    const a = spans(ours[i], line);
    const b = spans(gold[i], line);
    for (const s of a) if (b.has(s)) tp++;
    np += a.size;
    ng += b.size;
  }
  const p = tp / np;
  const r = tp / ng;
  return { p, r, f1: (2 * p * r) / (p + r) };
}

/** F1 of the default tokenizer against jieba on the first 2000 lines: above `minF1`, and 0.2 above one token per character. */
export function expectJiebaOverlap(rawPath: string, segPath: string, minF1: number): number {
  const tokenize = createTokenizer();
  const raw = gunzipLines(rawPath, 2000);
  const gold = gunzipLines(segPath, 2000).map((l) =>
    l
      .split(' ')
      .filter(Boolean)
      .map((w) => w.toLowerCase()),
  );
  const ours = spanF1(
    raw,
    raw.map((l) => tokenize(l)),
    gold,
  );
  const perChar = spanF1(
    raw,
    raw.map((l) => [...l].filter((c) => /\p{L}|\p{N}/u.test(c))),
    gold,
  );
  expect(ours.f1).toBeGreaterThan(minF1);
  expect(ours.f1).toBeGreaterThan(perChar.f1 + 0.2);
  return ours.f1;
}
