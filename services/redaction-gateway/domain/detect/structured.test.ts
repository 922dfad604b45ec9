import { describe, expect, it } from 'vitest'
import { resolve } from './resolve.ts'
import { detectStructured } from './structured.ts'
import type { EntityType } from './types.ts'

/** The resolved values of one type found in `text`. */
function found(text: string, type: EntityType): string[] {
  return resolve(text, detectStructured(text))
    .filter((d) => d.type === type)
    .map((d) => d.value)
}

const POSITIVE: [EntityType, string, string][] = [
  ['EMAIL', 'write to john.smith@example.com today', 'john.smith@example.com'],
  ['EMAIL', 'it is john dot smith at example dot com, thanks', 'john dot smith at example dot com'],
  ['EMAIL', 'send it to jane at acme.io please', 'jane at acme.io'],
  ['URL', 'see https://acme.io/deck?id=7.', 'https://acme.io/deck?id=7'],
  ['URL', 'the site www.northwind.ch has it', 'www.northwind.ch'],
  ['URL', 'go to blueharbor.capital/team for bios', 'blueharbor.capital/team'],
  ['HANDLE', 'DM me at @satoshi_fan on X', '@satoshi_fan'],
  ['PHONE', 'call +41 44 668 18 00 tomorrow', '+41 44 668 18 00'],
  ['PHONE', 'office (212) 555-0123 ext. 45.', '(212) 555-0123 ext. 45'],
  ['PHONE', 'London line 020 7946 0958', '020 7946 0958'],
  ['PHONE', 'Berlin 030 12345678 is the desk', '030 12345678'],
  ['PHONE', 'mobile +1 415-555-2671', '+1 415-555-2671'],
  ['AMOUNT', 'we raised $2–3M last year', '$2–3M'],
  ['AMOUNT', 'a ticket of five million dollars', 'five million dollars'],
  ['AMOUNT', 'fee is USD 5,000 flat', 'USD 5,000'],
  ['AMOUNT', 'he holds 0.5 BTC in cold storage', '0.5 BTC'],
  ['AMOUNT', 'tip 50k sats', '50k sats'],
  ['AMOUNT', 'a €1.2bn fund', '€1.2bn'],
  ['AMOUNT', 'they want 500k for it', '500k'],
  ['AMOUNT', 'CHF 250,000 to 300,000', 'CHF 250,000 to 300,000'],
  ['AMOUNT', 'two hundred thousand euros upfront', 'two hundred thousand euros'],
  ['DATE', 'on March 3rd, 2026 we close', 'March 3rd, 2026'],
  ['DATE', 'signed 2026-03-03T10:00:00Z', '2026-03-03T10:00:00Z'],
  ['DATE', 'due 03/04/2025.', '03/04/2025'],
  ['DATE', 'target Q3 2025 for the close', 'Q3 2025'],
  ['DATE', 'on the 3rd of May we meet', 'the 3rd of May'],
  ['DATE', 'back in September 2024', 'September 2024'],
  ['ADDR', 'ship to 123 Main Street, Apt 4B, Austin, TX 78701.', '123 Main Street, Apt 4B, Austin, TX 78701'],
  ['ADDR', 'office at Bahnhofstrasse 12, 8001 Zürich', 'Bahnhofstrasse 12, 8001 Zürich'],
  ['ADDR', 'she lives at 42 baker street now', '42 baker street'],
  ['IP', 'from 203.0.113.4 and', '203.0.113.4'],
  ['IP', 'v6 2001:db8::8a2e:370:7334 seen', '2001:db8::8a2e:370:7334'],
  ['DIGITS', 'reference 4829174630 in the note', '4829174630'],
]

const NEGATIVE: [EntityType, string][] = [
  ['EMAIL', 'meet me at the office'],
  ['URL', 'open report.pdf and the e.g. section; closed.It was late'],
  ['HANDLE', 'mail a@b is not a handle'],
  ['PHONE', 'years 2024 2025 and version 1.2.3'],
  ['AMOUNT', 'we ran 5km and took 3mg; 12 people came; 3m of cable'],
  ['DATE', 'you may go; we march on; 13/13/2025'],
  ['ADDR', 'I have 3 big drives and 2 fast cars'],
  ['ADDR', 'we have 2 kids on the way and drove 3 miles down the road'],
  ['IP', 'at 12:30 we met; version 999.1.1.1'],
  ['DIGITS', 'in 2024 we had 123456 users'],
]

describe('structured detectors', () => {
  it.each(POSITIVE)('finds %s in %j', (type, text, value) => {
    expect(found(text, type)).toContain(value)
  })

  it.each(NEGATIVE)('finds no %s in %j', (type, text) => {
    expect(found(text, type)).toEqual([])
  })

  it('gives offsets into the original text', () => {
    const text = 'Reach Zoë on +41 44 668 18 00.'
    for (const d of detectStructured(text)) expect(text.slice(d.start, d.end)).toBe(d.value)
  })

  it('lets a typed span win over the bare digit run it contains', () => {
    const text = 'call 4155552671 now'
    expect(resolve(text, detectStructured(text)).map((d) => d.type)).toEqual(['PHONE'])
  })
})
