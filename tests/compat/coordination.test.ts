/**
 * Earlier-version contract, coordination routes (docs/COMPATIBILITY.md, with our choices for the
 * unknown details — token presentation, schedule fields, history).
 * Each request is what a batch script or the dashboard sends, through the gateway.
 */
import { describe, expect, it } from 'vitest'
import { compatTarget } from './target.ts'

const target = compatTarget('coordination')
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$/
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

/** Leaves the lock free for the next test, whoever holds it (a person's force-release). */
const forceRelease = () =>
  send('DELETE', '/api/swap/lock?force=true', undefined, { 'x-spark-actor': 'compat-suite' })

describe('swap lock (earlier v0.25)', () => {
  it('replays the documented flow: acquire, read, conflict, extend, refused and real release', async () => {
    await forceRelease()
    const acquired = await send('POST', '/api/swap/lock', {
      holder: 'compat-batch',
      ttl_seconds: 600,
      note: 'nightly reindex',
    })
    expect(acquired.status).toBe(200)
    expect(acquired.type).toContain('application/json')
    const lock = acquired.body
    expect(lock).toMatchObject({ held: true, holder: 'compat-batch', note: 'nightly reindex' })
    expect(lock.acquired_at).toMatch(ISO_UTC)
    expect(lock.expires_at).toMatch(ISO_UTC)
    const span = (Date.parse(lock.expires_at as string) - Date.parse(lock.acquired_at as string)) / 1000
    expect(span).toBe(600)
    expect(lock.seconds_remaining).toBeGreaterThan(595)
    expect(lock.seconds_remaining).toBeLessThanOrEqual(600)
    expect(typeof lock.token).toBe('string')
    const token = lock.token as string

    const state = await send('GET', '/api/swap/lock')
    expect(state.status).toBe(200)
    expect(state.body).toMatchObject({
      held: true,
      holder: 'compat-batch',
      acquired_at: lock.acquired_at,
      expires_at: lock.expires_at,
    })
    expect(state.body).not.toHaveProperty('token')
    expect(JSON.stringify(state.body)).not.toContain(token)

    const other = await send('POST', '/api/swap/lock', { holder: 'someone-else' })
    expect(other.status).toBe(409)
    expect(typeof other.body.detail).toBe('string')
    expect(other.body.lock).toMatchObject({ held: true, holder: 'compat-batch' })
    expect(JSON.stringify(other.body)).not.toContain(token)

    const extended = await send('POST', '/api/swap/lock', {
      holder: 'compat-batch',
      ttl_seconds: 1200,
      token,
    })
    expect(extended.status).toBe(200)
    expect(extended.body.acquired_at).toBe(lock.acquired_at)
    expect(extended.body.seconds_remaining).toBeGreaterThan(1195)

    const refused = await send('DELETE', '/api/swap/lock')
    expect(refused.status).toBe(403)
    expect(typeof refused.body.detail).toBe('string')
    expect((await send('GET', '/api/swap/lock')).body.held).toBe(true)

    const released = await send('DELETE', '/api/swap/lock', undefined, { 'X-Swap-Lock-Token': token })
    expect(released).toMatchObject({ status: 200, body: { held: false } })
    expect((await send('GET', '/api/swap/lock')).body).toEqual({ held: false })
  })

  it('clamps ttl_seconds to [1, 86400] and defaults it to 900 s', async () => {
    for (const [ttl, expected] of [
      [0, 1],
      [1e9, 86_400],
      [undefined, 900],
    ] as const) {
      await forceRelease()
      const { status, body } = await send('POST', '/api/swap/lock', {
        holder: 'compat-ttl',
        ttl_seconds: ttl,
      })
      expect(status).toBe(200)
      const span = (Date.parse(body.expires_at as string) - Date.parse(body.acquired_at as string)) / 1000
      expect(span, `ttl_seconds=${ttl}`).toBe(expected)
    }
    await forceRelease()
  })

  it('takes the token from a JSON body or ?token= as well as the header', async () => {
    await forceRelease()
    const first = (await send('POST', '/api/swap/lock', { holder: 'compat-body' })).body.token as string
    expect(await send('DELETE', '/api/swap/lock', { token: first })).toMatchObject({
      status: 200,
      body: { held: false },
    })
    const second = (await send('POST', '/api/swap/lock', { holder: 'compat-query' })).body.token as string
    const viaQuery = await send('DELETE', `/api/swap/lock?token=${encodeURIComponent(second)}`)
    expect(viaQuery).toMatchObject({ status: 200, body: { held: false } })
  })

  it('lets a person force-release, recorded in the history with their name', async () => {
    await send('POST', '/api/swap/lock', { holder: 'compat-stuck' })
    expect(await forceRelease()).toMatchObject({ status: 200, body: { held: false } })
    const history = await send('GET', '/api/swap/history?limit=5')
    expect(history.status).toBe(200)
    const entries = history.body.entries as Json[]
    expect(entries[0]).toMatchObject({
      action: 'lock.force_release',
      actor: 'compat-suite',
      target: 'compat-stuck',
      outcome: 'ok',
    })
    expect(entries[0]!.at).toMatch(ISO_UTC)
  })

  it('answers FastAPI-style 422 {"detail": [...]} for a bad body, malformed JSON included', async () => {
    const res = await send('POST', '/api/swap/lock', { ttl_seconds: 10 })
    expect(res.status).toBe(422)
    expect(Array.isArray(res.body.detail)).toBe(true)
    const malformed = await fetch(target.url('/api/swap/lock'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"holder":',
    })
    expect(malformed.status).toBe(422)
    expect(await malformed.json()).toEqual({
      detail: [{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }],
    })
  })

  it('takes JSON sent without Content-Type, and a JSON header with no body, as FastAPI did', async () => {
    await forceRelease()
    // requests.post(url, data=json.dumps({...})): bytes, no Content-Type.
    const bytes = (text: string) => new TextEncoder().encode(text)
    const taken = await fetch(target.url('/api/swap/lock'), {
      method: 'POST',
      body: bytes('{"holder": "compat-bare"}'),
    })
    expect(taken.status).toBe(200)
    const { token } = (await taken.json()) as { token: string }
    // A client that sends the JSON header on every request, the token in the header.
    const released = await fetch(target.url('/api/swap/lock'), {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', 'x-swap-lock-token': token },
    })
    expect(released.status).toBe(200)
    expect(await released.json()).toEqual({ held: false })
  })
})

