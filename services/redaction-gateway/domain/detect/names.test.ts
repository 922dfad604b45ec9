import { describe, expect, it } from 'vitest'
import { detectNames } from './names.ts'
import { NAMES_CORPUS } from './names-corpus.test-data.ts'
import { propagate } from './propagate.ts'
import { resolve } from './resolve.ts'
import type { Detection } from './types.ts'

interface Gold {
  text: string
  persons: [number, number][]
  others: [number, number][]
}

/** Strips the `{person}` and `<other>` marks, keeping their offsets in the plain text. */
function parse(line: string): Gold {
  const gold: Gold = { text: '', persons: [], others: [] }
  for (const part of line.split(/([{<][^}>]*[}>])/)) {
    const inner = part.slice(1, -1)
    const span: [number, number] = [gold.text.length, gold.text.length + inner.length]
    if (part.startsWith('{')) gold.persons.push(span)
    else if (part.startsWith('<')) gold.others.push(span)
    gold.text += /^[{<]/.test(part) ? inner : part
  }
  return gold
}

function names(text: string): Detection[] {
  return propagate(text, resolve(text, detectNames(text)))
}

const overlaps = (d: Detection, [s, e]: [number, number]) => d.start < e && s < d.end

function score(lines: string[]): { recall: number; precision: number; missed: string[]; wrong: string[] } {
  let persons = 0
  let found = 0
  let detections = 0
  let right = 0
  const missed: string[] = []
  const wrong: string[] = []
  for (const line of lines) {
    const gold = parse(line)
    const got = names(gold.text)
    for (const [s, e] of gold.persons) {
      persons++
      const covered = [...Array(e - s).keys()].every((i) =>
        got.some((d) => d.start <= s + i && s + i < d.end),
      )
      if (covered) found++
      else missed.push(gold.text.slice(s, e))
    }
    for (const d of got) {
      detections++
      if ([...gold.persons, ...gold.others].some((span) => overlaps(d, span))) right++
      else wrong.push(d.value)
    }
  }
  return { recall: found / persons, precision: right / detections, missed, wrong }
}

describe('rule-based names', () => {
  it('has a corpus of at least 60 sentences', () => {
    expect(NAMES_CORPUS.length).toBeGreaterThanOrEqual(60)
  })

  it('reaches recall ≥ 0.95 and precision ≥ 0.85 on the mini-corpus', () => {
    const { recall, precision, missed, wrong } = score(NAMES_CORPUS)
    expect({ recall: recall >= 0.95, missed }).toEqual({ recall: true, missed: expect.any(Array) })
    expect({ precision: precision >= 0.85, wrong }).toEqual({ precision: true, wrong: expect.any(Array) })
  })

  it('trims titles, possessives and punctuation from a span', () => {
    const text = "Dr. Patel's note, then Mr. O'Brien."
    expect(detectNames(text).map((d) => d.value)).not.toContain("Patel's")
    expect(resolve(text, detectNames(text)).map((d) => d.value)).toEqual(['Patel', "O'Brien"])
  })

  it('leaves allow-listed public terms alone', () => {
    const text = 'Bitcoin at Coinbase after the Federal Reserve spoke on Monday.'
    expect(detectNames(text)).toEqual([])
  })

  it('types organisations and funds by their suffix', () => {
    const text = 'Northwind Growth Fund II and Blue Harbor Partners LLC signed.'
    expect(resolve(text, detectNames(text)).map((d) => [d.type, d.value])).toEqual([
      ['FUND', 'Northwind Growth Fund II'],
      ['ORG', 'Blue Harbor Partners LLC'],
    ])
  })

  it('keeps a person apart from the organisation named after them', () => {
    const text = 'We met Tobias Wren of Quarry Lane Capital, then Bank of Montreal Trust.'
    expect(resolve(text, detectNames(text)).map((d) => [d.type, d.value])).toEqual([
      ['PERSON', 'Tobias Wren'],
      ['ORG', 'Quarry Lane Capital'],
      ['ORG', 'Bank of Montreal Trust'],
    ])
  })

  it('finds a listed given name in lower case', () => {
    expect(detectNames('so then priya said no').map((d) => d.value)).toContain('priya')
  })

  it('keeps particles, apostrophes and hyphens inside a name', () => {
    const text = "Met Pieter van der Berg, Giulia De Luca, Siobhan O'Brien and Khalid Al-Rashid today."
    expect(values(text)).toEqual([
      'Pieter van der Berg',
      'Giulia De Luca',
      "Siobhan O'Brien",
      'Khalid Al-Rashid',
    ])
  })

  it('finds a name after a title in any case, without the title', () => {
    expect(values('then ms. van der berg said no')).toEqual(['van der berg'])
    expect(values('Prof. Schneider agreed')).toEqual(['Schneider'])
  })

  it('finds unlisted lower-case names where speech introduces someone', () => {
    expect(values('hi, this is ophira quennell from Acme Capital.')).toContain('ophira quennell')
    expect(values('speaker 2: tamsin orrery from Blue Harbor said yes')).toContain('tamsin orrery')
    expect(values('this is really important for custody')).toEqual([])
  })

  it('counts an everyday-word given name only when capitalised', () => {
    expect(values('we will grant them access in may')).toEqual([])
    expect(values('The deck went to Grant and Will yesterday.')).toEqual(['Grant', 'Will'])
  })

  it('leaves the headers and business phrases of notes and emails alone', () => {
    const text = [
      'Due Diligence Checklist',
      'Private Equity allocation is on hold.',
      'Net Asset Value was up.',
      'Action Items: Next Steps',
      'Happy Holidays from the team',
      'Risk Disclosure Statement',
      'Subject: Multisig Vault Onboarding',
      'Sent from my iPhone',
    ].join('\n')
    expect(detectNames(text)).toEqual([])
  })

  it('takes roles, sentence words and thing words for no one, and a phrase after "in" for a place', () => {
    expect(values('Best regards,\nLudmila Lebedev\nManaging Director')).toEqual(['Ludmila Lebedev'])
    expect(values('Lunch with the Risk Committee. Reminder: send it.')).toEqual([])
    expect(resolve('She is in Monterrey now.', detectNames('She is in Monterrey now.'))).toMatchObject([
      { type: 'LOC', value: 'Monterrey' },
    ])
  })
})

function values(text: string): string[] {
  return resolve(text, detectNames(text))
    .filter((d) => d.type === 'PERSON')
    .map((d) => d.value)
}
