// Compile-time fixture for test/abi/abi.unit.test.ts (never run): kernel calls are typed by the
// generated export interfaces, so each `@ts-expect-error` below must be a type error. tsc fails on an
// unused directive, so a wrong call that compiled would fail `npx tsc` and the ABI test.
import type { KernelPool } from '../../src/runtime/kernel-pool.js';

export function kernelCallTypes(word2vec: KernelPool<'word2vec'>, glove: KernelPool<'glove'>): void {
  void word2vec.call(0, [['trainChunk', 0, 16, 0], ['lastLoss'], ['lastPairs']]);
  void word2vec.call(0, [['setup', 0, 0, 1n, 0]]);
  void glove.call(0, [['trainCells', 0, 16]]);
  // @ts-expect-error an export the module does not have
  void word2vec.call(0, [['trainChunks', 0, 16, 0]]);
  // @ts-expect-error too few arguments
  void word2vec.call(0, [['trainChunk', 0, 16]]);
  // @ts-expect-error too many arguments
  void word2vec.call(0, [['lastLoss', 1]]);
  // @ts-expect-error a u64 parameter takes a bigint
  void word2vec.call(0, [['setup', 0, 0, 1, 0]]);
  // @ts-expect-error another module's export
  void word2vec.call(0, [['trainCells', 0, 16]]);
  // @ts-expect-error one wrong call among right ones
  void glove.call(0, [['tableCount'], ['growTable', 1]]);
}

export async function kernelResultTypes(word2vec: KernelPool<'word2vec'>): Promise<number> {
  const [kept, loss, pairs] = await word2vec.call(0, [['trainChunk', 0, 16, 0], ['lastLoss'], ['lastPairs']]);
  // @ts-expect-error three calls give three results
  const [, , , none] = await word2vec.call(0, [['trainChunk', 0, 16, 0], ['lastLoss'], ['lastPairs']]);
  return kept + loss + pairs + Number(none);
}
