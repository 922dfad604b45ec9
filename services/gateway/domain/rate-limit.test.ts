/** The rate-limit settings and the limiter (domain/rate-limit*.ts), without a gateway around them. */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { createRateLimiter, isNeverLimited } from './rate-limit.ts'
import { limitTable, parseLimits } from './rate-limit-config.ts'
import { resolveRoute } from './route-table.ts'

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => err as AppError,
  )

describe('RATE_LIMITS parsing', () => {
  it('reads groups, counts and periods in s, m and h (a bare number is seconds)', () => {
    expect(parseLimits('chat=120/60s, audio=60/1m,admin=30/1h,default=5/10')).toEqual({
      table: {
        chat: { points: 120, durationS: 60 },
        audio: { points: 60, durationS: 60 },
        admin: { points: 30, durationS: 3600 },
        default: { points: 5, durationS: 10 },
      },
    })
    expect(parseLimits('')).toEqual({ table: {} })
  })

  it('names every bad entry: unknown group, wrong shape, zero, a period over a day', () => {
    const parsed = parseLimits('chats=1/1s,chat=abc,search=0/60s,audio=1/25h')
    expect('problems' in parsed && parsed.problems).toEqual([
      expect.stringContaining('unknown group chats'),
      expect.stringContaining('expected <group>=<requests>/<period>'),
      expect.stringContaining('at least 1 request'),
      expect.stringContaining('at least 1 request'),
    ])
    expect(limitTable().safeParse('chat=abc').success).toBe(false)
    expect(limitTable().parse('  ')).toEqual({})
  })
})

describe('the limiter', () => {
  it('is absent while both settings are blank (the default)', () => {
    expect(createRateLimiter({ RATE_LIMITS: {}, RATE_LIMIT_PER_ADDRESS: {} })).toBeUndefined()
  })

  it('gives each key its own budget and refuses the one over it with 429 and a Retry-After', async () => {
    const limiter = createRateLimiter({
      RATE_LIMITS: { chat: { points: 2, durationS: 30 } },
      RATE_LIMIT_PER_ADDRESS: {},
    })!
    const a = { key: 'app-a', address: '127.0.0.11' }
    await limiter.take('chat', a)
    await limiter.take('chat', a)
    const over = await refusal(limiter.take('chat', a))
    expect(over).toBeInstanceOf(AppError)
    expect(over).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(over!.retryAfterS).toBeGreaterThanOrEqual(29)
    expect(over!.retryAfterS).toBeLessThanOrEqual(30)
    // Same address, another key: its own budget. Another group: not limited at all.
    expect(await refusal(limiter.take('chat', { key: 'app-b', address: '127.0.0.11' }))).toBeNull()
    expect(await refusal(limiter.take('search', a))).toBeNull()
  })

  it('counts requests without a key by address, and caps an address whatever keys it sends', async () => {
    const limiter = createRateLimiter({
      RATE_LIMITS: { default: { points: 1, durationS: 60 } },
      RATE_LIMIT_PER_ADDRESS: { admin: { points: 2, durationS: 60 } },
    })!
    await limiter.take('default', { key: null, address: '127.0.0.12' })
    expect((await refusal(limiter.take('default', { key: null, address: '127.0.0.12' })))?.status).toBe(429)
    expect(await refusal(limiter.take('default', { key: null, address: '127.0.0.13' }))).toBeNull()
    await limiter.take('admin', { key: 'one', address: '127.0.0.14' })
    await limiter.take('admin', { key: 'two', address: '127.0.0.14' })
    const capped = await refusal(limiter.take('admin', { key: 'three', address: '127.0.0.14' }))
    expect(capped?.message).toMatch(/for this address/)
  })

  it('never limits probes, discovery, the API description or static files', () => {
    for (const path of [
      '/health',
      '/ready',
      '/metrics',
      '/openapi.json',
      '/docs',
      '/api/endpoints',
      '/v1/models',
    ])
      expect(isNeverLimited(path, null), path).toBe(true)
    expect(isNeverLimited('/static/htmx.min.js', null)).toBe(true)
    expect(isNeverLimited('/api/swap-controller/health', resolveRoute('/api/swap-controller/health'))).toBe(
      true,
    )
    expect(isNeverLimited('/v1/chat/completions', resolveRoute('/v1/chat/completions'))).toBe(false)
    expect(isNeverLimited('/ui/settings', null)).toBe(false)
  })
})
