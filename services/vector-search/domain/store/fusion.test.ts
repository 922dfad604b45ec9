import { describe, expect, it } from 'vitest'
import { fuse, type Leg } from './fusion.ts'

const leg = (entries: [number, number][], smallerIsBetter = false): Leg => ({
  hits: entries.map(([key, score]) => ({ key, id: `id-${key}`, score })),
  smallerIsBetter,
})

describe('fuse', () => {
  it('RRF adds 1/(k + zero-based position) per leg', () => {
    const out = fuse(
      [
        leg([
          [1, 0.9],
          [2, 0.5],
        ]),
        leg([
          [2, 7],
          [3, 1],
        ]),
      ],
      { kind: 'rrf', k: 2 },
    )
    expect(out.map((h) => [h.key, h.score])).toEqual([
      [2, 1 / 3 + 1 / 2],
      [1, 1 / 2],
      [3, 1 / 3],
    ])
  })

  it('breaks ties by id ascending', () => {
    const out = fuse([leg([[2, 1]]), leg([[1, 1]])], { kind: 'rrf', k: 60 })
    expect(out.map((h) => h.id)).toEqual(['id-1', 'id-2'])
  })

  it('DBSF maps each leg by mean ± 3 sample σ and sums; one point is 0.5', () => {
    const out = fuse(
      [
        leg([
          [1, 3],
          [2, 1],
        ]),
        leg([[3, 42]]),
      ],
      { kind: 'dbsf' },
    )
    const sd = Math.SQRT2
    expect(out.map((h) => [h.key, h.score])).toEqual([
      [1, expect.closeTo((3 - (2 - 3 * sd)) / (6 * sd), 9)],
      [3, 0.5],
      [2, expect.closeTo((1 - (2 - 3 * sd)) / (6 * sd), 9)],
    ])
  })

  it('DBSF mirrors a leg where smaller is better, and gives 0.5 to equal scores', () => {
    const euclid = fuse(
      [
        leg(
          [
            [1, 0.1],
            [2, 0.9],
          ],
          true,
        ),
      ],
      { kind: 'dbsf' },
    )
    expect(euclid.map((h) => h.key)).toEqual([1, 2])
    expect(
      fuse(
        [
          leg([
            [1, 2],
            [2, 2],
          ]),
        ],
        { kind: 'dbsf' },
      ).map((h) => h.score),
    ).toEqual([0.5, 0.5])
  })
})
