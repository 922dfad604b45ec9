import { defineConfig } from 'vitest/config'

// Unit and in-process tests live beside the code (project `unit`); system, browser, SSH and Deno
// tests live in tests/ (project `system`). scripts/test.sh runs `unit` two files at a time and
// `system` one at a time: system tests start whole stacks and a browser, and share two cores
// badly. Slow suites get their own timeouts in their files; the defaults here suit the fast ones.
const shared = { testTimeout: 20_000, hookTimeout: 60_000, pool: 'forks' as const }

export default defineConfig({
  test: {
    reporters: ['default'],
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
          ],
        },
      },
      { test: { ...shared, name: 'system', include: ['tests/**/*.test.ts'] } },
    ],
  },
})
