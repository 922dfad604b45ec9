/**
 * Property tests: placeholders altered the ways models and renderers alter them come back as their
 * own value or stay as written — never as another token's value — and hallucinated ones stay.
 */
import { describe, expect, it } from 'vitest'
import { seededRandom } from '../../../../shared/random.ts'
import { createStreamRehydrator, rehydrate } from './rehydrate.ts'
import { mapLookup } from './testing-maps.ts'

const MAP: Record<string, string> = {
  '[PERSON_1]': 'Sarah Johnson',
  '[PERSON_2]': 'Mark Lee',
  '[PERSON_12]': 'Zoë Ng',
  '[PERSON_21]': 'Ines Alvarez',
  '[ORG_1]': 'Acme Capital',
  '[ORG_2]': 'Blue Harbor Fund',
  '[BTC_ADDR_1]': 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  '[LN_INVOICE_1]': 'lnbc2500u1pvjluezpp5',
}
const HALLUCINATED = ['[PERSON_99]', '[ORG_3]', '[PERSON_120]', '[BTC_ADDR_2]', '[EMAIL_1]']
const BRACKETS: Array<[string, string]> = [
  ['[', ']'],
  ['(', ')'],
  ['{', '}'],
  ['', ''],
  ['[', ''],
  ['', ']'],
  ['(', ']'],
  ['&#91;', '&#93;'],
  ['&lbrack;', '&rbrack;'],
  ['&#x5B;', '&#x5d;'],
  ['\\[', '\\]'],
  ['\\[', ']'],
  ['\\u005b', '\\u005d'],
  ['\\u005B', ')'],
  ['［', '］'],
  ['<', '>'],
]
const WORDS = ['we', 'met', 'the', 'fund', 'on', 'Monday', 'NOTE', 'SHA-256', '42', '—', 'and', 'x', 'ID-7']

type Random = () => number
const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!

function recase(random: Random, s: string): string {
  switch (Math.floor(random() * 4)) {
    case 0:
      return s
    case 1:
      return s.toLowerCase()
    case 2:
      return s[0] + s.slice(1).toLowerCase()
    default:
      return [...s].map((c) => (random() < 0.5 ? c.toLowerCase() : c)).join('')
  }
}

/** One altered form of a token: case, separators, inner spaces, brackets, sometimes a leading zero. */
function perturb(random: Random, token: string): string {
  const inner = token.slice(1, -1)
  const number = inner.match(/\d+$/)![0]
  const typeParts = inner.slice(0, -number.length - 1).split('_')
  const type = typeParts.map((p) => recase(random, p)).join(pick(random, ['_', '-', ' ', '\\_']))
  const digits = random() < 0.05 ? `0${number}` : number
  const body = type + pick(random, ['_', '_', '-', ' ', '', '\\_']) + digits
  const space = pick(random, ['', '', ' ', '  '])
  const [open, close] = pick(random, BRACKETS)
  return open + space + body + space + close
}

const phrase = (random: Random) =>
  Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, WORDS)).join(' ')

describe('perturbed placeholders', () => {
  it('come back as their own value or stay as written, never as another value', () => {
    const random = seededRandom(7)
    let restored = 0
    const tokens = Object.keys(MAP)
    for (let n = 0; n < 5000; n++) {
      const token = pick(random, tokens)
      const form = perturb(random, token)
      const prefix = `${phrase(random)}${pick(random, [' ', ', ', '\n', ': '])}`
      const suffix = `${pick(random, [' ', ', ', '. ', '\n', '; '])}${phrase(random)}`
      const out = rehydrate(prefix + form + suffix, mapLookup(MAP)).text
      if (out === prefix + form + suffix) continue
      // Restored: the value stands where the form stood, at most a bracket of a mixed pair left beside it.
      expect(out.startsWith(prefix) && out.endsWith(suffix), JSON.stringify({ form, out })).toBe(true)
      const middle = out.slice(prefix.length, out.length - suffix.length)
      const at = middle.indexOf(MAP[token]!)
      expect(at, JSON.stringify({ form, out })).toBeGreaterThanOrEqual(0)
      const [before, after] = [middle.slice(0, at), middle.slice(at + MAP[token]!.length)]
      expect(form.startsWith(before) && form.endsWith(after), JSON.stringify({ form, out })).toBe(true)
      restored++
    }
    // Tolerance is real: most alterations are understood (bare lower-case, `<…>`, fullwidth and leading zeros are not).
    expect(restored).toBeGreaterThan(3000)
  })

  it('several perturbed tokens in a row, whole or streamed, give only their own values', () => {
    const random = seededRandom(11)
    const tokens = Object.keys(MAP)
    for (let n = 0; n < 1500; n++) {
      const used = Array.from({ length: 2 + Math.floor(random() * 3) }, () => pick(random, tokens))
      const text = used.map((t) => perturb(random, t)).join(pick(random, [' ', ', ', ' and ', '\n']))
      const whole = rehydrate(text, mapLookup(MAP)).text
      for (const [token, value] of Object.entries(MAP)) {
        const times = whole.split(value).length - 1
        expect(times, JSON.stringify({ text, whole })).toBeLessThanOrEqual(
          used.filter((t) => t === token).length,
        )
      }
      const stream = createStreamRehydrator(mapLookup(MAP))
      let streamed = ''
      for (let at = 0; at < text.length; ) {
        const next = at + 1 + Math.floor(random() * 6)
        streamed += stream.push(text.slice(at, next))
        at = next
      }
      expect(streamed + stream.end()).toBe(whole)
    }
  })

  it('leave hallucinated tokens as written and report the exact ones', () => {
    const random = seededRandom(13)
    for (let n = 0; n < 2000; n++) {
      const token = pick(random, HALLUCINATED)
      const form = random() < 0.3 ? token : perturb(random, token)
      const text = `${phrase(random)} ${form} ${phrase(random)}`
      const out = rehydrate(text, mapLookup(MAP))
      expect(out.text, form).toBe(text)
      expect(out.restored).toBe(0)
      if (form === token) expect(out.unknown).toEqual([token])
    }
  })
})
