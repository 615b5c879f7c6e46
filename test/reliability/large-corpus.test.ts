import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/data.js';

/**
 * The CI-sized run of scripts/large-corpus.ts (the full one streams 1 GiB): a generated 24 MiB corpus
 * streamed from its path through Word2Vec in a fresh process, whose peak RSS must stay under
 * 1.5 × model size + the fixed buffer (baseline + token cache + 192 MiB).
 */
describe('large inputs', () => {
  it('a generated corpus streams through Word2Vec with peak RSS under 1.5 x model + a fixed buffer', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/large-corpus.ts', '--mb', '24', '--types', '300000', '--dim', '48', '--window', '2', '--negative', '1', '--json'],
      { cwd: repoRoot, encoding: 'utf8', timeout: 110_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!);
    console.log(`large corpus (CI size): ${JSON.stringify(r)}`);
    expect(r.rawTokens).toBeGreaterThan(5_000_000);
    expect(r.vocabulary).toBeGreaterThan(50_000);
    expect(r.withinBound).toBe(true);
  });
});
