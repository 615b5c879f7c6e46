import { createReadStream } from 'node:fs';
import { UsageError, type CliCommand } from './args.js';
import { loadFastTextArgument } from './vectors-argument.js';

/** A float as fastText prints it (C++ ostream, setprecision(5): printf's %.5g). */
export function formatG5(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expText] = x.toExponential(4).split('e');
  const e = Number(expText);
  if (e < -4 || e >= 5) {
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const fixed = x.toFixed(4 - e);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** fastText's Vector printing: every value followed by a space. */
const printed = (v: Float32Array) => {
  let s = '';
  for (let i = 0; i < v.length; i++) s += `${formatG5(v[i])} `;
  return s;
};

/** C++ `cin >> word` separators (isspace in the C locale). */
const SPACE = /[ \t\n\v\f\r]+/;

export const command: CliCommand = {
  summary: "Print the vectors of the words read from stdin (or a file), as fastText's print-word-vectors; OOV words from their n-grams.",
  usage: 'wasm2vec print-word-vectors <model.bin|model.ftz> [words-file|-] [--sentences] [--dtype float16]',
  flags: {
    sentences: { kind: 'boolean', describe: "one vector per input line, as fastText's print-sentence-vectors" },
    dtype: { kind: 'string', describe: 'float16 holds the model in half precision (models beyond 4 GiB)' },
  },
  async run(args, io) {
    const [model, input = '-', ...extra] = args.positionals;
    if (!model || extra.length) throw new UsageError('expected a fastText model and at most one input file');
    const ft = await loadFastTextArgument(model, args, io);
    const e = ft.embeddings;
    const source = input === '-' ? process.stdin : createReadStream(input);
    const decoder = new TextDecoder();
    let pending = '';
    const flush = (text: string, final: boolean) => {
      if (args.flags.sentences) {
        const lines = text.split('\n');
        // The last piece is a line still arriving, or (at the end) the text after the last newline.
        const rest = lines.pop()!;
        if (final && rest !== '') lines.push(rest);
        let out = '';
        for (const line of lines) out += `${printed(e.sentenceVector(line))}\n`;
        if (out) io.out(out);
        return final ? '' : rest;
      }
      const words = text.split(SPACE);
      // The last piece may be a word cut by the chunk end (unless the input ended).
      const keep = final ? '' : words.pop()!;
      let out = '';
      for (const w of words) if (w) out += `${w} ${printed(e.vector(w))}\n`;
      if (out) io.out(out);
      return keep;
    };
    try {
      for await (const chunk of source) pending = flush(pending + decoder.decode(chunk as Uint8Array, { stream: true }), false);
      flush(pending + decoder.decode(), true);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`cannot read ${input}: no such file`);
      throw err;
    } finally {
      ft.dispose();
    }
    return 0;
  },
};
