import { Wasm2VecError, describe } from '../../errors.js';
import { MAX_BYTES, formatBytes } from '../../runtime/memory-layout.js';
import { ByteStream, type EmbeddingsSource } from '../../vectors/byte-source.js';
import { ByteCursor, badField } from './byte-cursor.js';
import { readDenseData } from './dense-matrix.js';
import { readHalfData } from './half-matrix.js';
import { ARGS_BYTES, FASTTEXT_MAGIC, type FastTextArgs, readArgs } from './args.js';
import { type FastTextDictionary, MAX_ROWS, readDictionary } from './dictionary.js';
import type { FastTextMatrix, FastTextModel } from './model.js';
import { QUANT_HEADER_BYTES, type QuantHeader, quantBodyBytes, readQuantBody, readQuantHeader } from './quant-matrix.js';

export interface FastTextReadOptions {
  signal?: AbortSignal;
  /**
   * false: skip the output matrix (a dense one is read past without allocating; a quantized one, small,
   * is read and dropped). Word vectors need only the input matrix; predicting labels needs both.
   * Default true.
   */
  output?: boolean;
  /**
   * Storage for a dense matrix, called once its shape has been checked against the file: must return a
   * Float32Array of exactly rows × dim floats (for example a view into a WebAssembly memory), which the
   * reader fills in place. Default: a new Float32Array.
   */
  allocate?: (matrix: 'input' | 'output', shape: { rows: number; dim: number }) => Float32Array;
  /**
   * How dense matrices are stored once read: 'float32' (default, fastText's own precision) or
   * 'float16' (half the memory; each weight rounded to the nearest half float, relative error at most
   * 2^-11), which lets a cc.en.300.bin-shaped model (4.8 GB of float32 input rows) load. Quantized
   * matrices stay as their codes either way.
   */
  dtype?: FastTextDtype;
}

export type FastTextDtype = 'float32' | 'float16';

export interface MatrixPlan {
  /** 'half': dense in the file, float16 once read (dtype 'float16'). */
  kind: 'dense' | 'half' | 'quantized';
  rows: number;
  dim: number;
  /** Bytes it occupies once read (4 per weight dense, 2 half; codes and tables for quantized). */
  bytes: number;
}

/**
 * What a load will allocate, known before anything large is: the input matrix exactly (its header has
 * been read), the output matrix from the dictionary (its rows are labels or words). When the input is
 * quantized the output may be too (fastText's -qout); its plan then counts it as dense, an upper bound.
 */
export interface FastTextPlan {
  input: MatrixPlan;
  /** null when options.output is false. */
  output: MatrixPlan | null;
  bytes: number;
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Reads fastText's .bin and .ftz (fastText 0.9.x: magic 793712314, version 12, also 11), and gensim's
 * save_facebook_model output, in two steps: open() reads the header, the dictionary and the input
 * matrix's shape and plans memory (refusing, before any large allocation, a model that cannot fit
 * wasm32's 4 GiB); read() then fills the matrices. Every count is checked against the bytes that
 * follow; anything inconsistent is BAD_FORMAT naming the byte offset and the field.
 */
export class FastTextReader {
  private constructor(
    private readonly cur: ByteCursor,
    readonly version: number,
    readonly args: FastTextArgs,
    readonly dictionary: FastTextDictionary,
    private readonly quantInput: QuantHeader | null,
    readonly plan: FastTextPlan,
    private readonly options: FastTextReadOptions,
  ) {}

  get name(): string {
    return this.cur.name;
  }

