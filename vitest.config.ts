import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

// Unit and in-process tests live beside the code (project `unit`); system, browser, SSH and Deno
// tests live in tests/ (project `system`). scripts/test.sh runs `unit` and `system` two files at a
// time, then `timing` one at a time: the system tests whose assertions are measurements (outage
// durations, detection latency, throughput knees, load, shutdown and timeout bounds, and real swaps
// driven through the page) run alone so another file's stack cannot skew them. Slow suites get their own timeouts in their files.
const shared = { testTimeout: 20_000, hookTimeout: 60_000, pool: 'forks' as const }

const TIMING = [
  'tests/system/monitor-*.test.ts',
  'tests/system/ops-sweep.test.ts',
  'tests/system/speech-load.test.ts',
  'tests/system/load-*.test.ts',
  'tests/system/lifecycle-*.test.ts',
  'tests/system/shutdown.test.ts',
  // Timeout bounds of every upstream fault (504 within the lookup + the upstream's timeout).
  'tests/system/faults-upstreams.test.ts',
  // Real swaps driven through the page: a dry run's pre-flight over SSH and the load wait on time
  // that a second stack starting beside them took past the page's 30 s wait.
  'tests/browser/swap.test.ts',
  'tests/browser/overview-switch.test.ts',
]

/**
 * Files that run for minutes start first, so the second worker takes the short files beside them.
 * Without a timing cache (every CI run is a fresh clone) vitest starts the larger files first, and
 * the fuzz suite (small file, 3–5 minutes) began 230 s into the system run and ran on alone at its end.
 */
const LONG_FILES = ['tests/system/fuzz.test.ts']

class LongFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const long = (f: TestSpecification) => (LONG_FILES.some((p) => f.moduleId.endsWith(p)) ? 0 : 1)
    // Array.prototype.sort is stable: the base order holds among the rest.
    return (await super.sort(files)).sort((a, b) => long(a) - long(b))
  }
}

export default defineConfig({
  test: {
    reporters: ['default'],
    sequence: { sequencer: LongFilesFirst },
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include: [
            'services/**/*.test.{ts,tsx}',
            'shared/**/*.test.ts',
            'ui/**/*.test.{ts,tsx}',
            'tools/**/*.test.ts',
            // The StartOS package's pure modules (no SDK import); startos/ type-checks them itself.
            'startos/**/*.test.ts',
          ],
          exclude: ['**/node_modules/**', 'startos/javascript/**'],
        },
      },
      { test: { ...shared, name: 'system', include: ['tests/**/*.test.ts'], exclude: TIMING } },
      { test: { ...shared, name: 'timing', include: TIMING } },
    ],
  },
})
