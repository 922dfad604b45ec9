import { defineConfig } from 'vitest/config'

// Unit and in-process tests live beside the code; system, browser and Deno tests live in tests/.
// Slow suites get their own timeouts in their files; the defaults here suit the fast ones.
export default defineConfig({
  test: {
    include: [
      'services/**/*.test.{ts,tsx}',
      'shared/**/*.test.ts',
      'ui/**/*.test.{ts,tsx}',
      'tools/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
})
