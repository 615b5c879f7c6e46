import { defineConfig } from 'vitest/config';

/**
 * Three tiers (README, Quick start):
 * - unit: `test/**\/*.unit.test.ts`, pure logic, seconds (`npm run test:unit`);
 * - main: every other test except the data suite, on data the repository ships (`npm test` = unit + main);
 * - data: `test/**\/*.data.test.ts`, on the sets that cannot ship, read from $WASM2VEC_DATA or
 *   ../shared/data (`npm run test:data`).
 * The unit and main projects set WASM2VEC_NO_SHARED_DATA, so `sharedData()` refuses there even on a
 * machine that has the data: a test that needs it cannot slip into `npm test`.
 */
const noSharedData = { WASM2VEC_NO_SHARED_DATA: '1' };

export default defineConfig({
  test: {
    // Training tests are CPU-bound and the CI machine has 2 cores: run files two at a time.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.unit.test.ts'], env: noSharedData } },
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.unit.test.ts', 'test/**/*.data.test.ts'],
          env: noSharedData,
          globalSetup: ['test/setup/data-suite-notice.ts'],
        },
      },
      { extends: true, test: { name: 'data', include: ['test/**/*.data.test.ts'], globalSetup: ['test/setup/require-shared-data.ts'] } },
    ],
  },
});
