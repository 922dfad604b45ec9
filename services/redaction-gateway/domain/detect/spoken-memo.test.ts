import { expect, it } from 'vitest'
import { normaliseSpokenDigits } from './spoken.ts'

it('rewrites a text once per synchronous scrub and keeps nothing after it', async () => {
  const text = 'my number is four one five five five five zero one three four'
  const first = normaliseSpokenDigits(text)
  expect(normaliseSpokenDigits(text)).toBe(first)
  expect(normaliseSpokenDigits(`${text}.`)).not.toBe(first)
  await Promise.resolve()
  const later = normaliseSpokenDigits(text)
  expect(later).not.toBe(first)
  expect(later.text).toBe(first.text)
})
