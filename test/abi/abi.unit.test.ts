import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { renderAssembly, renderKernelExports, renderTypeScript, upperSnake, WASM_TYPE, type AbiSchema, type AbiStruct } from '../../scripts/abi-codegen.mjs';
import { wasmFunctionExports } from '../../scripts/wasm-signatures.mjs';
import { KERNEL_SIGNATURES } from '../../src/runtime/abi/kernel-exports.generated.js';
import * as fasttextAbi from '../../src/runtime/abi/fasttext.generated.js';
import * as gloveAbi from '../../src/runtime/abi/glove.generated.js';
import * as linearAbi from '../../src/runtime/abi/linear.generated.js';
import * as lstmAbi from '../../src/runtime/abi/lstm.generated.js';
import * as word2vecAbi from '../../src/runtime/abi/word2vec.generated.js';
import { wasmBinaries } from '../../src/runtime/wasm-binaries.generated.js';
import { decodeBase64 } from '../../src/runtime/wasm-modules.js';
import { repoRoot } from '../helpers/data.js';

// The JS↔WASM contract: one field list per descriptor (assembly/abi/<module>.abi.json) from which the
// build renders the AssemblyScript offsets and the TypeScript encoders, and export interfaces rendered
// from asc's declarations. These tests fail when a generated file is stale, when the TypeScript encoder
// and the AssemblyScript constants disagree on any byte, when a kernel keeps offsets or helpers of its
// own, or when the export interfaces do not match the compiled binaries.

const read = (rel: string) => readFileSync(join(repoRoot, rel), 'utf8');
const schemaFiles = readdirSync(join(repoRoot, 'assembly', 'abi'))
  .filter((f) => f.endsWith('.abi.json'))
  .sort();
const schemas = schemaFiles.map((f) => ({ rel: `assembly/abi/${f}`, schema: JSON.parse(read(`assembly/abi/${f}`)) as AbiSchema }));
const kernels = readdirSync(join(repoRoot, 'assembly'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();
/** The generated TypeScript side of each schema, as the library imports it. */
const generated: Record<string, Record<string, unknown>> = { fasttext: fasttextAbi, glove: gloveAbi, linear: linearAbi, lstm: lstmAbi, word2vec: word2vecAbi };

/** `export const NAME: usize|i32 = N;` lines of a generated AssemblyScript file. */
function assemblyConstants(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^export const (\w+): (?:usize|i32) = (\d+);$/gm)) out.set(m[1], Number(m[2]));
  return out;
}

type Scalar = number | bigint | boolean | string;
type Value = { [field: string]: Scalar | Value[] };

/** A value with a distinct, exactly representable entry in every field (the n-th field gets n). */
function sample(s: AbiStruct, byName: Map<string, AbiStruct>, seed: number): Value {
  const v: Value = {};
  s.fields.forEach((f, i) => {
    const n = seed + i + 1;
    if (f.count !== undefined) v[f.name] = Array.from({ length: f.count }, (_, j) => sample(byName.get(f.type)!, byName, 100 * (n + j)));
    else if (f.values) v[f.name] = Object.keys(f.values)[n % Object.keys(f.values).length];
    else if (f.type === 'u32' || f.type === 'ptr') v[f.name] = 0x10000 * n + 7;
    else if (f.type === 'i32') v[f.name] = -n;
    else if (f.type === 'f32') v[f.name] = n + 0.5;
    else if (f.type === 'f64') v[f.name] = n + 1 / 3;
    else if (f.type === 'u64') v[f.name] = (1n << 40n) + BigInt(n);
    else if (f.type === 'bool') v[f.name] = n % 2 === 0;
    else throw new Error(`no sample for ${f.type}`);
  });
  return v;
}

/**
 * Reads every field of `s` at the offsets the AssemblyScript side uses (its constants, not the
 * TypeScript offsets), the way the kernels load them.
 */
function readAtAssemblyOffsets(view: DataView, base: number, s: AbiStruct, byName: Map<string, AbiStruct>, asm: Map<string, number>): Value {
  const v: Value = {};
  for (const f of s.fields) {
    const at = asm.get(s.prefix + upperSnake(f.name));
    if (at === undefined) throw new Error(`the AssemblyScript side has no ${s.prefix + upperSnake(f.name)}`);
    const o = base + at;
    if (f.count !== undefined) {
      const inner = byName.get(f.type)!;
      const stride = asm.get(`${upperSnake(inner.name)}_BYTES`)!;
      expect(asm.get(`${s.prefix + upperSnake(f.name)}_COUNT`)).toBe(f.count);
      v[f.name] = Array.from({ length: f.count }, (_, j) => readAtAssemblyOffsets(view, o + j * stride, inner, byName, asm));
    } else if (f.values) {
      const code = view.getUint32(o, true);
      const name = Object.keys(f.values).find((k) => asm.get(`${upperSnake(f.name)}_${upperSnake(k)}`) === code);
      if (name === undefined) throw new Error(`${s.name}.${f.name}: code ${code} has no AssemblyScript constant`);
      v[f.name] = name;
    } else if (f.type === 'u32' || f.type === 'ptr') v[f.name] = view.getUint32(o, true);
    else if (f.type === 'i32') v[f.name] = view.getInt32(o, true);
    else if (f.type === 'f32') v[f.name] = view.getFloat32(o, true);
    else if (f.type === 'f64') v[f.name] = view.getFloat64(o, true);
    else if (f.type === 'u64') v[f.name] = view.getBigUint64(o, true);
    else if (f.type === 'bool') v[f.name] = view.getUint32(o, true) !== 0;
  }
  return v;
}

