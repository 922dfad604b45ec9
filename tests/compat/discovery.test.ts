/**
 * Earlier-version contract, discovery routes (docs/COMPATIBILITY.md#discovery-and-status, with our
 * choices for the unknown details). Each request is what a downstream app sends.
 */
import { describe, expect, it } from 'vitest'
import { compatTarget } from './target.ts'

const target = compatTarget('discovery')
const get = (path: string, init?: RequestInit) => fetch(target.url(path), init)
const UPSTREAMS = ['vllm', 'parakeet', 'kokoro', 'embeddings', 'qdrant']

describe('GET /api/status (transcript app health ping; LLM discovery by scripts)', () => {
  it('answers 200 JSON with the loaded LLM name', async () => {
    const res = await get('/api/status')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const body = await res.json()
    expect(typeof body.loaded_model === 'string' || body.loaded_model === null).toBe(true)
    expect(body.model).toBe(body.loaded_model)
    expect(body.loaded_model).toBeTruthy()
  })
})

describe('GET /api/endpoints (recap relay, transcript app, task app)', () => {
  it('lists each backing service with base_url, ready, model and disabled', async () => {
    const res = await get('/api/endpoints')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(Object.keys(body).sort()).toEqual([...UPSTREAMS].sort())
    for (const name of UPSTREAMS) {
      const entry = body[name]
      expect(typeof entry.ready, name).toBe('boolean')
      expect(typeof entry.disabled, name).toBe('boolean')
      expect(entry.base_url === null || typeof entry.base_url === 'string', name).toBe(true)
      expect('model' in entry, name).toBe(true)
      expect(['ready', 'not_ready', 'disabled']).toContain(entry.status)
      expect(entry.ready).toBe(entry.status === 'ready')
    }
  })

  it('gives the loaded chat model name to put in request bodies, when vLLM is ready', async () => {
    const { vllm } = await (await get('/api/endpoints')).json()
    expect(vllm.ready).toBe(true)
    expect(typeof vllm.model).toBe('string')
    expect(vllm.base_url).toMatch(/^http:\/\/.+\/v1$/)
    const status = await (await get('/api/status')).json()
    expect(vllm.model).toBe(status.loaded_model)
  })
})

describe('GET /v1/models (OpenAI audio clients pick voices from it)', () => {
  it('lists the speech-to-text model and the TTS voices, plus the loaded LLM as an addition', async () => {
    const res = await get('/v1/models')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.object).toBe('list')
    for (const m of body.data) {
      expect(m.object).toBe('model')
      expect(typeof m.id).toBe('string')
      expect(typeof m.created).toBe('number')
      expect(typeof m.owned_by).toBe('string')
    }
    const ids = body.data.map((m: { id: string }) => m.id)
    expect(ids.some((id: string) => /parakeet/i.test(id))).toBe(true)
    expect(ids).toContain('af_heart')
    const { vllm } = await (await get('/api/endpoints')).json()
    expect(ids).toContain(vllm.model)
  })
})

describe('conventions every earlier client relies on', () => {
  it('keeps {"detail": ...} error bodies on earlier routes', async () => {
    const res = await get('/api/swap/definitely-not-a-job/unknown-action')
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    const body = await res.json()
    expect(typeof body.detail === 'string' || Array.isArray(body.detail)).toBe(true)
  })

  it('refuses a cross-site browser POST to a control route with 403, and lets non-browser clients through', async () => {
    const cross = await get('/api/swap', {
      method: 'POST',
      headers: { origin: 'http://elsewhere.example' },
      body: '{}',
    })
    expect(cross.status).toBe(403)
    expect(typeof (await cross.json()).detail).toBe('string')
    const plain = await get('/api/swap', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(plain.status).not.toBe(403)
  })

  it('exempts data routes from the CSRF guard', async () => {
    for (const path of [
      '/v1/chat/completions',
      '/api/health-event',
      '/scrub',
      '/api/search',
      '/api/audio/diarize-chunk',
    ]) {
      const res = await get(path, {
        method: 'POST',
        headers: { origin: 'http://elsewhere.example' },
        body: '{}',
      })
      expect(res.status, path).not.toBe(403)
    }
  })

  it('requires no credentials on data routes', async () => {
    const res = await get('/v1/models')
    expect(res.status).not.toBe(401)
    expect(res.status).not.toBe(403)
  })
})