describe('schedule registry (informational)', () => {
  it('adds, lists and deletes an entry', async () => {
    const added = await send('POST', '/api/schedule', {
      holder: 'compat-crm',
      recipe: 'demo-recipe',
      cron: '0 22 * * 1-5',
      note: 'x',
    })
    expect(added.status).toBe(200)
    const id = added.body.id as string
    expect(added.body).toMatchObject({
      holder: 'compat-crm',
      recipe: 'demo-recipe',
      cron: '0 22 * * 1-5',
      at: null,
    })
    const oneOff = await send('POST', '/api/schedule', {
      holder: 'compat-demo',
      model: 'm',
      at: '2030-01-01T09:00:00+02:00',
    })
    expect(oneOff.body.at).toBe('2030-01-01T07:00:00.000000+00:00')

    const listed = await send('GET', '/api/schedule')
    expect(listed.status).toBe(200)
    const ids = (listed.body.entries as Json[]).map((e) => e.id)
    expect(ids).toEqual(expect.arrayContaining([id, oneOff.body.id]))

    expect(await send('DELETE', `/api/schedule?id=${encodeURIComponent(id)}`)).toMatchObject({
      status: 200,
      body: { deleted: true },
    })
    expect(
      await send('DELETE', `/api/schedule/${encodeURIComponent(oneOff.body.id as string)}`),
    ).toMatchObject({ status: 200 })
    const after = (await send('GET', '/api/schedule')).body.entries as Json[]
    expect(after.map((e) => e.id)).not.toContain(id)
    const gone = await send('DELETE', `/api/schedule?id=${encodeURIComponent(id)}`)
    expect(gone.status).toBe(404)
    expect(typeof gone.body.detail).toBe('string')
  })
})
