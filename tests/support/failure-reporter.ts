/**
 * A vitest reporter that appends every failure — a test's, a hook's (a `beforeAll` that could not
 * start its stack) and an unhandled error — with the first lines of its message to
 * `.data/vitest-failures.txt`. CI keeps only the end of the output, and vitest's JSON report drops
 * hook errors, so scripts/test-summary.mjs prints this file just before the closing line.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { relative } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'

const FAILURES_FILE = '.data/vitest-failures.txt'

interface ErrorLike {
  message?: string
  name?: string
}

/** The message without colours, stack frames or blank lines: at most 4 lines, 600 characters. */
export function briefly(error: ErrorLike): string {
  const text = `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message ?? String(error)}`
  return text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() && !/^\s+at /.test(line))
    .slice(0, 4)
    .join('\n      ')
    .slice(0, 600)
}

export function failuresOf(modules: ReadonlyArray<TestModule>, root: string): string[] {
  const lines: string[] = []
  const add = (where: string, errors: ReadonlyArray<ErrorLike> | undefined) => {
    for (const error of errors ?? []) lines.push(`  ✗ ${where}\n      ${briefly(error)}`)
  }
  for (const module of modules) {
    const file = relative(root, module.moduleId)
    add(file, module.errors())
    for (const suite of module.children.allSuites()) add(`${file} > ${suite.fullName}`, suite.errors())
    for (const test of module.children.allTests('failed'))
      add(`${file} > ${test.fullName}`, test.result().errors)
  }
  return lines
}

export default class FailureReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<ErrorLike>): void {
    const lines = failuresOf(modules, process.cwd())
    for (const error of unhandledErrors) lines.push(`  ✗ unhandled\n      ${briefly(error)}`)
    if (lines.length === 0) return
    mkdirSync('.data', { recursive: true })
    appendFileSync(FAILURES_FILE, `${lines.join('\n')}\n`)
  }
}
