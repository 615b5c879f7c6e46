/**
 * globalSetup of `npm test`: one line saying that the tests on unshippable data are a separate suite,
 * whether their data is here, and how to run them. Nothing in `npm test` reads that data.
 */
import { existsSync } from 'node:fs';
import { sharedDataDir } from '../helpers/data.js';

export default function setup(): void {
  const dir = sharedDataDir();
  const where = existsSync(dir) ? `data found at ${dir}` : `needs ../shared/data next to the repository or WASM2VEC_DATA=<folder>`;
  console.log(
    `wasm2vec: the data suite (test/**/*.data.test.ts: WordSim-353, Chinese WordSim, ChnSentiCorp, MSRA news) is not part of npm test; run it with \`npm run test:data\` (${where})`,
  );
}