  static async open(source: EmbeddingsSource, options: FastTextReadOptions = {}): Promise<FastTextReader> {
    if (options.allocate !== undefined && typeof options.allocate !== 'function') {
      throw new Wasm2VecError('INVALID_OPTION', `option allocate: got ${describe(options.allocate)}, expected a function`);
    }
    if (options.output !== undefined && typeof options.output !== 'boolean') {
      throw new Wasm2VecError('INVALID_OPTION', `option output: got ${describe(options.output)}, expected true or false`);
    }
    if (options.dtype !== undefined && options.dtype !== 'float32' && options.dtype !== 'float16') {
      throw new Wasm2VecError('INVALID_OPTION', `option dtype: got ${describe(options.dtype)}, expected 'float32' or 'float16'`);
    }
    if (options.dtype === 'float16' && options.allocate !== undefined) {
      throw new Wasm2VecError('INVALID_OPTION', "option allocate: it provides float32 storage, so it cannot be combined with dtype 'float16'");
    }
    if (!littleEndian) throw new Wasm2VecError('UNSUPPORTED', 'fastText models are little-endian; this host is big-endian');
    const stream = await ByteStream.open(source, options.signal);
    const cur = new ByteCursor(stream);
    try {
      return await FastTextReader.readHead(cur, options);
    } catch (e) {
      await cur.close().catch(() => undefined);
      throw e;
    }
  }

  private static async readHead(cur: ByteCursor, options: FastTextReadOptions): Promise<FastTextReader> {
    const name = cur.name;
    await cur.need(8, 'magic number');
    const magic = cur.int32();
    if (magic !== FASTTEXT_MAGIC) {
      throw badField(
        name,
        0,
        'magic number',
        `${magic} is not fastText's ${FASTTEXT_MAGIC}: not a fastText .bin/.ftz ` + '(fastText before 0.1 wrote no magic number; such files are not supported)',
      );
    }
    const version = cur.int32();
    if (version !== 11 && version !== 12) {
      throw badField(name, 4, 'version', `${version}; fastText 0.9.x models are version 12 (11 is read too)`);
    }
    await cur.need(ARGS_BYTES, 'args');
    const args = readArgs(cur, version);
    const dictionary = await readDictionary(cur, args.bucket);
    const d = dictionary;
    const dictEnd = cur.offset;
    if (d.nwords + args.bucket > MAX_ROWS) {
      throw badField(name, 8 + 32, 'args.bucket', `${d.nwords} words + ${args.bucket} buckets exceed fastText's int32 row ids`);
    }
    await cur.need(1, 'quant flag');
    const quantByte = cur.uint8();
    if (quantByte > 1) throw badField(name, dictEnd, 'quant flag', `${quantByte} is not a bool (0 or 1)`);
    if (quantByte === 0 && d.pruned) {
      // fastText refuses this too ("Invalid model file", issue #332): pruned rows need a quantized matrix.
      throw badField(name, dictEnd, 'quant flag', `the dictionary is pruned (${d.pruneidxSize} kept buckets) but the input matrix is not quantized`);
    }
    const inputRows = d.nwords + (d.pruned ? d.pruneidxSize : args.bucket);
    const rowsWhy = d.pruned ? `${d.nwords} words + ${d.pruneidxSize} kept buckets` : `${d.nwords} words + ${args.bucket} buckets`;
    const outputRows = args.model === 'supervised' ? d.nlabels : d.nwords;
    let quantInput: QuantHeader | null = null;
    let input: MatrixPlan;
    const remaining = () => cur.remaining;
    if (quantByte === 1) {
      await cur.need(QUANT_HEADER_BYTES, 'input matrix header');
      quantInput = readQuantHeader(cur, 'input matrix', inputRows, args.dim, rowsWhy);
      input = { kind: 'quantized', rows: inputRows, dim: args.dim, bytes: quantBodyBytes(quantInput) };
      const r = remaining();
      // The body, the qout flag and at least the smallest output matrix must follow.
      if (r !== undefined && quantBodyBytes(quantInput) + 1 > r) {
        throw badField(
          name,
          cur.offset,
          'input matrix',
          `${inputRows} rows × ${args.dim} quantized need ${quantBodyBytes(quantInput)} bytes, ` + `but only ${r} follow`,
        );
      }
    } else {
      const at = cur.offset;
      await cur.need(16, 'input matrix header');
      const m = cur.int64();
      const n = cur.int64();
      if (m !== inputRows) throw badField(name, at, 'input matrix rows', `${m}, expected ${inputRows} (${rowsWhy})`);
      if (n !== args.dim) throw badField(name, at + 8, 'input matrix columns', `${n}, expected args.dim ${args.dim}`);
      input = denseMatrixPlan(m, n, options.dtype);
      const r = remaining();
      const least = m * n * 4 + 1 + 16 + outputRows * args.dim * 4;
      if (r !== undefined && least > r) {
        throw badField(
          name,
          cur.offset,
          'input matrix',
          `${m} rows × ${n} dims (${m * n * 4} bytes) and the ${outputRows}-row output matrix ` + `need ${least} bytes, but only ${r} follow`,
        );
      }
    }
    const output: MatrixPlan | null = options.output === false ? null : denseMatrixPlan(outputRows, args.dim, options.dtype);
    const plan: FastTextPlan = { input, output, bytes: input.bytes + (output?.bytes ?? 0) };
    checkPlanFits(name, plan, args, d, options);
    return new FastTextReader(cur, version, args, dictionary, quantInput, plan, options);
  }

