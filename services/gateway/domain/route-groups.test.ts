import { describe, expect, it } from 'vitest'
import { groupFor } from './route-groups.ts'
import { resolveRoute } from './route-table.ts'

const group = (method: string, path: string) => groupFor(method, path, resolveRoute(path))

describe('API-key group of a request', () => {
  it.each([
    ['POST', '/v1/chat/completions', 'chat'],
    ['POST', '/v1/completions', 'chat'],
    ['POST', '/v1/audio/transcriptions', 'audio'],
    ['POST', '/api/audio/diarize-chunk', 'audio'],
    ['GET', '/api/speech-proxy/jobs/1', 'audio'],
    ['POST', '/v1/embeddings', 'search'],
    ['POST', '/v1/rerank', 'search'],
    ['POST', '/api/search', 'search'],
    ['PUT', '/api/search/collections/docs', 'search'],
    ['POST', '/scrub', 'redaction'],
    ['POST', '/rehydrate', 'redaction'],
    ['POST', '/rehydrate/stream', 'redaction'],
    ['POST', '/scrub-proxy/v1/chat/completions', 'redaction'],
    ['POST', '/api/swap', 'admin'],
    ['POST', '/api/swap/cancel', 'admin'],
    ['POST', '/api/swap/stop', 'admin'],
    ['POST', '/api/swap/lock', 'admin'],
    ['DELETE', '/api/swap/lock', 'admin'],
    ['POST', '/api/models', 'admin'],
    ['DELETE', '/api/models/qwen3', 'admin'],
    ['POST', '/api/models/qwen3/download', 'admin'],
    ['POST', '/api/services/parakeet/restart', 'admin'],
    ['POST', '/api/schedule', 'admin'],
    ['POST', '/api/swap-controller/anything', 'admin'],
    ['POST', '/ui/actions/swap', 'admin'],
    ['POST', '/api/monitor/maintenance', 'admin'],
    ['DELETE', '/api/monitor/maintenance/mnt_1', 'admin'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(group(method, path)).toBe(expected)
  })

  it.each([
    ['GET', '/api/swap/state'],
    ['GET', '/api/swap/lock'],
    ['GET', '/api/models'],
    ['GET', '/api/status'],
    ['GET', '/api/endpoints'],
    ['GET', '/v1/models'],
    ['GET', '/openapi.json'],
    ['GET', '/ui/swap'],
    ['POST', '/ui/unlock'],
    ['POST', '/api/health-event'],
    ['GET', '/api/monitor/targets'],
    ['GET', '/api/monitor/events'],
    ['GET', '/api/swap-controller/health'],
    ['GET', '/api/speech-proxy/metrics'],
    ['OPTIONS', '/v1/chat/completions'],
    ['OPTIONS', '/api/swap'],
  ])('%s %s needs no key', (method, path) => {
    expect(group(method, path)).toBeNull()
  })
})
