/**
 * knip: files, dependencies, unresolved imports and exports nothing uses. Run by scripts/test.sh.
 *
 * Entries it cannot see by itself are listed here. It already takes the package.json scripts
 * (tools/demo.ts, bench/run.ts, bench/swap.ts) and, through its vitest plugin, vitest.config.ts and
 * every test file — so an export a test uses counts as used.
 */
import type { KnipConfig } from 'knip'

const config: KnipConfig = {
  // An export also used in its own file is part of that file's interface, not dead code.
  ignoreExportsUsedInFile: true,
  workspaces: {
    '.': {
      entry: [
        // Each service is started as `node … services/<name>/main.ts` (compose, deno.json, tests).
        'services/*/main.ts',
        // Run by hand: `node --import tsx tools/api-keys.ts …` (README, docs/SECURITY.md).
        'tools/api-keys.ts',
        // Run by hand (or by a StartOS action): `node --import tsx tools/dashboard-password.ts set`.
        'tools/dashboard-password.ts',
        // The simulated cluster as its own process: compose.yaml's profile `sim` runs its compiled form.
        'tools/spark-sim/main.ts',
        // Forked by bench/run.ts as child processes (bench/children.ts `forkReady`).
        'bench/upstream.ts',
        'bench/load.ts',
        'bench/bare-proxy.ts',
        // Served to the browser as files (ui/assets.ts), never imported.
        'ui/static/*.js',
        // A vitest reporter named on the command line by scripts/test.sh (`--reporter=…`).
        'tests/support/failure-reporter.ts',
      ],
      project: ['**/*.{ts,tsx,js}'],
      ignoreDependencies: [
        // Loaded by a computed import() so Deno never tries to resolve it (shared/sqlite.ts).
        'better-sqlite3',
        // Only its Compose Specification schema file is read (tests/packaging/compose-schema.test.ts).
        'dclint',
        // Their dist files are served by path (ui/assets.ts `import.meta.resolve`), not imported.
        'htmx.org',
        'htmx-ext-sse',
        // Run as node_modules/.bin/deno by the Deno tests and tools/stack/launch.ts.
        'deno',
      ],
    },
    // The StartOS package is its own npm project (startos/package.json); StartOS loads the
    // bundle of startos/startos/index.ts. Its pure modules' tests run in the repository's vitest.
    startos: {
      entry: ['startos/index.ts'],
      project: ['startos/**/*.ts'],
    },
  },
}

export default config
