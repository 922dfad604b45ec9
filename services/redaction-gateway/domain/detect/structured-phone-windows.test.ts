import { findPhoneNumbersInText } from 'libphonenumber-js'
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { phoneWindows } from './structured-phone-windows.ts'

const FRAGMENTS = [
  '+41 44 668 18 00',
  '(212) 555-0123 ext. 45',
  '020 7946 0958',
  '030 12345678',
  '+1 415-555-2671',
  '+44 20 7946 0958 x 12',
  '0049 30 901820',
  '12/09/2026',
  '2026-04-12 14:30',
  '[00:12:31]',
  'Speaker 2:',
  '4839',
  '211-227 (2003)',
  '$2.5 million',
  '250,000',
  '7d1a3f09e4b2c6a85f0e3d21c9b87a6543210fedcba98765',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  '+683 4002',
  'tel. 044/668.18.00',
  '1 2 3 4 5 6 7 8 9 0',
]
const FILLER = 'the quick brown fox jumps over a lazy dog while we wait for the wire to land\n and then some '

/** Fragments with fillers of every length between them, so cuts fall everywhere. */
function sample(seed: number): string {
  const rand = seededRandom(seed)
  const parts: string[] = []
  for (let i = 0; i < 12; i++) {
    parts.push(FRAGMENTS[Math.floor(rand() * FRAGMENTS.length)]!)
    const n = Math.floor(rand() * 60)
    const at = Math.floor(rand() * FILLER.length)
    parts.push((FILLER + FILLER).slice(at, at + n) || (rand() < 0.5 ? '' : '\n'))
  }
  return parts.join(rand() < 0.3 ? '' : ' ')
}

function windowed(text: string, region: 'US' | 'GB' | 'DE' | 'CH') {
  const windows = phoneWindows(text)
  return findPhoneNumbersInText(windows.text, region).map((f) => windows.toOriginal(f.startsAt, f.endsAt))
}

describe('phone windows', () => {
  it('give libphonenumber the same answers as the whole text, in every region', () => {
    let numbers = 0
    for (let seed = 1; seed <= 150; seed++) {
      const text = sample(seed)
      for (const region of ['US', 'GB', 'DE', 'CH'] as const) {
        const whole = findPhoneNumbersInText(text, region).map((f) => [f.startsAt, f.endsAt])
        numbers += whole.length
        expect(windowed(text, region), `seed ${seed}, ${region}`).toEqual(whole)
      }
    }
    expect(numbers).toBeGreaterThan(300)
  })

  it('leaves out the parts of a transcript with no four-digit group', () => {
    const line = `[00:12:31] Speaker 2: ${'so the main thing is the custody setup and withdrawals '.repeat(2)}`
    const text = `${line.repeat(5)}call me on +44 20 7946 0958 ${line.repeat(5)}`
    const windows = phoneWindows(text)
    expect(windows.text).toContain('+44 20 7946 0958')
    expect(windows.text.length).toBeLessThan(line.length * 2)
    const at = windows.text.indexOf('+44')
    expect(text.slice(...windows.toOriginal(at, at + 16))).toBe('+44 20 7946 0958')
  })
})
