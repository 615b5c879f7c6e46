/** A small, strict argv parser shared by the CLI commands: unknown flags and bad values are usage errors. */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagKind = 'string' | 'int' | 'number' | 'boolean';
export interface FlagSpec {
  kind: FlagKind;
  alias?: string;
  describe: string;
}
export type FlagSpecs = Record<string, FlagSpec>;

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | number | boolean>;
}

/** Parses `--name value`, `--name=value`, `-o value` and boolean `--flag`. Flag names are kebab-case. */
export function parseArgs(argv: string[], specs: FlagSpecs): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | number | boolean> = {};
  const byAlias = new Map(
    Object.entries(specs)
      .filter(([, s]) => s.alias)
      .map(([n, s]) => [s.alias!, n]),
  );
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    let name: string, inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    } else {
      const n = byAlias.get(a.slice(1));
      if (!n) throw new UsageError(`unknown option ${a}`);
      name = n;
    }
    // Own keys only: --toString or --constructor would otherwise find Object.prototype's members.
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.kind === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new UsageError(`--${name} takes no value`);
      flags[name] = inline !== 'false';
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec.kind === 'string') flags[name] = raw;
    else {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v) || (spec.kind === 'int' && !Number.isInteger(v))) {
        throw new UsageError(`--${name}: expected ${spec.kind === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`);
      }
      flags[name] = v;
    }
  }
  return { positionals, flags };
}

export function formatFlags(specs: FlagSpecs): string {
  return Object.entries(specs)
    .map(([n, s]) => `  ${(s.alias ? `-${s.alias}, ` : '    ') + `--${n}${s.kind === 'boolean' ? '' : ` <${s.kind}>`}`.padEnd(30)} ${s.describe}`)
    .join('\n');
}

/** A CLI command module: `run` returns the exit code (0 ok, 1 runtime error); usage errors throw UsageError. */
export interface CliCommand {
  summary: string;
  usage: string;
  flags: FlagSpecs;
  run(args: ParsedArgs, io: CliIO): Promise<number>;
}

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  /** True when stderr is a terminal: progress bars go there, nothing when piped. */
  tty: boolean;
}
