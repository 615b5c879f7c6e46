/**
 * Where the tests find their data. Two kinds, two helpers:
 *
 * - `repoData(rel)`: the slices under `data/` that the repository ships (licences in each MANIFEST.md).
 *   Always there in a clone; every test of `npm test` reads only these.
 * - `sharedData(rel)`: the sets that cannot ship (WordSim-353, the Chinese WordSim sets, ChnSentiCorp,
 *   the MSRA news text, the full 18M corpus), in `$WASM2VEC_DATA` or else `../shared/data` next to the
 *   repository. Only the data suite (the `*.data.test.ts` files, `npm run test:data`) may use it.
 */
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { join, dirname, resolve } from 'node:path';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A file under the repository's `data/`. A missing one is a broken checkout, not an optional input. */
export function repoData(rel: string): string {
  const p = join(repoRoot, 'data', rel);
  if (!existsSync(p)) throw new Error(`repository data missing: ${p} (it is committed under data/; is the checkout complete?)`);
  return p;
}

export const demoCorpusPath = repoData('demo-fairytales/corpus.txt');

/** The shipped head of the text8-style 18M corpus: the first 15,000,000 bytes, cut at a space. */
export const TEXT8_HEAD_BYTES = 15_000_000;

/**
 * The first `bytes` of the text8-style 18M corpus (cut at the next space), for quality tests on a slice.
 * Read from the shipped head, which holds exactly these bytes for any `bytes` ≤ 15,000,000.
 */
export function text8Slice(bytes: number): string {
  if (bytes > TEXT8_HEAD_BYTES) {
    throw new Error(
      `text8Slice(${bytes}): the repository ships the first ${TEXT8_HEAD_BYTES} bytes; a larger slice needs the full corpus (sharedData, data suite)`,
    );
  }
  const all = gunzipSync(readFileSync(repoData('en-corpus-gutenberg-head/corpus.text8.gz')));
  let end = Math.min(bytes, all.length);
  while (end < all.length && all[end] !== 0x20 && all[end] !== 0x0a) end++;
  return all.subarray(0, end).toString('latin1');
}

/** The folder of the unshippable data: `$WASM2VEC_DATA`, else `../shared/data` next to the repository. */
export function sharedDataDir(): string {
  const env = process.env.WASM2VEC_DATA;
  return env ? resolve(env) : join(repoRoot, '..', 'shared', 'data');
}

/** Set by the vitest config in the unit and main projects, so a stray `sharedData` call fails everywhere, not only on a bare clone. */
export const NO_SHARED_DATA_ENV = 'WASM2VEC_NO_SHARED_DATA';

/** A file of the unshippable data; only for `*.data.test.ts`. Throws naming `WASM2VEC_DATA` when absent. */
export function sharedData(rel: string): string {
  if (process.env[NO_SHARED_DATA_ENV] === '1') {
    throw new Error(`sharedData('${rel}') outside the data suite: tests that need it belong in a *.data.test.ts file (npm run test:data)`);
  }
  const p = join(sharedDataDir(), rel);
  if (!existsSync(p)) {
    throw new Error(
      `data suite: ${p} is missing. Point WASM2VEC_DATA at the data folder (one subfolder per set, as ../shared/data), or put it at ../shared/data next to the repository`,
    );
  }
  return p;
}
