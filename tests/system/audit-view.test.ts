/**
 * One audit view on the demo: mutations made in four services through the gateway — a swap lock
 * taken and released, a search collection created and deleted, a redaction map deleted, a settings
 * save — all appear in `GET /api/audit` with the service, who asked and the outcome, and none of
 * the values used (the lock token, the setting's secret, the scrubbed e-mail, the map handle).
 */
import { describe, expect, it } from 'vitest'
import type { MergedAudit } from '../../shared/contracts/audit.ts'
import { useDemo } from '../support/demo.ts'

const fixture = useDemo({ name: 'audit-view' })
const ACTOR = 'audit-view-test'
const SECRET = 'audit-view-secret-0f3c9'
const EMAIL = 'dana.audit@example.com'

const call = (method: string, path: string, body?: unknown) =>
  fetch(fixture.url(path), {
    method,
    headers: { 'content-type': 'application/json', 'x-spark-actor': ACTOR },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

describe('the merged audit view', () => {
  it('shows mutations of the swap-controller, vector-search, redaction-gateway and gateway, without values', async () => {
    const lock = await call('POST', '/api/swap/lock', { holder: 'audit-view', ttl_seconds: 60 })
    expect(lock.status).toBe(200)
    const { token } = (await lock.json()) as { token: string }
    expect(
      (
        await fetch(fixture.url('/api/swap/lock'), {
          method: 'DELETE',
          headers: { 'x-swap-lock-token': token, 'x-spark-actor': ACTOR },
        })
      ).status,
    ).toBe(200)

    expect((await call('POST', '/api/search/collections', { name: 'audit_view' })).status).toBe(201)
    expect((await call('DELETE', '/api/search/collections/audit_view?confirm=audit_view')).status).toBe(200)

    const scrub = await call('POST', '/scrub', {
      task_id: 'audit-view',
      ner: 'rules_only',
      items: [{ id: '1', text: `Write to ${EMAIL}` }],
    })
    expect(scrub.status).toBe(200)
    const handle = ((await scrub.json()) as { map_handle: string }).map_handle
    expect((await call('DELETE', `/api/redaction/maps/${handle}`)).status).toBe(200)

    expect((await call('PUT', '/api/settings', { values: { SWAP_WEBHOOK_SECRET: SECRET } })).status).toBe(200)
    expect((await call('PUT', '/api/settings', { values: { SWAP_WEBHOOK_SECRET: null } })).status).toBe(200)

    const read = async () => (await (await fetch(fixture.url('/api/audit?limit=500'))).json()) as MergedAudit
    const line = (e: MergedAudit['entries'][number]) => `${e.service} ${e.action} ${e.actor} ${e.outcome}`
    await expect
      .poll(async () => (await read()).entries.map(line), { timeout: 10_000 })
      .toEqual(
        expect.arrayContaining([
          `swap-controller lock.acquire ${ACTOR} ok`,
          `swap-controller lock.release ${ACTOR} ok`,
          `vector-search collection.create ${ACTOR} ok`,
          `vector-search collection.delete ${ACTOR} ok`,
          `redaction-gateway map.delete ${ACTOR} ok`,
          'gateway settings.update api ok',
        ]),
      )
    const view = await read()
    expect(view.unavailable).toEqual([])
    const settings = view.entries.filter((e) => e.action === 'settings.update')
    expect(settings.every((e) => e.target === 'SWAP_WEBHOOK_SECRET')).toBe(true)
    // Newest first across services.
    const times = view.entries.map((e) => e.at)
    expect([...times].sort().reverse()).toEqual(times)

    const text = JSON.stringify(view)
    for (const value of [SECRET, EMAIL, handle, token]) expect(text).not.toContain(value)

    // Filters go through to every service: only the vector-search's collection changes.
    const only = (await (
      await fetch(fixture.url(`/api/audit?service=vector-search&action=collection&actor=${ACTOR}`))
    ).json()) as MergedAudit
    expect(only.entries.map((e) => e.action)).toEqual(['collection.delete', 'collection.create'])
  }, 60_000)
})