  /** Reads the matrices; the reader is closed afterwards, whatever happens. */
  async read(): Promise<FastTextModel> {
    const cur = this.cur;
    const { args, dictionary: d, name } = this;
    const warnings = [...d.warnings.map((w) => `${name}: ${w}`)];
    try {
      const inputRowName = (r: number) =>
        r < d.nwords ? `word ${JSON.stringify(d.words[r])}` : d.pruned ? `kept n-gram row ${r - d.nwords}` : `bucket ${r - d.nwords}`;
      const input: FastTextMatrix = this.quantInput
        ? await readQuantBody(cur, 'input matrix', this.quantInput)
        : this.options.dtype === 'float16'
          ? await readHalfData(cur, 'input matrix', this.plan.input.rows, args.dim, inputRowName)
          : await readDenseData(cur, 'input matrix', this.plan.input.rows, args.dim, () => this.storage('input', this.plan.input), inputRowName);
      const qoutAt = cur.offset;
      await cur.need(1, 'qout flag');
      const qoutByte = cur.uint8();
      if (qoutByte > 1) throw badField(name, qoutAt, 'qout flag', `${qoutByte} is not a bool (0 or 1)`);
      const outputRows = args.model === 'supervised' ? d.nlabels : d.nwords;
      const rowsWhy = args.model === 'supervised' ? `${d.nlabels} labels` : `${d.nwords} words`;
      const rowName = (r: number) => (args.model === 'supervised' ? `label ${JSON.stringify(d.label(r))}` : `word ${JSON.stringify(d.words[r])}`);
      let output: FastTextMatrix | null = null;
      const keep = this.options.output !== false;
      if (this.quantInput && qoutByte === 1) {
        await cur.need(QUANT_HEADER_BYTES, 'output matrix header');
        const h = readQuantHeader(cur, 'output matrix', outputRows, args.dim, rowsWhy);
        const q = await readQuantBody(cur, 'output matrix', h);
        if (keep) output = q;
      } else {
        const at = cur.offset;
        await cur.need(16, 'output matrix header');
        const m = cur.int64();
        const n = cur.int64();
        if (m !== outputRows) throw badField(name, at, 'output matrix rows', `${m}, expected ${outputRows} (${rowsWhy})`);
        if (n !== args.dim) throw badField(name, at + 8, 'output matrix columns', `${n}, expected args.dim ${args.dim}`);
        const r = cur.remaining;
        if (r !== undefined && m * n * 4 > r) {
          throw badField(name, cur.offset, 'output matrix', `${m} rows × ${n} dims need ${m * n * 4} bytes, but only ${r} follow`);
        }
        if (keep && this.options.dtype === 'float16') {
          output = await readHalfData(cur, 'output matrix', m, n, rowName);
        } else if (keep) {
          output = await readDenseData(cur, 'output matrix', m, n, () => this.storage('output', { kind: 'dense', rows: m, dim: n, bytes: m * n * 4 }), rowName);
        } else {
          await cur.skip(m * n * 4, 'output matrix');
        }
      }
      if (await cur.hasMore()) {
        const extra = cur.remaining;
        warnings.push(
          `${name}: byte ${cur.offset}: ${extra === undefined ? 'more' : extra} byte${extra === 1 ? '' : 's'} after the output matrix ignored ` +
            '(fastText ignores them too)',
        );
      }
      return { name, version: this.version, args, dictionary: d, input, output, qout: qoutByte === 1, warnings };
    } finally {
      await cur.close().catch(() => undefined);
    }
  }

