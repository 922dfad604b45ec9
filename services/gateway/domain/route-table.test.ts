import { describe, expect, it } from 'vitest'
import { isDataRoute, resolveRoute } from './route-table.ts'

describe('route table', () => {
  it.each([
    ['/v1/chat/completions', 'swap-controller', 'chat'],
    ['/v1/completions', 'swap-controller', 'chat'],
    ['/v1/audio/transcriptions', 'speech-proxy', 'audio'],
    ['/v1/audio/speech', 'speech-proxy', 'audio'],
    ['/api/audio/label-merge', 'speech-proxy', 'audio'],
    ['/api/audio/diarize-chunk', 'speech-proxy', 'audio'],
    ['/api/speech/status', 'speech-proxy', 'standard'],
    ['/v1/embeddings', 'vector-search', 'standard'],
    ['/v1/rerank', 'vector-search', 'standard'],
    ['/api/search', 'vector-search', 'standard'],
    ['/api/search/collections/docs', 'vector-search', 'standard'],
    ['/scrub', 'redaction-gateway', 'standard'],
    ['/rehydrate', 'redaction-gateway', 'standard'],
    ['/rehydrate/stream', 'redaction-gateway', 'chat'],
    ['/scrub-proxy/v1/chat/completions', 'redaction-gateway', 'chat'],
    ['/api/redaction/stats', 'redaction-gateway', 'standard'],
    ['/api/swap', 'swap-controller', 'standard'],
    ['/api/swap/lock', 'swap-controller', 'standard'],
    ['/api/swap/job-1/stream', 'swap-controller', 'standard'],
    ['/api/models', 'swap-controller', 'standard'],
    ['/api/models/suggest', 'swap-controller', 'standard'],
    ['/api/schedule', 'swap-controller', 'standard'],
    ['/api/services/parakeet/restart', 'swap-controller', 'standard'],
    ['/api/nim/install', 'swap-controller', 'standard'],
    ['/api/health-event', 'connectivity-monitor', 'standard'],
    ['/api/monitor/targets', 'connectivity-monitor', 'standard'],
    ['/api/monitor/events', 'connectivity-monitor', 'standard'],
    ['/api/monitor/maintenance/mnt_1', 'connectivity-monitor', 'standard'],
    ['/api/connectivity-monitor/outages', 'connectivity-monitor', 'standard'],
    ['/api/speech-proxy/jobs/1', 'speech-proxy', 'audio'],
    ['/api/redaction-gateway/maps/x', 'redaction-gateway', 'standard'],
    ['/api/vector-search/collections', 'vector-search', 'standard'],
    ['/api/swap-controller/telemetry', 'swap-controller', 'standard'],
  ])('%s → %s (%s budget)', (path, service, budget) => {
    expect(resolveRoute(path)).toMatchObject({ service, budget })
  })

  it('sends each service its standard endpoints at its root', () => {
    expect(resolveRoute('/api/speech-proxy/ready')).toMatchObject({
      service: 'speech-proxy',
      upstreamPath: '/ready',
    })
    expect(resolveRoute('/api/vector-search/openapi.json')).toMatchObject({ upstreamPath: '/openapi.json' })
    expect(resolveRoute('/api/swap-controller/metrics')).toMatchObject({ upstreamPath: '/metrics' })
    expect(resolveRoute('/api/speech-proxy/health/deep')?.upstreamPath).toBeUndefined()
  })

  it.each([
    '/',
    '/ui/swap',
    '/static/app.css',
    '/api/status',
    '/api/endpoints',
    '/v1/models',
    '/v1/unknown',
    '/docs',
    '/openapi.json',
    '/api/gateway/openapi.json',
    '/api/nope/x',
    '/api/speech-proxy',
    '/api/__proto__/x',
    '/__proto__',
    '/constructor',
    '/API/SWAP',
    '//api/swap',
    '/v1/audio',
    '/scrub/extra',
    '/api/monitor',
  ])('leaves %s to the gateway itself', (path) => {
    expect(resolveRoute(path)).toBeNull()
  })

  it('labels metrics with the table entry, never the raw path', () => {
    expect(resolveRoute('/api/audio/some-unique-id-123')?.pattern).toBe('/api/audio/*')
    expect(resolveRoute('/api/speech-proxy/jobs/42')?.pattern).toBe('/api/speech-proxy/*')
  })
})

describe('data routes (exempt from the CSRF guard)', () => {
  it.each([
    '/v1/chat/completions',
    '/v1/audio/speech',
    '/scrub',
    '/rehydrate',
    '/rehydrate/stream',
    '/scrub-proxy/v1/chat/completions',
    '/api/search',
    '/api/search/x',
    '/api/audio/diarize',
    '/api/health-event',
  ])('%s is a data route', (path) => expect(isDataRoute(path)).toBe(true))
  it.each([
    '/api/swap',
    '/api/models',
    '/api/schedule',
    '/api/services/x/restart',
    '/api/nim/install',
    '/api/speech-proxy/jobs',
    '/api/status',
    '/',
  ])('%s is a control route', (path) => expect(isDataRoute(path)).toBe(false))
})
