/**
 * The golden-file leak gate: the real `/scrub` pipeline under `ner: rules_only` (rule-based detectors,
 * a real encrypted SQLite map store) over the frozen synthetic corpus tests/fixtures/redaction-corpus/
 * test.jsonl, one request per document with its `known_entities`. It fails on any leak of a Tier-1,
 * structured or bitcoin value, on Tier-1 material tokenised instead of dropped, on any leak of a name
 * given in `known_entities`, and when names recall < 0.95 or precision < 0.85. How a leak is judged:
 * tools/redaction-corpus/measure.ts. The report is printed and written to .data/redaction-leak-report.json.
 * Tune detectors on dev.jsonl (`npm run corpus:redaction:report`), never on this file.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { LeakReport } from '../../tools/redaction-corpus/measure.ts'
import { formatReport, reportFor } from '../../tools/redaction-corpus/report.ts'

const DATA_DIR = fileURLToPath(new URL('../../.data', import.meta.url))
const NAMES_RECALL_MIN = 0.95
const NAMES_PRECISION_MIN = 0.85

let report: LeakReport
beforeAll(async () => {
  report = await reportFor('test')
  console.log(formatReport(report))
  mkdirSync(DATA_DIR, { recursive: true })
  writeFileSync(join(DATA_DIR, 'redaction-leak-report.json'), `${JSON.stringify(report, null, 2)}\n`)
}, 60_000)

/** The sub-classes that leaked or were tokenised, for a failure message that says where to look. */
const offenders = (cls: keyof LeakReport['classes'], field: 'leaked' | 'tokenised') =>
  Object.fromEntries(
    Object.entries(report.classes[cls].byType)
      .filter(([, t]) => t[field] > 0)
      .map(([k, t]) => [k, t[field]]),
  )

describe('leak gate on test.jsonl (rules_only)', () => {
  it.each(['tier1', 'structured', 'crypto'] as const)('no %s value leaks', (cls) => {
    expect(report.classes[cls].mentions).toBeGreaterThan(100)
    expect(offenders(cls, 'leaked')).toEqual({})
  })

  it('Tier-1 material (numbers, secrets, private keys, seeds) is dropped, never tokenised into the map', () => {
    expect({ ...offenders('tier1', 'tokenised'), ...offenders('crypto', 'tokenised') }).toEqual({})
  })

  it('no name given in known_entities leaks', () => {
    expect(report.names.known.mentions).toBeGreaterThan(100)
    expect(report.names.known.leaked).toBe(0)
  })

  it(`names recall is at least ${NAMES_RECALL_MIN}`, () => {
    expect(report.names.recall).toBeGreaterThanOrEqual(NAMES_RECALL_MIN)
  })

  it(`names precision is at least ${NAMES_PRECISION_MIN}`, () => {
    expect(report.names.precision).toBeGreaterThanOrEqual(NAMES_PRECISION_MIN)
  })
})
