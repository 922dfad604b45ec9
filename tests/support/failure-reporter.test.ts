import { describe, expect, it } from 'vitest'
import { briefly } from './failure-reporter.ts'

describe('briefly', () => {
  it('keeps the first message lines, without colours, stack frames or blank lines', () => {
    const error = {
      name: 'AssertionError',
      message:
        '\x1b[31mexpected 1 to be 2\x1b[39m\n\n    at Object.<anonymous> (a.ts:1:1)\nsecond line\nthird\nfourth\nfifth',
    }
    expect(briefly(error)).toBe(
      'AssertionError: expected 1 to be 2\n      second line\n      third\n      fourth',
    )
  })

  it('caps a long message at 600 characters and leaves the plain Error name out', () => {
    const text = briefly({ name: 'Error', message: 'x'.repeat(1000) })
    expect(text).toHaveLength(600)
    expect(text.startsWith('Error')).toBe(false)
  })
})
