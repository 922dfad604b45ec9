/**
 * Earlier-version contract, model management (`GET/POST /api/models`, `GET /api/models/suggest`,
 * delete and download whose exact paths were not recorded; our choices are in docs/COMPATIBILITY.md). Safe against a real deployment: the only card added is a local
 * path one, whose delete never touches a disk, and no download is started.
 */
import { describe, expect, it } from 'vitest'
import type { MenuModel, Suggestion } from '../../shared/contracts/swap-controller.ts'
import { compatTarget } from './target.ts'

const target = compatTarget('models')
/** What these checks read from the answers; anything else is only matched against expectations. */
interface Answer {
  detail?: unknown
  recipes?: unknown
  models?: MenuModel[]
  suggestions?: Suggestion[]
  downloads?: unknown
}

async function send(method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { 'x-spark-actor': 'compat-suite' } }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
  }
  const res = await fetch(target.url(path), init)
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    body: (await res.json()) as Answer,
  }
}

describe('GET /api/models (v0.27 menu)', () => {
  it('every entry carries exactly one of repo / local_path; on-disk models without a recipe are needs_setup', async () => {
    const { status, body } = await send('GET', '/api/models')
    expect(status).toBe(200)
    expect(Array.isArray(body.recipes)).toBe(true)
    expect(Array.isArray(body.models)).toBe(true)
    for (const m of body.models ?? []) {
      expect([m.repo, m.local_path].filter((v) => v !== null)).toHaveLength(1)
      expect(typeof m.needs_setup).toBe('boolean')
      expect(m.needs_setup).toBe(m.recipe === null)
      if (m.needs_setup && m.on_disk)
        expect(m.settings).toMatchObject({ max_model_len: expect.anything(), notes: expect.any(Array) })
    }
    if (!process.env.COMPAT_BASE_URL)
      expect((body.models ?? []).some((m) => m.needs_setup && m.on_disk)).toBe(true)
  })
})

describe('POST /api/models and delete', () => {
  it('validates the whole entry before persisting: 422 {"detail": [...]} for invalid ones', async () => {
    for (const entry of [
      {},
      { repo: 'a/b', local_path: '/x/y' },
      { repo: 'not-a-repo' },
      { repo: 'org/x;reboot' },
      { local_path: 'rel/path' },
      { local_path: '/a/../b' },
    ]) {
      const res = await send('POST', '/api/models', entry)
      expect(res.status, JSON.stringify(entry)).toBe(422)
      expect(res.type).toContain('application/json')
      expect(Array.isArray(res.body.detail)).toBe(true)
    }
  })

  it('accepts an earlier full ModelDef (vLLM args/knobs ignored and listed), still refusing bad known fields', async () => {
    const key = `compat-def-${process.pid}`
    await send('DELETE', `/api/models/${key}`)
    const modelDef = {
      key,
      local_path: `/srv/models/${key}`,
      name: 'Compat ModelDef',
      vllm_args: ['--trust-remote-code'],
      gpu_memory_utilization: 0.9,
    }
    const added = await send('POST', '/api/models', modelDef)
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({
      key,
      ignored_fields: ['vllm_args', 'gpu_memory_utilization'],
      ignored_note: expect.any(String),
    })
    expect((await send('DELETE', `/api/models/${key}`)).status).toBe(200)
    const hostile = await send('POST', '/api/models', { local_path: '/a/../b', vllm_args: ['--x'] })
    expect(hostile.status).toBe(422)
    expect(Array.isArray(hostile.body.detail)).toBe(true)
  })

  it('adds a local-path card, refuses it twice (409), lists it, and deletes the card without touching disks', async () => {
    const key = `compat-local-${process.pid}`
    await send('DELETE', `/api/models/${key}`)
    const added = await send('POST', '/api/models', {
      key,
      local_path: `/srv/models/${key}`,
      name: 'Compat local model',
    })
    expect(added.status).toBe(201)
    expect(added.body).toMatchObject({ key, repo: null, local_path: `/srv/models/${key}` })
    const again = await send('POST', '/api/models', { key, local_path: `/srv/models/${key}` })
    expect(again.status).toBe(409)
    expect(typeof again.body.detail).toBe('string')
    const listed = (await send('GET', '/api/models')).body.models?.find((m) => m.key === key)
    expect(listed).toMatchObject({ needs_setup: true, repo: null, local_path: `/srv/models/${key}` })
    const removed = await send('DELETE', `/api/models/${key}`)
    expect(removed.status).toBe(200)
    expect(removed.body).toMatchObject({ card_removed: true, weights_removed: false, nodes: [] })
    expect((await send('DELETE', `/api/models/${key}`)).status).toBe(404)
  })
})

describe('GET /api/models/suggest and downloads', () => {
  it('answers suggestions filtered by q', async () => {
    const res = await send('GET', '/api/models/suggest?q=qwen')
    expect(res.status).toBe(200)
    expect(res.body.suggestions?.length).toBeGreaterThan(0)
    for (const s of res.body.suggestions ?? []) expect(s.repo.toLowerCase()).toContain('qwen')
  })

  it('refuses an invalid repo before any download and answers 404 {"detail"} for an unknown id', async () => {
    const bad = await send('POST', '/api/models/download', { repo: 'org/$(id)' })
    expect(bad.status).toBe(422)
    expect(Array.isArray(bad.body.detail)).toBe(true)
    const unknown = await send('GET', '/api/models/downloads/dl_000000000000')
    expect(unknown.status).toBe(404)
    expect(typeof unknown.body.detail).toBe('string')
    expect((await send('GET', '/api/models/downloads')).body.downloads).toEqual(expect.any(Array))
  })
})
