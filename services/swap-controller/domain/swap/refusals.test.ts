import { describe, expect, it } from 'vitest'
import { AppError } from '../../../../shared/errors.ts'
import { refusalAuditor } from './refusals.ts'

const locked = () => Promise.reject(new AppError(423, 'locked', 'The swap lock is held by nightly.'))

describe('refusalAuditor', () => {
  it('writes a repeated refusal again once the window has passed, and never a 5xx', async () => {
    let t = 0
    const written: string[] = []
    const r = refusalAuditor({ now: () => t, repeatWindowMs: 1000 })
    const write = (d: string) => void written.push(d)
    await expect(r.run(locked, write, 'a')).rejects.toThrow()
    t = 999
    await expect(r.run(locked, write, 'a')).rejects.toThrow()
    t = 1000
    await expect(r.run(locked, write, 'a')).rejects.toThrow()
    await expect(
      r.run(() => Promise.reject(new AppError(502, 'x', 'upstream')), write, 'a'),
    ).rejects.toThrow()
    expect(written).toEqual([
      '423 The swap lock is held by nightly.',
      '423 The swap lock is held by nightly.',
    ])
  })

  it('remembers a bounded number of callers, forgetting the oldest', async () => {
    const written: string[] = []
    const r = refusalAuditor({ now: () => 0, maxRemembered: 2 })
    for (const caller of ['a', 'b', 'c', 'a'])
      await expect(r.run(locked, () => void written.push(caller), caller)).rejects.toThrow()
    // `a` was forgotten when `c` came, so its second refusal is written again.
    expect(written).toEqual(['a', 'b', 'c', 'a'])
  })
})
