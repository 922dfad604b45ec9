import { describe, expect, it } from 'vitest'
import { neutralise } from '../placeholders/neutralise.ts'
import { type LlmEntity, llmNameDetections } from './llm-names.ts'
import { findLlmNames, type NameModel, NerUnavailableError } from './llm-names-pass.ts'

const spans = (text: string, entities: LlmEntity[]) =>
  llmNameDetections(text, entities).map((d) => [d.type, text.slice(d.start, d.end)])

describe('the local LLM names as detections', () => {
  it('marks every whole-word occurrence, folded (case, accents, hyphen/space), with its type', () => {
    const text = 'Zoë Smith-Jones met ZOE SMITH JONES at Bluefin Capital in Zürich; zoe smith jones agreed.'
    const found = llmNameDetections(text, [
      { text: 'Zoë Smith-Jones', type: 'person' },
      { text: 'Bluefin Capital', type: 'organization' },
      { text: 'Zurich', type: 'location' },
    ])
    expect(found.map((d) => [d.type, d.value])).toEqual([
      ['PERSON', 'Zoë Smith-Jones'],
      ['PERSON', 'ZOE SMITH JONES'],
      ['PERSON', 'zoe smith jones'],
      ['ORG', 'Bluefin Capital'],
      ['LOC', 'Zürich'],
    ])
    for (const d of found) {
      expect(d).toMatchObject({ tier: 2, kind: null, detector: 'names-llm' })
      expect(text.slice(d.start, d.end)).toBe(d.value)
    }
  })

  it('drops strings the text does not hold (invented or altered by the model) and never matches inside a word', () => {
    const text = 'Annette called Bob about the Annex.'
    expect(
      spans(text, [
        { text: 'Ann', type: 'person' },
        { text: 'Robert', type: 'person' },
        { text: 'Bob', type: 'person' },
      ]),
    ).toEqual([['PERSON', 'Bob']])
  })

  it('drops public terms, placeholders, sentences and strings without letters', () => {
    const text = neutralise('[PERSON_1] joined Coinbase on Monday with 2024 and Mira. '.repeat(2))
    expect(
      spans(text, [
        { text: 'Coinbase', type: 'organization' },
        { text: 'Monday', type: 'person' },
        { text: '[PERSON_1]', type: 'person' },
        { text: '［PERSON_1］', type: 'person' },
        { text: '2024', type: 'organization' },
        { text: 'x'.repeat(121), type: 'person' },
        { text: '  ', type: 'person' },
        { text: 'Mira', type: 'person' },
      ]),
    ).toEqual([
      ['PERSON', 'Mira'],
      ['PERSON', 'Mira'],
    ])
  })

  it('takes an everyday word as a name only where it is capitalised', () => {
    const text = 'Will said he will call Rose; the rose is red.'
    expect(
      spans(text, [
        { text: 'Will', type: 'person' },
        { text: 'Rose', type: 'person' },
      ]),
    ).toEqual([
      ['PERSON', 'Will'],
      ['PERSON', 'Rose'],
    ])
  })
})

describe('the pass over the items of one call', () => {
  const model = (answer: LlmEntity[][]): NameModel & { seen: string[] } => {
    const seen: string[] = []
    return {
      seen,
      async entities(texts) {
        seen.push(...texts)
        return answer
      },
    }
  }

  it('sends the neutralised texts and looks for every name in every item, offsets on the original', async () => {
    const items = [
      { text: 'Keep [ORG_1] and call Priya Raman.' },
      { text: 'Priya agreed; Priya Raman signs.' },
    ]
    const m = model([[{ text: 'Priya Raman', type: 'person' }], [{ text: 'Priya', type: 'person' }]])
    const found = await findLlmNames(items, 'auto', m)
    expect(m.seen).toEqual(['Keep ［ORG_1］ and call Priya Raman.', 'Priya agreed; Priya Raman signs.'])
    expect(found.map((ds) => ds.map((d) => items[found.indexOf(ds)]!.text.slice(d.start, d.end)))).toEqual([
      ['Priya Raman', 'Priya'],
      ['Priya Raman', 'Priya', 'Priya'],
    ])
  })

  it('fails closed when the model answers for fewer items than it was sent', async () => {
    await expect(findLlmNames([{ text: 'a' }, { text: 'b' }], 'qwen', model([[]]))).rejects.toBeInstanceOf(
      NerUnavailableError,
    )
  })
})
