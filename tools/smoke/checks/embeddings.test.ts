import { describe, expect, it } from 'vitest'
import { embeddingVerdict } from './embeddings.ts'

const vector = (width: number, value = 0.1) => Array.from({ length: width }, () => value)

describe('embeddings verdict', () => {
  it('answers the width of the vectors', () => {
    expect(embeddingVerdict({ data: [{ embedding: vector(1024) }, { embedding: vector(1024) }] }, 2)).toBe(
      1024,
    )
  })

  it('fails a missing, empty, ragged, zero or non-numeric vector', () => {
    expect(() => embeddingVerdict({ data: [{ embedding: vector(4) }] }, 2)).toThrow(
      'asked for 2 vectors, got 1',
    )
    expect(() => embeddingVerdict({}, 1)).toThrow('asked for 1 vectors, got 0')
    expect(() => embeddingVerdict({ data: [{ embedding: [] }] }, 1)).toThrow('vector 0 is empty')
    expect(() => embeddingVerdict({ data: [{ embedding: vector(4) }, { embedding: vector(3) }] }, 2)).toThrow(
      'the vectors have different widths: 4, 3',
    )
    expect(() => embeddingVerdict({ data: [{ embedding: vector(4, 0) }] }, 1)).toThrow(
      'vector 0 is all zeros',
    )
    expect(() => embeddingVerdict({ data: [{ embedding: [0.1, null] }] }, 1)).toThrow('not a finite number')
  })
})
