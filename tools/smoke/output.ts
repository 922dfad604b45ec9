/**
 * What the operator reads: one line per check as it finishes (verdict, name, seconds, what was seen
 * or why it failed), a last line with the counts — or, with `--json`, one document at the end.
 */
import type { CheckResult } from './runner.ts'

const NAME_WIDTH = 13

export function headerLine(base: string): string {
  return `Spark Control smoke test of ${base}`
}

export function resultLine(result: CheckResult): string {
  const seconds = `${(result.ms / 1000).toFixed(2)} s`
  return `${result.verdict}  ${result.name.padEnd(NAME_WIDTH)} ${seconds.padStart(8)}  ${result.detail}`
}

export function summaryLine(results: CheckResult[]): string {
  const count = (verdict: CheckResult['verdict']) => results.filter((r) => r.verdict === verdict).length
  const failed = count('FAIL')
  const verdict = failed === 0 ? 'OK' : 'FAILED'
  return `${verdict}: ${count('PASS')} passed, ${failed} failed, ${count('SKIP')} skipped`
}

export function jsonReport(base: string, results: CheckResult[]): string {
  return JSON.stringify({ base, ok: results.every((r) => r.verdict !== 'FAIL'), checks: results }, null, 2)
}
