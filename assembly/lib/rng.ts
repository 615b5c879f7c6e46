// The kernels' random numbers, one implementation each:
// - word2vec.c's 64-bit linear congruential generator, for the training loops. Its state lives in
//   memory (per-thread scratch), not in a global, so checkpoints capture it and every instance on the
//   shared memory sees its own block.
// - SplitMix64 (Steele, Lea & Flood 2014), for one-off sequences inside a single call (GloVe's shuffle
//   and initialisation, the LSTM's initialisation) and for deriving well-separated starting states.
//   Its state is a per-instance global: each worker's instance has its own copy.

const GOLDEN_GAMMA: u64 = 0x9E3779B97F4A7C15;

@inline export function lcgNext(state: u64): u64 {
  return state * 25214903917 + 11;
}

/** SplitMix64's output function: a bijective 64-bit mix. */
@inline function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}

/** SplitMix64 finaliser: turns (seed, stream) into well-separated starting states. */
@inline export function mixSeed(seed: u64, stream: u64): u64 {
  return mix64(seed + (stream + 1) * GOLDEN_GAMMA);
}

let splitMixState: u64 = 0;

/** Starts the SplitMix64 sequence at `state`. */
@inline export function splitMixSeed(state: u64): void {
  splitMixState = state;
}

/** The next 64 bits of the SplitMix64 sequence. */
@inline export function splitMixNext(): u64 {
  splitMixState += GOLDEN_GAMMA;
  return mix64(splitMixState);
}

/** Uniform in [0, 1) from the top 53 bits of the next SplitMix64 value. */
@inline export function splitMixUniform(): f64 {
  return <f64>(splitMixNext() >> 11) * (1.0 / 9007199254740992.0);
}

/** Uniform integer in [0, bound) without modulo bias (Lemire's multiply-and-reject), bound < 2^32. */
@inline export function splitMixBelow(bound: u32): u32 {
  let m = (splitMixNext() >> 32) * <u64>bound;
  if (<u32>m < bound) {
    const t = (<u32>0 - bound) % bound;
    while (<u32>m < t) m = (splitMixNext() >> 32) * <u64>bound;
  }
  return <u32>(m >> 32);
}
