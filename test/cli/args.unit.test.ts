import { describe, expect, it } from 'vitest';
import { UsageError, formatFlags, parseArgs, type FlagSpecs } from '../../src/cli/args.js';

const specs: FlagSpecs = {
  output: { kind: 'string', alias: 'o', describe: 'where to write' },
  dim: { kind: 'int', describe: 'vector size' },
  alpha: { kind: 'number', describe: 'learning rate' },
  cbow: { kind: 'boolean', describe: 'CBOW instead of skip-gram' },
  'min-count': { kind: 'int', alias: 'm', describe: 'drop rare words' },
};
const usage = (argv: string[]) => {
  try {
    parseArgs(argv, specs);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('did not fail');
};

describe('parseArgs', () => {
  it('--name value, --name=value, -alias value, boolean flags, positionals in order', () => {
    expect(parseArgs(['corpus.txt', '--dim', '50', '--alpha=0.05', '-o', 'out.bin', '--cbow', 'more', '-m', '3'], specs)).toEqual({
      positionals: ['corpus.txt', 'more'],
      flags: { dim: 50, alpha: 0.05, output: 'out.bin', cbow: true, 'min-count': 3 },
    });
    expect(parseArgs([], specs)).toEqual({ positionals: [], flags: {} });
  });
  it('a value may start with "-" (negative numbers, "-" for stdin); "-" alone and everything after "--" are positionals', () => {
    expect(parseArgs(['--alpha', '-0.5', '--output', '-'], specs).flags).toEqual({ alpha: -0.5, output: '-' });
    expect(parseArgs(['-', '--', '--dim', '-o'], specs).positionals).toEqual(['-', '--dim', '-o']);
  });
  it('booleans take no value except =true / =false; the last of a repeated flag wins', () => {
    expect(parseArgs(['--cbow=false'], specs).flags).toEqual({ cbow: false });
    expect(parseArgs(['--cbow=true'], specs).flags).toEqual({ cbow: true });
    expect(parseArgs(['--cbow', 'false'], specs)).toEqual({ positionals: ['false'], flags: { cbow: true } });
    expect(usage(['--cbow=yes'])).toBe('--cbow takes no value');
    expect(parseArgs(['--dim', '5', '--dim=7'], specs).flags).toEqual({ dim: 7 });
  });
  it('numbers: finite, integers for int flags; empty and blank values refused', () => {
    expect(parseArgs(['--dim', '1e2', '--alpha', '.5'], specs).flags).toEqual({ dim: 100, alpha: 0.5 });
    expect(usage(['--dim', '2.5'])).toBe('--dim: expected an integer, got "2.5"');
    expect(usage(['--dim=abc'])).toBe('--dim: expected an integer, got "abc"');
    expect(usage(['--alpha', 'Infinity'])).toBe('--alpha: expected a number, got "Infinity"');
    expect(usage(['--alpha', 'NaN'])).toBe('--alpha: expected a number, got "NaN"');
    expect(usage(['--dim='])).toBe('--dim: expected an integer, got ""');
    expect(usage(['--alpha', '  '])).toBe('--alpha: expected a number, got "  "');
    expect(parseArgs(['--output='], specs).flags).toEqual({ output: '' });
  });
  it('a value-taking flag at the end needs its value', () => {
    expect(usage(['--dim'])).toBe('--dim needs a value');
    expect(usage(['-o'])).toBe('--output needs a value');
  });
  it('unknown flags and aliases are usage errors, including names that exist on Object.prototype', () => {
    expect(usage(['--dims', '5'])).toBe('unknown option --dims');
    expect(usage(['-x'])).toBe('unknown option -x');
    expect(usage(['-5'])).toBe('unknown option -5');
    expect(usage(['--min_count', '5'])).toBe('unknown option --min_count');
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(usage([`--${name}`, '5'])).toBe(`unknown option --${name}`);
    }
    expect(usage(['-toString'])).toBe('unknown option -toString');
  });
});

describe('formatFlags', () => {
  it('one line per flag: alias, name, <kind> (none for booleans), description', () => {
    const lines = formatFlags(specs).split('\n');
    expect(lines).toHaveLength(5);
    // The alias column is always 4 characters wide, so descriptions line up.
    expect(lines[0]).toBe(`  -o, ${'--output <string>'.padEnd(30)} where to write`);
    expect(lines[3]).toBe(`      ${'--cbow'.padEnd(30)} CBOW instead of skip-gram`);
    expect(lines[4]).toBe(`  -m, ${'--min-count <int>'.padEnd(30)} drop rare words`);
    expect(lines.map((l) => l.slice(37))).toEqual(Object.values(specs).map((x) => x.describe));
  });
});

describe('long aliases (a peer tool’s spelling of the same flag)', () => {
  const lr: FlagSpecs = { 'learning-rate': { kind: 'number', aliases: ['alpha', 'eta'], describe: 'learning rate' } };
  const fail = (argv: string[]) => {
    try {
      parseArgs(argv, lr);
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      return (e as Error).message;
    }
    throw new Error('did not fail');
  };
  it('stores an alias under the canonical name; messages use the spelling given', () => {
    expect(parseArgs(['--alpha', '0.5'], lr).flags).toEqual({ 'learning-rate': 0.5 });
    expect(parseArgs(['--eta=0.1'], lr).flags).toEqual({ 'learning-rate': 0.1 });
    expect(parseArgs(['--learning-rate', '0.2'], lr).flags).toEqual({ 'learning-rate': 0.2 });
    expect(fail(['--alpha', 'x'])).toBe('--alpha: expected a number, got "x"');
    expect(fail(['--eta'])).toBe('--eta needs a value');
  });
  it('two spellings of one flag is a usage error; the same spelling twice keeps the last value', () => {
    expect(fail(['--alpha', '0.5', '--learning-rate', '0.5'])).toBe('--learning-rate and --alpha are the same option; give one');
    expect(fail(['--learning-rate', '0.5', '--eta', '0.1'])).toBe('--eta and --learning-rate are the same option; give one');
    expect(parseArgs(['--alpha', '0.5', '--alpha', '0.25'], lr).flags).toEqual({ 'learning-rate': 0.25 });
  });
  it('help lists the aliases', () => {
    expect(formatFlags(lr)).toMatch(/--learning-rate <number> +learning rate \(also --alpha, --eta\)/);
  });
});
