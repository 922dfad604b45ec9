import { afterEach, describe, expect, it } from 'vitest'
import { type DocumentsApp, documentsApp, send } from '../testing/documents-app.ts'

const URL = '/api/search/collections/notes/documents'
const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `d${i}`, text: `Note number ${i}.` }))

let t: DocumentsApp
afterEach(() => t?.close())

/** An embedder that holds every call until `release()`. */
function holdEmbedder(app: DocumentsApp) {
  let release!: () => void
  app.embed.state.gate = new Promise<void>((resolve) => {
    release = resolve
  })
  return () => {
    app.embed.state.gate = null
    release()
  }
}

async function job(location: string, tenant?: string) {
  const res = await send(t, 'GET', location, undefined, tenant)
  return { status: res.status, body: res.status === 200 ? await res.json() : null }
}

describe('ingest jobs', () => {
  it('answers 202 with Location for ?async=true, and the job reports progress to done', async () => {
    t = await documentsApp({}, [{}])
    const res = await send(t, 'POST', `${URL}?async=true`, { documents: docs(3) })
    expect(res.status).toBe(202)
    const location = res.headers.get('location')!
    const accepted = await res.json()
    expect(location).toBe(`/api/search/jobs/${accepted.id}`)
    expect(accepted).toMatchObject({ collection: 'notes', documents_total: 3, chunks_total: 3 })
    await expect.poll(async () => (await job(location)).body?.state).toBe('done')
    const done = (await job(location)).body
    expect(done).toMatchObject({ documents_done: 3, chunks_done: 3, finished_at: expect.any(String) })
    expect(done.documents.map((d: { status: string }) => d.status)).toEqual(['created', 'created', 'created'])
    expect(t.memory.points('notes')).toHaveLength(3)
  })

  it('makes an ingest over INGEST_ASYNC_CHUNKS a job without being asked', async () => {
    t = await documentsApp({ INGEST_ASYNC_CHUNKS: '2' }, [{}])
    expect((await send(t, 'POST', URL, { documents: docs(2) })).status).toBe(200)
    expect((await send(t, 'POST', URL, { documents: docs(3) })).status).toBe(202)
  })

  it('streams progress events, then done, with Accept: text/event-stream', async () => {
    t = await documentsApp({ INGEST_ASYNC_CHUNKS: '1' }, [{}])
    const release = holdEmbedder(t)
    const res = await send(t, 'POST', `${URL}?async=1`, { documents: docs(3) })
    const location = res.headers.get('location')!
    const stream = await t.app.request(location, { headers: { accept: 'text/event-stream' } })
    expect(stream.headers.get('content-type')).toContain('text/event-stream')
    release()
    const text = await stream.text()
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n/g)].map((m) => [m[1], JSON.parse(m[2]!)])
    expect(events.at(-1)![0]).toBe('done')
    const progress = events.filter(([e]) => e === 'progress').map(([, j]) => j.documents_done)
    expect(progress.at(-1)).toBe(3)
    // Waves of one chunk: every document's completion is its own change.
    expect(new Set(progress).size).toBeGreaterThanOrEqual(2)
  })

  it('ends the event stream with an error event when the job fails; the job says why', async () => {
    t = await documentsApp({}, [{}])
    t.embed.state.down = true
    const res = await send(t, 'POST', `${URL}?async=true`, { documents: docs(1) })
    const location = res.headers.get('location')!
    await expect.poll(async () => (await job(location)).body?.state).toBe('failed')
    expect((await job(location)).body.error).toMatchObject({ status: 503, code: 'upstream_unavailable' })
    const text = await (await t.app.request(location, { headers: { accept: 'text/event-stream' } })).text()
    expect(text).toContain('event: error\ndata: {"error":{"message"')
    expect(t.memory.points('notes')).toHaveLength(0)
  })

  it('refuses a job beyond INGEST_JOBS_MAX with 503 + Retry-After', async () => {
    t = await documentsApp({ INGEST_JOBS_MAX: '1' }, [{}])
    const release = holdEmbedder(t)
    const first = await send(t, 'POST', `${URL}?async=true`, { documents: docs(1) })
    expect(first.status).toBe(202)
    const second = await send(t, 'POST', `${URL}?async=true`, { documents: docs(1) })
    expect(second.status).toBe(503)
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0)
    release()
    await expect.poll(async () => (await job(first.headers.get('location')!)).body?.state).toBe('done')
    expect((await send(t, 'POST', `${URL}?async=true`, { documents: docs(1) })).status).toBe(202)
  })

  it("hides a tenant's job from other tenants, and answers 404 for an unknown job", async () => {
    t = await documentsApp({}, [{ tenantField: 'tenant' }])
    const res = await send(t, 'POST', `${URL}?async=true`, { documents: docs(1) }, 'a')
    const location = res.headers.get('location')!
    expect((await job(location, 'a')).status).toBe(200)
    expect((await job(location, 'b')).status).toBe(404)
    expect((await job(location)).status).toBe(404)
    expect((await job('/api/search/jobs/ing_0000000000000000')).status).toBe(404)
  })
})