describe('descriptor ABI: one field list, two generated sides', () => {
  it('covers every kernel module that has a descriptor', () => {
    expect(schemas.map((s) => s.schema.module)).toEqual(['fasttext', 'glove', 'linear', 'lstm', 'word2vec']);
    for (const { schema } of schemas) expect(kernels).toContain(schema.module);
  });

  describe.each(schemas)('$rel', ({ rel, schema }) => {
    const m = schema.module;
    const asmRel = `assembly/abi/${m}.generated.ts`;
    const tsRel = `src/runtime/abi/${m}.generated.ts`;
    const asm = assemblyConstants(read(asmRel));
    const byName = new Map(schema.structs.map((s) => [s.name, s]));

    it('the generated AssemblyScript and TypeScript files are current (npm run build:wasm rewrites them)', () => {
      expect(read(asmRel)).toBe(renderAssembly(schema, rel));
      expect(read(tsRel)).toBe(renderTypeScript(schema, rel));
    });

    const structs = schema.structs.map((s) => [s.name, s] as const);
    it.each(structs)('%s: the TypeScript encoder writes every field where the AssemblyScript constants read it', (_, s) => {
      const ts = generated[m];
      const upper = upperSnake(s.name);
      const bytes = ts[`${upper}_BYTES`] as number;
      expect(bytes).toBe(asm.get(`${upper}_BYTES`));
      const value = sample(s, byName, 0);
      const view = new DataView(new ArrayBuffer(bytes + 16));
      (ts[`encode${s.name}`] as (v: DataView, o: number, x: Value) => void)(view, 8, value);
      expect(readAtAssemblyOffsets(view, 8, s, byName, asm)).toEqual(value);
      expect((ts[`decode${s.name}`] as (v: DataView, o: number) => Value)(view, 8)).toEqual(value);
      // Nothing outside the struct is written.
      expect([...new Uint8Array(view.buffer, 0, 8), ...new Uint8Array(view.buffer, 8 + bytes)]).toEqual(new Array(16).fill(0));
      for (const f of s.fields) expect((ts[`${upper}_OFFSETS`] as Record<string, number>)[f.name]).toBe(asm.get(s.prefix + upperSnake(f.name)));
    });

    it('f64 and u64 fields are 8-aligned, fields do not overlap, sizes are whole slots', () => {
      for (const s of schema.structs) {
        const size = (f: AbiStruct['fields'][number]) => (f.count !== undefined ? f.count * asm.get(`${upperSnake(f.type)}_BYTES`)! : 8);
        let end = 0;
        for (const f of s.fields) {
          const at = asm.get(s.prefix + upperSnake(f.name))!;
          expect(at).toBeGreaterThanOrEqual(end);
          if (f.type === 'f64' || f.type === 'u64' || f.count !== undefined) expect(at % 8).toBe(0);
          end = at + size(f);
        }
        expect(asm.get(`${upperSnake(s.name)}_BYTES`)! % 8).toBe(0);
        expect(asm.get(`${upperSnake(s.name)}_BYTES`)).toBeGreaterThanOrEqual(end);
      }
    });

    it(`assembly/${m}.ts takes its offsets from the generated file and defines none of its own`, () => {
      const source = read(`assembly/${m}.ts`);
      expect(source).toContain(`from './abi/${m}.generated'`);
      const prefixes = [...new Set(schema.structs.map((s) => s.prefix))].join('|');
      expect(source.match(new RegExp(`^\\s*const (?:${prefixes})\\w+\\s*:\\s*usize\\s*=.*$`, 'gm')) ?? []).toEqual([]);
      for (const name of asm.keys()) expect(source).not.toMatch(new RegExp(`^\\s*const ${name}\\b`, 'm'));
    });
  });

  it('the layout rule is stated in every schema', () => {
    for (const { schema } of schemas) expect(schema.layout).toMatch(/8-byte slot.*f64\/u64 fields are 8-aligned/);
  });
});

