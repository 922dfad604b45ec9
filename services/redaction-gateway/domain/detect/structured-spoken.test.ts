import { describe, expect, it } from 'vitest'
import { resolve } from './resolve.ts'
import { detectStructured } from './structured.ts'

const found = (text: string) =>
  resolve(text, detectStructured(text))
    .filter((d) => d.type === 'PHONE' || d.type === 'DIGITS')
    .map((d) => [d.type, d.value])

it('reads a spoken mail address with plus addressing whole', () => {
  const said = 'sakura plus crm at corp dot example dot net'
  expect(
    resolve(`email is ${said}.`, detectStructured(`email is ${said}.`))
      .filter((d) => d.type === 'EMAIL')
      .map((d) => d.value),
  ).toEqual([said])
})

it('reads mail addresses written to dodge harvesters, and post-office boxes', () => {
  const typed = (text: string, type: string) =>
    resolve(text, detectStructured(text))
      .filter((d) => d.type === type)
      .map((d) => d.value)
  expect(typed('mail jane [at] example [dot] com now', 'EMAIL')).toEqual(['jane [at] example [dot] com'])
  expect(typed('write to jane(at)example.com now', 'EMAIL')).toEqual(['jane(at)example.com'])
  expect(typed('we met at the bank (at) noon', 'EMAIL')).toEqual([])
  expect(typed('Send it to P.O. Box 4821, Zug.', 'ADDR')).toEqual(['P.O. Box 4821, Zug'])
  expect(typed('Postfach 12, 8021 Zürich', 'ADDR')).toEqual(['Postfach 12, 8021 Zürich'])
  expect(typed('put it in the box 12 times', 'ADDR')).toEqual([])
})

describe('numbers read aloud', () => {
  it('finds a phone number spelled out in groups, on the words as written', () => {
    const said = 'four one five, five five five, zero one three four'
    expect(found(`yeah so my number is ${said} and email is`)).toEqual([['PHONE', said]])
  })

  it('finds an international number read without its plus as a long digit run', () => {
    const said = 'four four, seven four zero zero, one two three four five six'
    expect(found(`call me on ${said} tomorrow`).map(([, v]) => v)).toEqual([said])
  })

  it('leaves short spelled numbers and ordinary counting alone', () => {
    expect(found('we have two or three options, maybe four five at most')).toEqual([])
    expect(found('one two three, let us start')).toEqual([])
  })

  it('does not report a written number twice', () => {
    expect(found('office (212) 555-0123 or five five five')).toEqual([['PHONE', '(212) 555-0123']])
  })
})
