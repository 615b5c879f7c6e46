import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/data.js';
import { Wasm2VecError } from '../../src/errors.js';
import { Rng, mutate, runFuzz, type FuzzTarget } from './harness.js';

/** A reader that is wrong in exactly one way, to prove the harness reports that way. */
function broken(problem: 'typeerror' | 'allocation' | 'hang' | 'pollution' | 'wrong'): FuzzTarget {
  return {
    name: `broken:${problem}`,
    kind: 'text',
    seeds: () => [new TextEncoder().encode('3 2\na 1 2\nb 3 4\nc 5 6\n')],
    run: async (bytes) => {
      if (bytes.length === 22) return; // the valid seed passes
      if (problem === 'typeerror') (undefined as unknown as { x: number }).x;
      if (problem === 'allocation') new Float32Array(100 * 1024 * 1024);
      if (problem === 'hang') await new Promise(() => {});
      if (problem === 'pollution') Object.assign(Object.prototype, { polluted: 1 });
      if (problem === 'wrong') throw new Error('silent wrong answer');
      throw new Wasm2VecError('BAD_FORMAT', 'fine');
    },
  };
}

describe('fuzz harness', () => {
  it('reports uncaught exception types, header-sized allocations, hangs, prototype pollution and failed invariants', async () => {
    const options = { cases: 4, seed: 1, timeLimitMs: 300, maxFailures: 1 };
    expect((await runFuzz(broken('typeerror'), options)).failures[0].problem).toMatch(/uncaught exception type: TypeError/);
    expect((await runFuzz(broken('allocation'), options)).failures[0].problem).toMatch(/allocated 419430400 bytes at once/);
    expect((await runFuzz(broken('hang'), options)).failures[0].problem).toMatch(/hang: no answer within 300 ms/);
    expect((await runFuzz(broken('pollution'), options)).failures[0].problem).toMatch(/prototype pollution/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await runFuzz(broken('wrong'), options)).failures[0].problem).toMatch(/silent wrong answer/);
  });
  it('a synchronous infinite loop is reported (target, case, seed) and the process killed by the watchdog', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/fuzz/hang-fixture.ts'], { cwd: repoRoot, encoding: 'utf8', timeout: 30_000 });
    expect(r.stdout).not.toContain('not reached');
    expect(r.stderr).toMatch(/FUZZ HANG \(a synchronous loop, 400 ms without returning\): broken:sync-loop case 1 \(run seed 1, case seed \d+, mutations /);
    expect(r.signal).toBe('SIGKILL');
  });

  it('cases are reproducible from (seed, target, index) and the mutations include every kind', () => {
    const seed = new TextEncoder().encode('2 3\nword 1.5 -2 3e-2\nother 0 0 0\n');
    const run = (s: number) => mutate(seed, { rng: new Rng(s), kind: 'text', seeds: [seed], allowHuge: false });
    expect(run(42)).toEqual(run(42));
    const seen = new Set<string>();
    for (let s = 0; s < 400; s++) for (const m of run(s).applied) seen.add(m);
    expect([...seen].sort()).toEqual([
      'bitflip',
      'byteSet',
      'deleteRange',
      'duplicateLine',
      'duplicateRange',
      'hugeNumber',
      'insertText',
      'invalidUtf8',
      'nanInf',
      'nulBytes',
      'splice',
      'truncate',
    ]);
    const huge = mutate(seed, { rng: new Rng(1), kind: 'text', seeds: [seed], allowHuge: true });
    expect(huge.bytes.length).toBeGreaterThan(10 * 1024 * 1024);
  });
});
