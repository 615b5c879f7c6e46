#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs, formatFlags, UsageError, type CliCommand, type CliIO } from './cli/args.js';
import { Wasm2VecError } from './errors.js';

/** Command name → lazily loaded module, so `wasm2vec train` does not load the classifier code. */
const commands: Record<string, () => Promise<{ command: CliCommand }>> = {
  train: () => import('./cli/train.js'),
  demo: () => import('./cli/demo.js'),
  supervised: () => import('./cli/supervised.js'),
  predict: () => import('./cli/predict.js'),
  similar: () => import('./cli/similar.js'),
  analogy: () => import('./cli/analogy.js'),
  eval: () => import('./cli/eval.js'),
  convert: () => import('./cli/convert.js'),
  plot: () => import('./cli/plot.js'),
  classify: () => import('./cli/classify.js'),
  glove: () => import('./cli/glove.js'),
  fasttext: () => import('./cli/fasttext.js'),
  'print-word-vectors': () => import('./cli/print-word-vectors.js'),
};

async function help(io: CliIO): Promise<void> {
  io.out('wasm2vec — word embeddings in WebAssembly\n\nUsage: wasm2vec <command> [options]\n\nCommands:\n');
  for (const [name, load] of Object.entries(commands)) io.out(`  ${name.padEnd(12)} ${(await load()).command.summary}\n`);
  io.out('\nRun `wasm2vec <command> --help` for its options. Exit codes: 0 ok, 1 runtime error, 2 usage error.\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    await help(io);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.err(`wasm2vec: unknown command ${JSON.stringify(name)}; run wasm2vec --help\n`);
    return 2;
  }
  const { command } = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}\n\nOptions:\n${formatFlags(command.flags)}\n`);
    return 0;
  }
  try {
    return await command.run(parseArgs(rest, command.flags), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`wasm2vec ${name}: ${e.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    if (e instanceof Wasm2VecError && e.code === 'INVALID_OPTION') {
      io.err(`wasm2vec ${name}: ${e.message}\n`);
      return 2;
    }
    io.err(`wasm2vec ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  // `wasm2vec ... | head` closes the pipe early: that is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const io: CliIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), tty: Boolean(process.stderr.isTTY) };
  process.exitCode = await main(process.argv.slice(2), io);
}
