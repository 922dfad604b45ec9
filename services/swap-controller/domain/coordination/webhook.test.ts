import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_RETRY,
  encodeEvent,
  isRetryableStatus,
  type RetryPolicy,
  retryDelayMs,
  signBody,
  swapEvent,
  verifySignature,
} from './webhook.ts'

const started = Date.parse('2026-03-01T12:00:00.000Z')

describe('swapEvent', () => {
  it('builds swap_complete with ISO +00:00 times and seconds', () => {
    const event = swapEvent({
      swapId: 'swp_1',
      recipe: 'qwen3-30b',
      model: 'Qwen/Qwen3-30B-A3B-FP8',
      fromModel: 'meta/llama',
      startedAtMs: started,
      finishedAtMs: started + 83_456,
      servingModel: 'Qwen/Qwen3-30B-A3B-FP8',
    })
    expect(event).toEqual({
      event: 'swap_complete',
      swap_id: 'swp_1',
      recipe: 'qwen3-30b',
      model: 'Qwen/Qwen3-30B-A3B-FP8',
      from_model: 'meta/llama',
      started_at: '2026-03-01T12:00:00.000000+00:00',
      finished_at: '2026-03-01T12:01:23.456000+00:00',
      duration_s: 83.456,
      serving_model: 'Qwen/Qwen3-30B-A3B-FP8',
      serving_state: 'model',
    })
    expect('error' in event).toBe(false)
  })

  it('says unknown and why after an unverified teardown, keeping serving_model null for older readers', () => {
    const base = {
      swapId: 'swp_3',
      recipe: 'big',
      model: 'big-model',
      fromModel: 'old-model',
      startedAtMs: started,
      finishedAtMs: started + 5,
      servingModel: null,
      error: 'container vllm_node still present on spark-2',
    }
    const unknown = swapEvent({ ...base, teardownUnverified: true })
    expect(unknown).toMatchObject({ serving_model: null, serving_state: 'unknown' })
    expect(unknown.serving_note).toContain('teardown was not verified')
    expect(unknown.serving_note).toContain('still present on spark-2')
    const none = swapEvent({ ...base, teardownUnverified: false })
    expect(none).toMatchObject({ serving_model: null, serving_state: 'none' })
    expect('serving_note' in none).toBe(false)
  })

  it('builds swap_failed with a bounded error', () => {
    const event = swapEvent({
      swapId: 'swp_2',
      recipe: 'big',
      model: null,
      fromModel: null,
      startedAtMs: started,
      finishedAtMs: started + 5,
      servingModel: null,
      error: 'x'.repeat(5000),
    })
    expect(event.event).toBe('swap_failed')
    expect(event.error).toHaveLength(1000)
    expect(event.duration_s).toBe(0.005)
  })
})

describe('signing', () => {
  const body = encodeEvent(
    swapEvent({
      swapId: 's',
      recipe: 'r',
      model: 'm',
      fromModel: null,
      startedAtMs: started,
      finishedAtMs: started,
      servingModel: 'm',
    }),
  )

  it('is sha256= plus the hex HMAC-SHA256 of the exact body bytes', () => {
    const expected = createHmac('sha256', 'k3y').update(Buffer.from(body, 'utf8')).digest('hex')
    expect(signBody(body, 'k3y')).toBe(`sha256=${expected}`)
    expect(signBody(Buffer.from(body), 'k3y')).toBe(`sha256=${expected}`)
  })

  it('verifies only the right body with the right secret', () => {
    const header = signBody(body, 'k3y')
    expect(verifySignature(body, 'k3y', header)).toBe(true)
    expect(verifySignature(`${body} `, 'k3y', header)).toBe(false)
    expect(verifySignature(body, 'other', header)).toBe(false)
    expect(verifySignature(body, 'k3y', undefined)).toBe(false)
    expect(verifySignature(body, 'k3y', 'sha256=short')).toBe(false)
  })
})

describe('retry schedule', () => {
  const policy: RetryPolicy = { baseMs: 1000, maxMs: 8000, maxAttempts: 6 }

  it("waits the shared jittered backoff with the policy's base and cap, and gives up after maxAttempts tries", () => {
    expect([1, 5].map((n) => retryDelayMs(n, policy, () => 1))).toEqual([1000, 8000])
    expect(retryDelayMs(1, policy, () => 0)).toBe(500)
    expect(retryDelayMs(5, policy, () => 0.5)).not.toBeNull()
    expect(retryDelayMs(6, policy, () => 0.5)).toBeNull()
    expect(retryDelayMs(0, policy)).toBeNull()
    const total = Array.from(
      { length: DEFAULT_RETRY.maxAttempts - 1 },
      (_, i) => retryDelayMs(i + 1, DEFAULT_RETRY, () => 1)!,
    )
    expect(total.reduce((a, b) => a + b, 0)).toBeLessThan(10 * 60_000)
  })

  it('retries timeouts, throttling and server errors, not other client errors', () => {
    expect([408, 429, 500, 502, 503].every(isRetryableStatus)).toBe(true)
    expect([400, 401, 404, 410, 422].some(isRetryableStatus)).toBe(false)
  })
})
