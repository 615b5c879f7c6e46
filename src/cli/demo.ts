import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { Word2Vec } from '../train/word2vec.js';
import { type CliCommand } from './args.js';
import { progressBar } from './progress-bar.js';

/** The public-domain demo corpus shipped in the package (data/demo-fairytales, with its provenance). */
export function demoCorpusPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const p = join(here, up, 'data', 'demo-fairytales', 'corpus.txt');
    if (existsSync(p)) return p;
  }
  throw new Error('the demo corpus data/demo-fairytales/corpus.txt is missing from this installation');
}

export const command: CliCommand = {
  summary: 'Train Word2Vec on the embedded fairy-tale corpus, show neighbours and an analogy, write the vectors.',
  usage: 'wasm2vec demo [-o demo-vectors.txt] [--threads N] [--epochs N]',
  flags: {
    output: { kind: 'string', alias: 'o', describe: 'where to write the vectors (demo-vectors.txt)' },
    threads: { kind: 'int', describe: 'worker threads (all cores)' },
    epochs: { kind: 'int', describe: 'passes over the corpus (10)' },
  },
  async run({ flags }, io) {
    const out = (flags.output as string | undefined) ?? 'demo-vectors.txt';
    const corpus = demoCorpusPath();
    io.out(`Training skip-gram (dim 100, window 5, negative 5) on ${corpus}\n`);
    const bar = progressBar({ ...io, tty: io.tty });
    let lastLine = 0;
    const model = await Word2Vec.train({ path: corpus }, {
      model: 'skipgram', mode: 'batched', epochs: (flags.epochs as number | undefined) ?? 10, minCount: 3, seed: 1,
      threads: flags.threads as number | undefined,
      onProgress: (p) => {
        if (p.note) io.err(`note: ${p.note}\n`);
        const text = `epoch ${p.epoch}/${p.epochs} ${Math.round(p.wordsPerSecond / 1000)}k words/s loss ${p.meanLoss.toFixed(3)}`;
        if (io.tty) bar.update(p.progress, text);
        else if (p.progress === 1 || p.words - lastLine > 500_000) { lastLine = p.words; io.out(`  ${(p.progress * 100).toFixed(0)}% ${text}\n`); }
      },
    });
    bar.done();
    try {
      const s = model.stats;
      io.out(`Vocabulary ${model.vocabulary.size} words; ${s.tokens} tokens × ${s.epochsCompleted} epochs in ${s.seconds.toFixed(1)} s ` +
        `(${Math.round(s.tokensPerSecond).toLocaleString('en-US')} words/s on ${s.threads} thread${s.threads > 1 ? 's' : ''})\n\nNearest neighbours:\n`);
      const e = model.embeddings;
      for (const w of ['king', 'queen', 'gold', 'day', 'mother', 'forest']) {
        io.out(`  ${w.padEnd(8)} → ${e.mostSimilar({ positive: [w], topN: 6 }).map((x) => `${x.word} (${x.score.toFixed(2)})`).join(', ')}\n`);
      }
      const [a, b, c] = ['man', 'king', 'woman'];
      const answer = e.mostSimilar({ positive: [b, c], negative: [a], topN: 3 });
      io.out(`\nAnalogy: ${a} is to ${b} as ${c} is to … ${answer.map((x) => `${x.word} (${x.score.toFixed(2)})`).join(', ')}\n`);
      await e.save(out, { format: 'word2vec-text' });
      io.out(`\nWrote ${e.size} vectors to ${out} (word2vec text format)\n`);
    } finally {
      model.dispose();
    }
    return 0;
  },
};
