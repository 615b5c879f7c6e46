import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join, dirname } from 'node:path';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** ../shared/data next to the repo (CI has it too). */
export const sharedData = join(repoRoot, '..', 'shared', 'data');
export const demoCorpusPath = join(repoRoot, 'data', 'demo-fairytales', 'corpus.txt');

export function sharedFile(rel: string): string {
  const p = join(sharedData, rel);
  if (!existsSync(p)) throw new Error(`test data missing: ${p} (the tests read ../shared/data next to the repo)`);
  return p;
}

/** The first `bytes` of the text8-style 18M corpus (cut at a space), for quality tests on a slice. */
export function text8Slice(bytes: number): string {
  const all = gunzipSync(readFileSync(sharedFile('en-corpus-gutenberg-18m/corpus.text8.gz')));
  let end = Math.min(bytes, all.length);
  while (end < all.length && all[end] !== 0x20 && all[end] !== 0x0a) end++;
  return all.subarray(0, end).toString('latin1');
}
