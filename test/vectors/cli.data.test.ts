import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { FIXTURE } from './vector-fixtures.js';
import { repoData, sharedData } from '../helpers/data.js';

// Data suite: the --pairs half of cli.test.ts's eval check (WordSim-353 is not redistributable).

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '',
    err = '';
  const code = await main(args, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    tty: false,
  });
  return { code, out, err };
}

describe('wasm2vec CLI: eval', () => {
  it('eval --pairs reports a Spearman per pairs file, next to the analogies', async () => {
    const r = await cli([
      'eval',
      FIXTURE,
      '--pairs',
      sharedData('en-wordsim353/EN-WS-353-ALL.txt'),
      '--analogies',
      repoData('en-google-analogy/questions-words.txt'),
      '--json',
      '--threads',
      '1',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.pairs[0].spearman).toBeGreaterThan(-1);
    expect(j.analogies.covered).toBeGreaterThan(0);
  });
});
