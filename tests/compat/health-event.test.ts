/**
 * Earlier-version contract, `POST /api/health-event` (docs/COMPATIBILITY.md#discovery-and-status):
 * the recap relay's fire-and-forget report on one service, through the gateway. The wire is the
 * earlier one; the answer `{"ok": true}` is our choice (the earlier body is unknown and the relay
 * ignores it), and errors keep FastAPI's `{"detail": ...}`.
 */
import { describe, expect, it } from 'vitest'
import { compatTarget } from './target.ts'

const target = compatTarget('health-event')

const report = (
  body: string | Blob,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) =>
  fetch(target.url('/api/health-event'), { method: 'POST', headers, body, signal: AbortSignal.timeout(3000) })

describe('POST /api/health-event (recap relay)', () => {
  it('takes the documented report and answers 200 within the relay’s 3 s', async () => {
    const ok = await report(JSON.stringify({ service: 'parakeet', ok: true, source: 'recap', ms: 812 }))
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ ok: true })
    const failed = await report(
      JSON.stringify({ service: 'vllm', ok: false, source: 'recap', error: 'x'.repeat(280), ms: 3000 }),
    )
    expect(failed.status).toBe(200)
  })

  it('takes the earlier names in any case, and a body sent without a content type', async () => {
    for (const service of ['VLLM', 'kokoro', 'embeddings', 'qdrant', 'spark1', 'spark2']) {
      // A Blob without a type, not a string: fetch would add `text/plain`; Python's `requests.post(data=…)` adds nothing.
      const res = await report(new Blob([JSON.stringify({ service, ok: true })]), {})
      expect(res.status, service).toBe(200)
    }
  })

  it('refuses a body without `ok` with 422 and FastAPI’s field list', async () => {
    const res = await report(JSON.stringify({ service: 'vllm' }))
    expect(res.status).toBe(422)
    const body = await res.json()
    expect(body.detail).toEqual([expect.objectContaining({ loc: ['body', 'ok'] })])
  })

  it('refuses a service it does not know with 400 and a {"detail"} naming the known ones', async () => {
    const res = await report(JSON.stringify({ service: 'not-a-service', ok: true }))
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.detail).toMatch(/^Unknown service "not-a-service"; known: .*\bparakeet\b.*\bvllm\b/)
  })

  it('refuses malformed JSON with 422 {"detail"}, never a 500', async () => {
    const res = await report('{"service": ')
    expect(res.status).toBe(422)
    expect(Array.isArray((await res.json()).detail)).toBe(true)
  })
})
