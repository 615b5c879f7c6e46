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
  /** A one-letter short form (-o). */
  alias?: string;
  /** Other long names that mean the same flag (a peer tool's spelling, or this CLI's older name). */
  aliases?: readonly string[];
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
  const byLongAlias = new Map(Object.entries(specs).flatMap(([n, s]) => (s.aliases ?? []).map((a) => [a, n] as const)));
  const given = new Map<string, string>();
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
    // Messages name the flag as the user spelled it (--alpha), values are stored under the canonical name.
    let shown: string;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      shown = name;
      const canonical = byLongAlias.get(name);
      if (canonical !== undefined) {
        const spelled = given.get(canonical);
        if (spelled !== undefined && spelled !== name) throw new UsageError(`--${name} and --${spelled} are the same option; give one`);
        given.set(canonical, name);
        name = canonical;
      } else if (Object.hasOwn(specs, name)) {
        const spelled = given.get(name);
        if (spelled !== undefined && spelled !== name) throw new UsageError(`--${name} and --${spelled} are the same option; give one`);
        given.set(name, name);
      }
    } else {
      const n = byAlias.get(a.slice(1));
      if (!n) throw new UsageError(`unknown option ${a}`);
      name = n;
      shown = n;
    }
    // Own keys only: --toString or --constructor would otherwise find Object.prototype's members.
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) throw new UsageError(`unknown option --${shown}`);
    if (spec.kind === 'boolean') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new UsageError(`--${shown} takes no value`);
      flags[name] = inline !== 'false';
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`--${shown} needs a value`);
    if (spec.kind === 'string') flags[name] = raw;
    else {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v) || (spec.kind === 'int' && !Number.isInteger(v))) {
        throw new UsageError(`--${shown}: expected ${spec.kind === 'int' ? 'an integer' : 'a number'}, got ${JSON.stringify(raw)}`);
      }
      flags[name] = v;
    }
  }
  return { positionals, flags };
}

export function formatFlags(specs: FlagSpecs): string {
  return Object.entries(specs)
    .map(
      ([n, s]) =>
        `  ${(s.alias ? `-${s.alias}, ` : '    ') + `--${n}${s.kind === 'boolean' ? '' : ` <${s.kind}>`}`.padEnd(30)} ${s.describe}` +
        (s.aliases?.length ? ` (also ${s.aliases.map((a) => `--${a}`).join(', ')})` : ''),
    )
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
