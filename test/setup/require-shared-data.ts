/**
 * globalSetup of `npm run test:data`: the data suite exists to run on the sets the repository cannot
 * ship, so a missing data folder fails the run at once, naming the folder and WASM2VEC_DATA, instead of
 * failing file by file (or, worse, passing with nothing checked).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../helpers/data.js';

/** The sets the *.data.test.ts files read (each a folder of ../shared/data with its MANIFEST.md). */
export const SHARED_SETS = [
  'en-wordsim353',
  'zh-wordsim-240-297',
  'zh-chnsenticorp-htl',
  'zh-corpus-msra-news',
  'zh-corpus-classic-novels',
  'zh-corpus-tatoeba-cmn',
];

export default function setup(): void {
  const dir = sharedDataDir();
  const how = 'set WASM2VEC_DATA to the data folder (one subfolder per set, as ../shared/data) or put it at ../shared/data next to the repository';
  if (!existsSync(dir)) {
    throw new Error(`npm run test:data: no data folder at ${dir}${process.env.WASM2VEC_DATA ? ' (from WASM2VEC_DATA)' : ''}; ${how}`);
  }
  const missing = SHARED_SETS.filter((s) => !existsSync(join(dir, s)));
  if (missing.length > 0) throw new Error(`npm run test:data: ${dir} lacks ${missing.join(', ')}; ${how}`);
  console.log(`wasm2vec data suite: reading ${dir}`);
}
