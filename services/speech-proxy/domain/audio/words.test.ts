import { describe, expect, it } from 'vitest'
import { joinWords } from './words.ts'

describe('joinWords', () => {
  it('joins bare words with single spaces and none before punctuation', () => {
    expect(joinWords(['Hello', ',', 'world', '!', 'It', 'is', '40', '%', 'done', '.', 'Ok', '?'])).toBe(
      'Hello, world! It is 40% done. Ok?',
    )
    expect(joinWords(['Wait', ';', 'then', ':', 'go'])).toBe('Wait; then: go')
  })

  it('reads the same when the upstream puts a leading space on each word', () => {
    expect(joinWords([' Hello', ',', ' world', '!', ' It', ' is', ' 40', '%', ' done', '.'])).toBe(
      'Hello, world! It is 40% done.',
    )
  })

  it('keeps word pieces together when leading spaces mark where words start', () => {
    expect(joinWords([' I', ' don', "'t", ' know', '.'])).toBe("I don't know.")
  })

  it('takes word objects, drops stray whitespace, and gives empty text for no words', () => {
    expect(joinWords([{ word: 'Good ' }, { word: '  morning' }, { word: ' .' }])).toBe('Good morning.')
    expect(joinWords([])).toBe('')
  })

  it('leaves punctuation glued to a word as it is', () => {
    expect(joinWords(['Hello,', 'world.'])).toBe('Hello, world.')
    expect(joinWords([' Hello,', ' world.'])).toBe('Hello, world.')
  })
})
