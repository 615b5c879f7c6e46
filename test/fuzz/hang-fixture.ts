/** Run by harness.test.ts in a child process: a reader that never returns must be reported and killed by the watchdog. */
import { runFuzz } from './harness.js';

await runFuzz(
  {
    name: 'broken:sync-loop',
    kind: 'text',
    seeds: () => [new TextEncoder().encode('3 2\n')],
    run: async (bytes) => {
      if (bytes.length === 4) return;
      for (;;) {
        /* a synchronous infinite loop: no timer can interrupt it */
      }
    },
  },
  { cases: 3, seed: 1, timeLimitMs: 200, hugeTimeLimitMs: 200 },
);
console.log('not reached');
