import { describe, expect, it } from 'vitest'
import { isCrossSiteControlRequest, type OriginHeaders } from './csrf.ts'

const h = (over: Partial<OriginHeaders>): OriginHeaders => ({
  origin: null,
  referer: null,
  host: 'spark.lan:9999',
  forwardedHost: null,
  ...over,
})

describe('CSRF guard', () => {
  it('refuses a cross-site POST to a control route', () => {
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ origin: 'http://evil.example' }))).toBe(true)
    expect(
      isCrossSiteControlRequest('DELETE', '/api/swap/lock', h({ origin: 'http://spark.lan:8080' })),
    ).toBe(true)
  })

  it('passes same-origin requests, with or without default ports', () => {
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ origin: 'http://spark.lan:9999' }))).toBe(false)
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ origin: 'http://SPARK.lan:9999' }))).toBe(false)
    expect(
      isCrossSiteControlRequest(
        'POST',
        '/api/swap',
        h({ origin: 'https://spark.lan', host: 'spark.lan:443' }),
      ),
    ).toBe(false)
    expect(
      isCrossSiteControlRequest('POST', '/api/swap', h({ origin: 'http://spark.lan', host: 'spark.lan' })),
    ).toBe(false)
  })

  it('accepts the host a reverse proxy in front of us forwarded', () => {
    const behindProxy = h({
      origin: 'https://spark.local',
      host: '127.0.0.1:9999',
      forwardedHost: 'spark.local, other',
    })
    expect(isCrossSiteControlRequest('POST', '/api/swap', behindProxy)).toBe(false)
  })

  it('falls back to Referer when there is no Origin', () => {
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ referer: 'http://evil.example/page' }))).toBe(
      true,
    )
    expect(
      isCrossSiteControlRequest('POST', '/api/swap', h({ referer: 'http://spark.lan:9999/ui/swap' })),
    ).toBe(false)
  })

  it('lets programs without Origin or Referer through, as before', () => {
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({}))).toBe(false)
  })

  it('refuses a browser that says the request is cross-site, even with Origin and Referer withheld', () => {
    expect(isCrossSiteControlRequest('POST', '/ui/actions/swap', h({ fetchSite: 'cross-site' }))).toBe(true)
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ fetchSite: 'Cross-Site' }))).toBe(true)
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ fetchSite: 'same-origin' }))).toBe(false)
    // A bookmark or a typed URL ("none") is a person, not another site.
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ fetchSite: 'none' }))).toBe(false)
    expect(isCrossSiteControlRequest('GET', '/api/swap', h({ fetchSite: 'cross-site' }))).toBe(false)
  })

  it('never blocks safe methods or data routes', () => {
    expect(isCrossSiteControlRequest('GET', '/api/swap', h({ origin: 'http://evil.example' }))).toBe(false)
    expect(isCrossSiteControlRequest('OPTIONS', '/api/swap', h({ origin: 'http://evil.example' }))).toBe(
      false,
    )
    expect(
      isCrossSiteControlRequest('POST', '/v1/chat/completions', h({ origin: 'http://evil.example' })),
    ).toBe(false)
    expect(isCrossSiteControlRequest('POST', '/scrub', h({ origin: 'http://evil.example' }))).toBe(false)
    expect(isCrossSiteControlRequest('POST', '/api/health-event', h({ origin: 'http://evil.example' }))).toBe(
      false,
    )
  })

  it('treats an opaque or unparsable origin as cross-site', () => {
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ origin: 'null' }))).toBe(true)
    expect(isCrossSiteControlRequest('POST', '/api/swap', h({ origin: 'file:///x' }))).toBe(true)
    expect(
      isCrossSiteControlRequest('POST', '/api/swap', h({ origin: 'http://spark.lan:9999', host: null })),
    ).toBe(true)
  })
})
