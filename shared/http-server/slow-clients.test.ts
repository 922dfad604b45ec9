import { describe, expect, it } from 'vitest'
import { ConfigError } from '../config.ts'
import { clientTimeoutsFrom, connectionsCheckingInterval } from './slow-clients.ts'

describe('client timeouts', () => {
  it('by default drop a slow head and a stalled body within 15 s', () => {
    const t = clientTimeoutsFrom({})
    expect(t.headersMs + connectionsCheckingInterval(t)).toBeLessThanOrEqual(15_000)
    // A stall is seen at the second check at the latest.
    expect(2 * t.bodyStallMs).toBeLessThanOrEqual(15_000)
  })

  it('are read from HTTP_HEADERS_TIMEOUT_MS and HTTP_BODY_STALL_MS; a bad value names its key', () => {
    expect(clientTimeoutsFrom({ HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_BODY_STALL_MS: '' })).toEqual({
      headersMs: 500,
      bodyStallMs: 7500,
    })
    expect(() => clientTimeoutsFrom({ HTTP_BODY_STALL_MS: 'soon' })).toThrow(ConfigError)
    expect(() => clientTimeoutsFrom({ HTTP_BODY_STALL_MS: 'soon' })).toThrow(/HTTP_BODY_STALL_MS/)
  })
})
