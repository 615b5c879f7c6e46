import { GloVe, type GloVeVectors } from '../train/glove/glove.js';
import { whitespaceTokenizer } from '../text/tokenizer.js';
import { UsageError, type CliCommand } from './args.js';
import { progressBar } from './progress-bar.js';
import { corpusArgument } from './corpus-argument.js';

const FORMATS = ['glove', 'word2vec-text', 'word2vec-binary', 'vec', 'wasm2vec'] as const;

/** "2G", "512M", "64k" or a plain byte count. */
function parseBytes(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(raw);
  if (!m) throw new UsageError(`--memory-budget: expected bytes or a size like 2G or 512M, got ${JSON.stringify(raw)}`);
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * scale);
}

export const command: CliCommand = {
  summary: 'Train GloVe (co-occurrence counts, then AdaGrad) on a text file and write the vectors.',
  usage: 'wasm2vec glove <corpus> -o <out> [options]   (corpus: a text file, .gz ok, or - for stdin; lines are documents)',
  flags: {
    output: { kind: 'string', alias: 'o', describe: 'output vectors file (required)' },
    dim: { kind: 'int', describe: 'vector size (50)' },
    window: { kind: 'int', describe: 'context words on each side (10)' },
    'x-max': { kind: 'number', describe: 'weighting cutoff xMax (100)' },
    'weighting-exponent': { kind: 'number', aliases: ['alpha'], describe: 'weighting exponent (0.75)' },
    'learning-rate': { kind: 'number', aliases: ['eta'], describe: 'AdaGrad learning rate (0.05)' },
    epochs: { kind: 'int', describe: 'iterations over the co-occurrence cells (25)' },
    'min-count': { kind: 'int', describe: 'drop words rarer than this (5)' },
    'max-vocab': { kind: 'int', describe: 'keep at most this many words' },
    symmetric: { kind: 'boolean', describe: 'left and right context (default); --symmetric=false for left only' },
    threads: { kind: 'int', describe: 'worker threads (all cores)' },
    seed: { kind: 'int', describe: 'random seed (1)' },
    'memory-budget': { kind: 'string', describe: 'memory for counting and training, e.g. 2G (2G); Node spills to temp files past it' },
    'temp-dir': { kind: 'string', describe: 'directory for spill files (the system temp dir)' },
    vectors: { kind: 'string', describe: 'sum (word + context, GloVe -model 2; default), word or context' },
    tokenizer: { kind: 'string', describe: 'whitespace (default, like GloVe C) or words (Unicode-aware, lowercase)' },
    format: { kind: 'string', describe: `output format: ${FORMATS.join(', ')} (glove: no header line, as GloVe C writes)` },
    json: { kind: 'boolean', describe: 'print a final JSON line with tokens, cells, seconds per stage' },
  },
  async run({ positionals, flags }, io) {
    if (positionals.length !== 1) throw new UsageError('expected exactly one corpus argument');
    const out = flags.output;
    if (typeof out !== 'string') throw new UsageError('-o <out> is required');
    const format = (flags.format as string | undefined) ?? 'glove';
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
    const tokenizerName = (flags.tokenizer as string | undefined) ?? 'whitespace';
    if (tokenizerName !== 'whitespace' && tokenizerName !== 'words')
      throw new UsageError(`--tokenizer: expected whitespace or words, got ${JSON.stringify(tokenizerName)}`);
    const bar = progressBar(io);
    const model = await GloVe.train(await corpusArgument(positionals[0]), {
      dim: flags.dim as number | undefined,
      window: flags.window as number | undefined,
      xMax: flags['x-max'] as number | undefined,
      weightingExponent: flags['weighting-exponent'] as number | undefined,
      learningRate: flags['learning-rate'] as number | undefined,
      epochs: flags.epochs as number | undefined,
      minCount: flags['min-count'] as number | undefined,
      maxVocab: flags['max-vocab'] as number | undefined,
      symmetric: flags.symmetric as boolean | undefined,
      threads: flags.threads as number | undefined,
      seed: flags.seed as number | undefined,
      memoryBudget: typeof flags['memory-budget'] === 'string' ? parseBytes(flags['memory-budget']) : undefined,
      tempDir: flags['temp-dir'] as string | undefined,
      vectors: flags.vectors as GloVeVectors | undefined,
      tokenizer: tokenizerName === 'whitespace' ? whitespaceTokenizer : undefined,
      onProgress: (p) => {
        if (p.note) io.err(`note: ${p.note}\n`);
        const stage =
          p.phase === 'training'
            ? `epoch ${p.epoch}/${p.epochs} cost ${p.cost.toFixed(5)} ${Math.round(p.cellsPerSecond / 1000)}k cells/s`
            : p.phase === 'counting'
              ? `counting ${p.tokens} tokens`
              : `shuffling ${p.cells} cells`;
        bar.update(p.phase === 'training' ? p.progress : p.phase === 'counting' ? p.progress : 1, stage);
      },
    });
    bar.done();
    try {
      await model.embeddings.save(out, { format } as Parameters<typeof model.embeddings.save>[1]);
      const s = model.stats;
      if (flags.json) {
        io.out(
          JSON.stringify({
            tokens: s.tokens,
            rawTokens: s.rawTokens,
            vocabulary: model.vocabulary.size,
            cells: s.cells,
            epochs: s.epochsCompleted,
            countSeconds: s.countSeconds,
            shuffleSeconds: s.shuffleSeconds,
            trainSeconds: s.trainSeconds,
            secondsPerEpoch: s.secondsPerEpoch,
            cost: s.epochCosts[s.epochCosts.length - 1] ?? null,
            spilledRuns: s.spilledRuns,
            threads: s.threads,
            output: out,
          }) + '\n',
        );
      } else {
        io.err(
          `GloVe: ${model.vocabulary.size} words × ${model.embeddings.dim}, ${s.cells} co-occurrence cells from ${s.tokens} tokens ` +
            `(counted in ${s.countSeconds.toFixed(1)} s), ${s.epochsCompleted} epochs in ${s.trainSeconds.toFixed(1)} s ` +
            `(${s.secondsPerEpoch.toFixed(2)} s each, ${s.threads} threads); wrote ${out}\n`,
        );
      }
    } finally {
      model.dispose();
    }
    return 0;
  },
};
