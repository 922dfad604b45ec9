import { describe, expect, it } from 'vitest'
import { AppError } from '../../../../shared/errors.ts'
import { parseFilter } from './filter.ts'

const refusal = (input: unknown) => {
  try {
    parseFilter(input)
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return {
      status: (err as AppError).status,
      code: (err as AppError).code,
      message: (err as AppError).message,
    }
  }
  throw new Error('accepted')
}

describe('parseFilter', () => {
  it('reads the whole subset, nested filters included', () => {
    const filter = {
      must: [
        { key: 'source', match: { value: 'crm' } },
        { key: 'year', range: { gte: 2020, lt: 2025 } },
        {
          should: [
            { key: 'tag', match: { any: ['a', 'b'] } },
            { key: 'owner', is_empty: true },
          ],
        },
      ],
      must_not: [
        { key: 'status', match: { except: ['open'] } },
        { has_id: ['0f1e2d3c-0000-4000-8000-000000000000'] },
      ],
    }
    expect(parseFilter(filter)).toEqual(filter)
  })

  it.each([
    [{ min_should: {} }, 'filter: unknown clause min_should'],
    [{ must: {} }, 'filter.must: must be a list'],
    [{ must: [{ key: 'a', match: { text: 'x' } }] }, 'filter.must.0.match: needs value, any or except'],
    [{ must: [{ key: 'a', range: { gt: '1' } }] }, 'filter.must.0.range.gt: must be a number'],
    [{ must: [{ key: 'a', range: {} }] }, 'needs at least one bound'],
    [{ must: [{ key: 'a b', match: { value: 1 } }] }, 'filter.must.0.key'],
    [{ must: [{ key: 'a', geo_radius: {} }] }, 'a condition needs'],
    [{ should: [{ has_id: [1] }] }, 'has_id'],
  ])('refuses %j with a 400 naming where', (input, said) => {
    const got = refusal(input)
    expect(got).toMatchObject({ status: 400, code: 'bad_filter' })
    expect(got.message).toContain(said)
  })

  it('bounds the depth and the number of conditions', () => {
    let deep: unknown = { must: [{ key: 'a', is_empty: true }] }
    for (let i = 0; i < 6; i++) deep = { must: [deep] }
    expect(refusal(deep).message).toContain('nested more than')
    const wide = { should: Array.from({ length: 300 }, () => ({ key: 'a', match: { value: 1 } })) }
    expect(refusal(wide).message).toContain('more than 256 conditions')
  })
})
