/**
 * Notes for the suite's closing lines: something a test survived but a reader should know (a demo
 * stack that had to be started twice, and why). Appended to `.data/vitest-notes.txt`, which
 * scripts/test-summary.mjs prints with the failures, where CI's kept tail shows it.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { REPO_ROOT } from '../../tools/stack/launch.ts'

export const NOTES_FILE = `${REPO_ROOT}.data/vitest-notes.txt`

export function noteForSummary(line: string): void {
  console.warn(line)
  mkdirSync(`${REPO_ROOT}.data`, { recursive: true })
  appendFileSync(NOTES_FILE, `  ! ${line.replace(/\n/g, ' ').slice(0, 1200)}\n`)
}
