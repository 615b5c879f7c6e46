/** Case counts and the seed of the CI fuzz run (the nightly script, scripts/fuzz.ts, runs >= 10,000 per reader). */
export const CI_CASES = Number(process.env.FUZZ_CASES ?? 500);
/** Fixed so CI is reproducible; FUZZ_SEED explores others. */
export const CI_SEED = Number(process.env.FUZZ_SEED ?? 20261129);
/** Cases per reader that carry a 10 MB line. */
export const CI_HUGE = 1;
export const reproduce = (target: string) => `reproduce: npx tsx scripts/fuzz.ts --target ${target} --seed ${CI_SEED} --cases ${CI_CASES} --case <index>`;
