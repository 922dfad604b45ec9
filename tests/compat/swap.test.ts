/**
 * Earlier-version contract, swap and model routes (docs/COMPATIBILITY.md, with the shapes chosen for
 * its gaps — request/response bodies and the stream's events).
 * Replays what the dashboard and scripts did: menu → validate → swap → job → live log until ready.
 */
import { describe, expect, it } from 'vitest'
import { compatTarget } from './target.ts'

const target = compatTarget('swap')
type Json = Record<string, unknown>

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...headers } }
  if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
  }
  const res = await fetch(target.url(path), init)
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as Json }
}

/** The whole stream (it ends by itself after `done`), as `{event, data}` blocks. */
async function readStream(path: string, timeoutMs = 60_000) {
  const res = await fetch(target.url(path), { signal: AbortSignal.timeout(timeoutMs) })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
  const events: { event: string; data: string }[] = []
  for (const block of (await res.text()).split('\n\n')) {
    const lines = block.split('\n')
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6))
    if (data.length === 0) continue
    const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message'
    events.push({ event, data: data.join('\n') })
  }
  return events
}

interface MenuEntry {
  key: string
  served_model_name: string
  loaded: boolean
  cluster_only: boolean
  needs_setup: boolean
}

/** A menu entry that is not loaded and runs solo: the shortest swap the demo can do. */
async function otherModel(): Promise<MenuEntry> {
  const { body } = await send('GET', '/api/models')
  const pick = (body.models as MenuEntry[]).find((m) => !m.loaded && !m.cluster_only && !m.needs_setup)
  expect(pick, 'a second solo recipe in the menu').toBeDefined()
  return pick!
}

describe('model menu (GET /api/models)', () => {
  it('lists the menu, every recipe file and the loaded model', async () => {
    const res = await send('GET', '/api/models')
    expect(res.status).toBe(200)
    expect(res.type).toContain('application/json')
    const {
      models,
      recipes,
      loaded_model: loaded,
    } = res.body as { models: Json[]; recipes: Json[]; loaded_model: unknown }
    expect(models.length).toBeGreaterThan(1)
    // Recipe-backed entries; on-disk models without a recipe (needs_setup) are checked in models.test.ts.
    for (const m of models.filter((x) => x.recipe !== null)) {
      expect(m).toMatchObject({
        key: expect.any(String),
        served_model_name: expect.any(String),
        needs_setup: false,
      })
      // Exactly one of repo / local_path, as the earlier ModelDef.
      expect([m.repo, m.local_path].filter((v) => v !== null)).toHaveLength(1)
      expect(typeof m.memory_need_bytes).toBe('number')
    }
    expect(recipes.every((r) => typeof r.valid === 'boolean' && Array.isArray(r.reasons))).toBe(true)
    expect(models.filter((m) => m.loaded).map((m) => m.served_model_name)).toEqual([loaded])
  })
})

describe('pre-flight (POST /api/swap/{key}/validate)', () => {
  it('answers the verdict with fit and commands, touching nothing', async () => {
    const before = (await send('GET', '/api/models')).body.loaded_model
    const model = await otherModel()
    const res = await send('POST', `/api/swap/${encodeURIComponent(model.key)}/validate`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      key: model.key,
      valid: true,
      reasons: [],
      model: model.served_model_name,
    })
    expect(Array.isArray(res.body.warnings)).toBe(true)
    expect(res.body.fit).toMatchObject({ fits: true, allowed: true })
    const commands = res.body.commands as Record<'launch' | 'teardown', { node: string; command: string }[]>
    expect(commands.launch[0]!.command).toContain('run-recipe.sh')
    expect(commands.teardown.length).toBeGreaterThan(0)
    expect((await send('GET', '/api/models')).body.loaded_model).toBe(before)
  })

  it('404 {"detail"} for an unknown key, 422 {"detail": [...]} for an invalid one', async () => {
    const unknown = await send('POST', '/api/swap/no-such-recipe/validate')
    expect(unknown.status).toBe(404)
    expect(typeof unknown.body.detail).toBe('string')
    const invalid = await send('POST', `/api/swap/${encodeURIComponent('$(id)')}/validate`)
    expect(invalid.status).toBe(422)
    expect(Array.isArray(invalid.body.detail)).toBe(true)
  })
})

