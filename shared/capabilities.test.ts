import { describe, expect, it } from 'vitest'
import { assessCapabilities, type Capability, samplePath } from './capabilities.ts'
import { silentLogger } from './logger.ts'
import { createReadiness, type DependencyReport } from './readiness.ts'
import { createService } from './service.ts'

const capability = (over: Partial<Capability> & Pick<Capability, 'name'>): Capability => ({
  title: over.name,
  needs: [],
  built: [],
  planned: [],
  ...over,
})

const TRANSCRIPTION = capability({
  name: 'transcription',
  title: 'Transcription',
  needs: ['parakeet'],
  planned: ['POST /v1/audio/transcriptions'],
})
const VOICES = capability({ name: 'voices', title: 'Voice list', needs: ['kokoro'], built: ['GET /voices'] })

describe('assessCapabilities', () => {
  const deps = (parakeet: DependencyReport['state'], kokoro: DependencyReport['state']) => ({
    parakeet: { state: parakeet, detail: 'p' },
    kokoro: { state: kokoro, detail: 'connection refused' },
  })

  it('calls a built capability up only when every upstream it needs is up', () => {
    expect(assessCapabilities([VOICES], deps('up', 'up')).voices).toEqual({
      title: 'Voice list',
      state: 'up',
      detail: 'Working.',
      needs: ['kokoro'],
      built: ['GET /voices'],
      planned: [],
    })
    expect(assessCapabilities([VOICES], deps('up', 'down')).voices).toMatchObject({
      state: 'down',
      detail: 'kokoro is down (connection refused)',
    })
    expect(assessCapabilities([VOICES], deps('up', 'busy')).voices?.state).toBe('busy')
    expect(assessCapabilities([VOICES], deps('up', 'disabled')).voices?.state).toBe('disabled')
  })

  it('calls a capability with no built route not_built, whatever its upstream says', () => {
    for (const state of ['up', 'down', 'disabled'] as const) {
      expect(assessCapabilities([TRANSCRIPTION], deps(state, 'up')).transcription).toMatchObject({
        state: 'not_built',
        detail: 'Not built yet in this version of Spark Control.',
        planned: ['POST /v1/audio/transcriptions'],
      })
    }
  })

  it('reads `node:*` as every node the service checks, and a missing need as down', () => {
    const swaps = capability({ name: 'swaps', needs: ['node:*'], built: ['POST /api/swap'] })
    const nodes = {
      'node:spark-1': { state: 'up' as const },
      'node:spark-2': { state: 'down' as const, detail: 'timeout' },
    }
    expect(assessCapabilities([swaps], nodes).swaps).toMatchObject({
      state: 'down',
      detail: 'node:spark-2 is down (timeout)',
    })
    expect(assessCapabilities([swaps], {}).swaps?.state).toBe('not_configured')
    const orphan = capability({ name: 'o', needs: ['qdrant'], built: ['GET /o'] })
    expect(assessCapabilities([orphan], {}).o?.state).toBe('down')
  })
})

describe('planned routes answer 501 in the style of their path', () => {
  const app = () => {
    const capabilities = [
      TRANSCRIPTION,
      capability({ name: 'diarization', title: 'Diarization', planned: ['POST /api/audio/diarize'] }),
      capability({ name: 'redaction', title: 'Redaction', planned: ['POST /scrub'] }),
      capability({ name: 'search', title: 'Search', planned: ['ALL /api/search/*'] }),
      VOICES,
    ]
    const readiness = createReadiness({ service: 't', checks: [], capabilities, cacheMs: 0 })
    const service = createService({ name: 't', logger: silentLogger(), readiness })
    service.get('/voices', (c) => c.json({ voices: [] }))
    return service
  }
  const post = (path: string) => app().request(path, { method: 'POST', body: '{}' })

  it('OpenAI envelope on /v1', async () => {
    const res = await post('/v1/audio/transcriptions')
    expect(res.status).toBe(501)
    expect((await res.json()).error).toMatchObject({
      message: 'Transcription is not built yet in this version of Spark Control.',
      type: 'server_error',
      code: 'not_implemented',
    })
  })

  it('{"detail": …} on earlier routes, {"error": code} on /scrub, problem+json on new ones', async () => {
    const earlier = await post('/api/audio/diarize')
    expect(earlier.status).toBe(501)
    expect(await earlier.json()).toEqual({
      detail: 'Diarization is not built yet in this version of Spark Control.',
      capability: 'diarization',
    })
    const scrub = await post('/scrub')
    expect(scrub.status).toBe(501)
    expect(await scrub.json()).toMatchObject({ error: 'not_implemented', capability: 'redaction' })
    const fresh = await app().request('/api/search/collections/docs', { method: 'PUT' })
    expect(fresh.status).toBe(501)
    expect(fresh.headers.get('content-type')).toContain('application/problem+json')
    expect(await fresh.json()).toMatchObject({
      title: 'Not Implemented',
      status: 501,
      detail: 'Search is not built yet in this version of Spark Control.',
    })
  })

  it('leaves built routes and unknown paths alone, and reports the capabilities in /ready', async () => {
    const service = app()
    expect((await service.request('/voices')).status).toBe(200)
    expect((await service.request('/v1/audio/elsewhere', { method: 'POST' })).status).toBe(404)
    const ready = await (await service.request('/ready')).json()
    expect(ready.status).toBe('ready')
    expect(ready.capabilities.transcription).toMatchObject({ state: 'not_built' })
    expect(ready.capabilities.voices).toMatchObject({
      state: 'down',
      detail: expect.stringContaining('kokoro'),
    })
  })
})

describe('samplePath', () => {
  it('fills parameters and a trailing wildcard', () => {
    expect(samplePath('/api/services/:name/:action')).toBe('/api/services/x/x')
    expect(samplePath('/api/search/*')).toBe('/api/search/x')
  })
})
