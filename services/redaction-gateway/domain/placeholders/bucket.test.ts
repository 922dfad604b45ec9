import { describe, expect, it } from 'vitest'
import { bucketAmount } from './bucket-amount.ts'
import { bucketDate } from './bucket-date.ts'

describe('buckets', () => {
  it.each([
    ['$2–3M', '$1M–$5M'],
    ['USD 5,000', '1k–10k USD'],
    ['€1.2bn', '€1B–€5B'],
    ['50k sats', '0–0.001 BTC'],
    ['two hundred thousand euros', '€100k–€250k'],
    ['CHF 250,000 to 300,000', '250k–500k CHF'],
    ['$2 trillion', '>$1T'],
  ])('%s → %s', (amount, bucket) => {
    expect(bucketAmount(amount)).toBe(bucket)
  })

  it.each([
    ['03/04/2025', 'month', 'March 2025'],
    ['25/12/2025', 'month', 'December 2025'],
    ['the 3rd of May', 'month', 'May'],
    ['Q3 2025', 'month', 'Q3 2025'],
    ['third quarter of 2025', 'quarter', 'Q3 2025'],
    ['2026-11-30T10:00:00Z', 'quarter', 'Q4 2026'],
  ] as const)('%s by %s → %s', (date, by, bucket) => {
    expect(bucketDate(date, by)).toBe(bucket)
  })

  it('returns null for what it cannot read', () => {
    expect(bucketDate('someday', 'month')).toBeNull()
    expect(bucketAmount('lots')).toBeNull()
  })
})