describe('swap flow (POST /api/swap → job → stream)', () => {
  it('refuses a swap without the lock holder token (423), then swaps with it and streams the load', async () => {
    await send('DELETE', '/api/swap/lock?force=true', undefined, { 'x-spark-actor': 'compat-suite' })
    const model = await otherModel()
    const lock = (await send('POST', '/api/swap/lock', { holder: 'compat-swap', ttl_seconds: 300 })).body
    try {
      const refused = await send('POST', '/api/swap', { recipe: model.key })
      expect(refused.status).toBe(423)
      expect(typeof refused.body.detail).toBe('string')
      expect(refused.body.lock).toMatchObject({ held: true, holder: 'compat-swap' })

      const started = await send(
        'POST',
        '/api/swap',
        { recipe: model.key },
        { 'X-Swap-Lock-Token': lock.token as string },
      )
      expect(started.status).toBe(202)
      const id = started.body.job_id as string
      expect(id).toMatch(/^swp_[0-9a-f]{16}$/)
      expect(started.body).toMatchObject({
        recipe: model.key,
        model: model.served_model_name,
        outcome: 'running',
      })

      const job = await send('GET', `/api/swap/${id}`)
      expect(job.status).toBe(200)
      for (const field of [
        'job_id',
        'status',
        'outcome',
        'recipe',
        'mode',
        'model',
        'from_model',
        'started_at',
        'finished_at',
        'transitions',
        'error',
      ])
        expect(job.body, field).toHaveProperty(field)

      const events = await readStream(`/api/swap/${id}/stream`)
      const lines = events.filter((e) => e.event === 'message').map((e) => e.data)
      expect(lines.length).toBeGreaterThan(0)
      expect(lines.some((l) => l.includes('Application startup complete.'))).toBe(true)
      const done = events.at(-1)!
      expect(done.event).toBe('done')
      expect(JSON.parse(done.data)).toMatchObject({ job_id: id, status: 'ready', outcome: 'ready' })
      // The startup line comes before the end, as the earlier UI saw it.
      expect(events.findIndex((e) => e.data.includes('Application startup complete.'))).toBeLessThan(
        events.length - 1,
      )

      const after = await send('GET', `/api/swap/${id}`)
      expect(after.body).toMatchObject({ status: 'ready', outcome: 'ready', error: null })
      expect(after.body.finished_at).not.toBeNull()
      // A finished job's stream replays its lines and ends with the same `done`.
      const replay = await readStream(`/api/swap/${id}/stream`)
      expect(replay.at(-1)).toMatchObject({ event: 'done' })
    } finally {
      await send('DELETE', '/api/swap/lock', undefined, { 'X-Swap-Lock-Token': lock.token as string })
    }
  }, 90_000)

  it('answers {"detail"} errors: unknown job, unknown stream, unknown recipe, bad body', async () => {
    for (const path of ['/api/swap/swp_0000000000000000', '/api/swap/swp_0000000000000000/stream']) {
      const res = await send('GET', path)
      expect(res.status, path).toBe(404)
      expect(res.type).toContain('application/json')
      expect(typeof res.body.detail).toBe('string')
    }
    const unknown = await send('POST', '/api/swap', { recipe: 'no-such-recipe' })
    expect(unknown.status).toBe(404)
    expect(typeof unknown.body.detail).toBe('string')
    const bad = await send('POST', '/api/swap', { mode: 'solo' })
    expect(bad.status).toBe(422)
    expect(Array.isArray(bad.body.detail)).toBe(true)
  })
})
