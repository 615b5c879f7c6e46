import { relative, isAbsolute } from 'node:path';
import { Word2Vec } from '../train/word2vec/word2vec.js';
import type { Embeddings } from '../vectors/embeddings.js';
import type { CliCommand, CliIO } from './args.js';
import { progressBar } from './progress-bar.js';
import { FAIRYTALES, GOOGLE_ANALOGIES, GUTENBERG_HEAD, chooseDemoCorpus, findDemoData } from './demo-corpora.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const scored = (list: { word: string; score: number }[]) => list.map((x) => `${x.word} ${x.score.toFixed(2)}`).join(', ');
const shown = (p: string) => {
  const r = relative(process.cwd(), p);
  return r.startsWith('..') || isAbsolute(r) ? p : r;
};

/** Breaks a paragraph into lines of at most `width` characters; the lines after the first start with two spaces. */
function wrap(text: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n') + '\n';
}

/** The Google analogy test on the demo's vectors, when the installation has the questions (a clone does, the package does not). */
async function analogyScore(e: Embeddings, threads: number, io: CliIO): Promise<void> {
  const questions = findDemoData(GOOGLE_ANALOGIES);
  if (!questions) return;
  const t0 = performance.now();
  const r = await e.evaluateAnalogies(questions, { threads });
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const capitals = r.sections.filter((s) => s.name.startsWith('capital-'));
  const [right, asked] = capitals.reduce(([c, t], s) => [c + s.correct, t + s.total], [0, 0]);
  io.out(
    wrap(
      `How good is it? The Google analogy test (data/${GOOGLE_ANALOGIES}): ${pct(r.accuracy)} right of the ${int(r.covered)} questions ` +
        `whose words are all in this vocabulary (semantic ${pct(r.semantic)}, syntactic ${pct(r.syntactic)}` +
        `${asked ? `; capitals ${pct(right / asked)} of ${int(asked)}` : ''}), in ${((performance.now() - t0) / 1000).toFixed(1)} s.`,
    ),
  );
}

export const command: CliCommand = {
  summary: 'Train Word2Vec on a public-domain corpus shipped here, show neighbours, analogies and a score, write the vectors.',
  usage: 'wasm2vec demo [-o demo-vectors.txt] [--threads N] [--epochs N] [--corpus gutenberg|fairytales] [--seed N]',
  flags: {
    output: { kind: 'string', alias: 'o', describe: 'where to write the vectors (demo-vectors.txt)' },
    threads: { kind: 'int', describe: 'worker threads (all cores)' },
    epochs: { kind: 'int', describe: 'passes over the corpus (5 on gutenberg, 10 on fairytales)' },
    corpus: {
      kind: 'string',
      describe: 'gutenberg (2.9 M words, in a clone of the repository; the default there) or fairytales (290 k words, in the package)',
    },
    seed: { kind: 'int', describe: 'random seed (1)' },
  },
  async run({ flags }, io) {
    const started = performance.now();
    const out = (flags.output as string | undefined) ?? 'demo-vectors.txt';
    const { corpus, fellBack } = chooseDemoCorpus(flags.corpus as string | undefined, {
      gutenberg: findDemoData(GUTENBERG_HEAD),
      fairytales: findDemoData(FAIRYTALES),
    });
    const epochs = (flags.epochs as number | undefined) ?? corpus.epochs;
    io.out(wrap(`wasm2vec demo: Word2Vec on ${corpus.title}.`));
    if (fellBack) io.out('  (this installation has no data/en-corpus-gutenberg-head: the npm package ships only the fairy tales)\n');
    io.out(`Training skip-gram (batched; dim 100, window 5, negative 5, min count ${corpus.minCount}), ${epochs} epochs, on ${shown(corpus.path)}\n`);
    const bar = progressBar(io);
    let printedEpoch = 0;
    const model = await Word2Vec.train(
      { path: corpus.path },
      {
        model: 'skipgram',
        mode: 'batched',
        dim: 100,
        window: 5,
        negative: 5,
        epochs,
        minCount: corpus.minCount,
        seed: (flags.seed as number | undefined) ?? 1,
        threads: flags.threads as number | undefined,
        ...(corpus.tokenizer ? { tokenizer: corpus.tokenizer } : {}),
        onProgress: (p) => {
          if (p.note) io.err(`note: ${p.note}\n`);
          const text = `epoch ${p.epoch}/${p.epochs} ${int(p.wordsPerSecond)} words/s, loss ${p.meanLoss.toFixed(3)}`;
          if (io.tty) bar.update(p.progress, text);
          // Piped: a line for at most 5 finished epochs (a report that closes an epoch has progress = epoch / epochs;
          // the last timed report of an epoch can be one too, so each epoch prints once).
          else if (p.epoch > printedEpoch && Math.abs(p.progress * p.epochs - p.epoch) < 1e-9) {
            printedEpoch = p.epoch;
            if (p.epoch % Math.ceil(p.epochs / 5) === 0 || p.epoch === p.epochs) io.out(`  ${text}\n`);
          }
        },
      },
    );
    bar.done();
    try {
      const s = model.stats;
      const e = model.embeddings;
      io.out(
        `Read ${int(s.rawTokens)} words in ${s.scanSeconds.toFixed(1)} s: vocabulary ${int(e.size)} words (each seen ≥ ${corpus.minCount} times)\n` +
          `Trained ${s.epochsCompleted} epochs × ${int(s.tokens)} words in ${s.seconds.toFixed(1)} s: ` +
          `${int(s.tokensPerSecond)} words/s on ${s.threads} thread${s.threads > 1 ? 's' : ''}\n\nNearest neighbours (cosine similarity):\n`,
      );
      for (const w of corpus.neighbours) io.out(`  ${w.padEnd(8)} → ${scored(e.mostSimilar({ positive: [w], topN: 5 }))}\n`);
      io.out('\nAnalogies, a : b :: c : ? (the words nearest to b − a + c):\n');
      const labels = corpus.analogies.map(([a, b, c]) => `${a} : ${b} :: ${c} : ?`);
      const width = Math.max(...labels.map((l) => l.length));
      corpus.analogies.forEach(([a, b, c, expected], i) => {
        const top = e.analogy(a, b, c, { topN: 3 });
        const rank = top.findIndex((x) => x.word === expected) + 1;
        io.out(`  ${labels[i].padEnd(width)}  ${scored(top)}   (${expected}: ${rank ? `rank ${rank}` : 'not in the top 3'})\n`);
      });
      io.out(`Odd one out of ${corpus.oddOneOut.join(', ')}: ${e.doesntMatch(corpus.oddOneOut)}\n\n`);
      await analogyScore(e, s.threads, io);
      io.out(wrap(corpus.outlook));
      await e.save(out, { format: 'word2vec-text' });
      io.out(
        `\nWrote ${int(e.size)} vectors to ${out} (word2vec text; query them with \`wasm2vec similar ${out} ${corpus.neighbours[0]}\`); ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s in all\n`,
      );
    } finally {
      model.dispose();
    }
    return 0;
  },
};
