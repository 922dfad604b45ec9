// The suite's closing lines: the notes tests left (tests/support/suite-notes.ts), every failure
// with the first lines of its message (tests/support/failure-reporter.ts; CI keeps only the end
// of the output, so the cause must be there), then one "tests: N passed, N failed" line from vitest's JSON reports.
import { existsSync, readFileSync } from 'node:fs'

const [failuresFile, notesFile, ...reports] = process.argv.slice(2)
let passed = 0
let failed = 0
let skipped = 0
for (const file of reports) {
  if (!existsSync(file)) continue
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests
  skipped += report.numPendingTests + (report.numTodoTests || 0)
  // A file that fails before its tests run (a beforeAll) fails no test; count the file instead.
  failed += report.numFailedTests || report.numFailedTestSuites
}
if (existsSync(notesFile)) console.log(`notes:\n${readFileSync(notesFile, 'utf8').trimEnd()}`)
if (existsSync(failuresFile)) console.log(`failures:\n${readFileSync(failuresFile, 'utf8').trimEnd()}`)
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