describe('shared AssemblyScript helpers', () => {
  it('every kernel re-exports heapBase and countNonFinite from lib/module-exports and defines no copy', () => {
    for (const k of kernels) {
      const source = read(`assembly/${k}.ts`);
      expect(source).toContain("export { heapBase, countNonFinite } from './lib/module-exports';");
      expect(source).not.toMatch(/function (heapBase|countNonFinite)\b/);
    }
  });

  it('one SplitMix64 generator, in lib/rng (no kernel steps a state of its own by the golden gamma)', () => {
    for (const k of kernels) {
      const source = read(`assembly/${k}.ts`);
      expect(source).not.toMatch(/\+= *0x9E3779B97F4A7C15|0x94D049BB133111EB/i);
      expect(source).not.toMatch(/^let rngState\b/m);
    }
    expect(read('assembly/lib/rng.ts')).toMatch(/splitMixState \+= GOLDEN_GAMMA/);
  });

  it('the LSTM kernel explains its one-letter symbols', () => {
    const head = read('assembly/lstm.ts').split('\n').slice(0, 30).join('\n');
    for (const symbol of ['T', 'E', 'L', 'H', 'OUT', 'V', 'R', 'S']) expect(head).toMatch(new RegExp(`//.*\\b${symbol}\\s{2,}\\S`));
  });
});

describe('kernel hosts: no hand-written descriptors outside the generated encoders', () => {
  const hosts = [
    'src/train/fasttext/trainer.ts',
    'src/train/fasttext/kernel.ts',
    'src/train/fasttext/layout.ts',
    'src/train/word2vec/word2vec.ts',
    'src/train/word2vec/kernel.ts',
    'src/train/word2vec/layout.ts',
    'src/train/glove/glove.ts',
    'src/train/glove/kernel.ts',
    'src/train/glove/layout.ts',
    'src/classify/linear/kernel.ts',
    'src/classify/linear/layout.ts',
    'src/classify/linear/linear-classifier.ts',
    'src/classify/lstm/kernel.ts',
    'src/classify/lstm/layout.ts',
    'src/classify/lstm/text-classifier.ts',
    'src/vectors/search-kernel.ts',
    'src/vectors/search-index.ts',
  ];
  it.each(hosts)('%s writes no descriptor field by hand', (file) => {
    const source = read(file);
    expect(source).not.toMatch(/\bDESC\b|\bTHREAD_LAYER\b|\bLAYER_SLOTS\b/);
    expect(source).not.toMatch(/\.set(?:Uint32|Int32|Float32|Float64|BigUint64)\(/);
  });

  const trainers = [
    'src/train/fasttext/trainer.ts',
    'src/train/word2vec/word2vec.ts',
    'src/train/glove/glove.ts',
    'src/classify/linear/linear-classifier.ts',
    'src/classify/lstm/text-classifier.ts',
    'src/vectors/search-index.ts',
  ];
  it.each(trainers)('%s calls no kernel itself (its kernel host does)', (file) => {
    expect(read(file)).not.toMatch(/kernel-pool\.js|\.call\(\d|\bKernelPool\b/);
  });
});

describe('kernel exports: typed by name and arity', () => {
  it('the export table covers every kernel module, and the file is its rendering', () => {
    expect(Object.keys(KERNEL_SIGNATURES).sort()).toEqual(kernels);
    expect(Object.keys(wasmBinaries).sort()).toEqual(kernels);
    expect(read('src/runtime/abi/kernel-exports.generated.ts')).toBe(renderKernelExports(KERNEL_SIGNATURES));
  });

  it.each(kernels)("%s: the declared exports are exactly the binaries' exports, with the same value types", (m) => {
    const signatures = KERNEL_SIGNATURES[m as keyof typeof KERNEL_SIGNATURES];
    for (const target of ['mt', 'st'] as const) {
      const actual = wasmFunctionExports(decodeBase64(wasmBinaries[m as keyof typeof wasmBinaries][target]));
      expect([...actual.keys()].sort()).toEqual(signatures.map((s) => s.name).sort());
      for (const s of signatures) {
        expect(actual.get(s.name), `${m}.${s.name} (${target})`).toEqual({
          params: s.params.map(([, t]) => WASM_TYPE[t]),
          results: WASM_TYPE[s.result] ? [WASM_TYPE[s.result]] : [],
        });
      }
    }
  });

  it('a call with a wrong name, arity or argument kind does not compile (tsc on test/abi/kernel-call-types.ts)', () => {
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [
      '--ignoreConfig',
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--target',
      'ES2022',
      '--module',
      'NodeNext',
      '--moduleResolution',
      'NodeNext',
      '--lib',
      'ES2023,DOM,DOM.Iterable,WebWorker.ImportScripts',
      '--types',
      'node',
      'test/abi/kernel-call-types.ts',
    ];
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, ...args], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  });
});