  /** Stops without reading the matrices. */
  async close(): Promise<void> {
    await this.cur.close();
  }

  private storage(matrix: 'input' | 'output', p: MatrixPlan): Float32Array {
    const n = p.rows * p.dim;
    if (!this.options.allocate) return new Float32Array(n);
    const a = this.options.allocate(matrix, { rows: p.rows, dim: p.dim });
    if (!(a instanceof Float32Array) || a.length !== n) {
      throw new Wasm2VecError(
        'INVALID_OPTION',
        `option allocate: for the ${matrix} matrix (${p.rows} × ${p.dim}) it must return a ` +
          `Float32Array of ${n} floats, got ${a instanceof Float32Array ? `one of ${a.length}` : describe(a)}`,
      );
    }
    return a;
  }
}

function denseMatrixPlan(rows: number, dim: number, dtype: FastTextDtype | undefined): MatrixPlan {
  const half = dtype === 'float16';
  return { kind: half ? 'half' : 'dense', rows, dim, bytes: rows * dim * (half ? 2 : 4) };
}

/**
 * Refuses (MEMORY_LIMIT) a model whose matrices cannot live in one wasm32 memory, naming their shapes
 * and the load options that would make it fit (float16 storage, skipping the output matrix).
 */
function checkPlanFits(name: string, plan: FastTextPlan, args: FastTextArgs, d: FastTextDictionary, options: FastTextReadOptions): void {
  if (plan.bytes <= MAX_BYTES) return;
  const i = plan.input;
  const rowsWhat = d.pruned
    ? `${d.nwords.toLocaleString('en-US')} words + ${d.pruneidxSize.toLocaleString('en-US')} kept buckets`
    : `${d.nwords.toLocaleString('en-US')} words + ${args.bucket.toLocaleString('en-US')} buckets`;
  const parts = [
    `the input matrix, ${i.rows.toLocaleString('en-US')} rows (${rowsWhat}) × ${i.dim} dims, ${formatBytes(i.bytes)}` +
      (i.kind === 'dense' ? ' as float32' : i.kind === 'half' ? ' as float16' : ' quantized'),
  ];
  const o = plan.output;
  if (o) parts.push(`the output matrix, ${o.rows.toLocaleString('en-US')} × ${o.dim}, ${formatBytes(o.bytes)}${o.kind === 'half' ? ' as float16' : ''}`);
  // What would fit: halving the dense matrices, dropping the output matrix, or both.
  const halved = (p: MatrixPlan | null) => (p === null ? 0 : p.kind === 'dense' ? p.bytes / 2 : p.bytes);
  const fixes: string[] = [];
  if (options.dtype !== 'float16' && (i.kind === 'dense' || o?.kind === 'dense') && halved(i) + halved(o) <= MAX_BYTES) fixes.push("{ dtype: 'float16' }");
  if (o && i.bytes <= MAX_BYTES) fixes.push('{ output: false } (word vectors need only the input matrix)');
  if (fixes.length === 0 && o && options.dtype !== 'float16' && i.kind === 'dense' && halved(i) <= MAX_BYTES) fixes.push("{ dtype: 'float16', output: false }");
  const hint = fixes.length ? `; load with ${fixes.join(' or ')}` : '';
  throw new Wasm2VecError(
    'MEMORY_LIMIT',
    `${name}: ${parts.join(' and ')}: ${formatBytes(plan.bytes)} in all, more than the 4 GiB ` + `a wasm32 memory can hold${hint}`,
  );
}

/** Opens, plans and reads in one call. */
export async function readFastText(source: EmbeddingsSource, options: FastTextReadOptions = {}): Promise<FastTextModel> {
  const reader = await FastTextReader.open(source, options);
  return reader.read();
}
