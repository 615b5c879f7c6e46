// word2vec.c's 64-bit linear congruential generator. The state lives in memory (per-thread scratch),
// not in a global, so checkpoints capture it and every instance on the shared memory sees its own block.

@inline export function lcgNext(state: u64): u64 {
  return state * 25214903917 + 11;
}

/** SplitMix64 finaliser: turns (seed, stream) into well-separated starting states. */
@inline export function mixSeed(seed: u64, stream: u64): u64 {
  let z = seed + (stream + 1) * 0x9E3779B97F4A7C15;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}
