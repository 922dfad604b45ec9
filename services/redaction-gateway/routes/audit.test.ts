import { afterEach, describe, expect, it } from 'vitest'
import { openAuditStore } from '../../../shared/audit/store.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { mapTarget } from './audit.ts'
import { type RedactionHarness, redactionHarness } from './scrub-testing.ts'

let harness: RedactionHarness | undefined
afterEach(async () => harness?.close())

describe('redaction map deletion, audited', () => {
  it('deletes a map, records map.delete under a hash of the handle (never the handle or a value)', async () => {
    const audit = await openAuditStore(':memory:', { logger: silentLogger() })
    harness = await redactionHarness({ audit })
    const email = 'jane.roe@example.com'
    const scrubbed = await harness.post('/scrub', {
      task_id: 't1',
      ner: 'rules_only',
      items: [{ id: '1', text: `Mail ${email}` }],
    })
    const handle = scrubbed.body.map_handle as string
    const del = (h: string) =>
      harness!.app.request(`/api/redaction/maps/${encodeURIComponent(h)}`, {
        method: 'DELETE',
        headers: { 'x-spark-actor': 'ops-key' },
      })
    expect((await del(handle)).status).toBe(200)
    expect((await harness.post('/rehydrate', { map_handle: handle, text: '[EMAIL_1]' })).status).toBe(404)
    expect((await del(handle)).status).toBe(404)

    const read = await harness.app.request('/api/redaction-gateway/audit?action=map')
    const { entries } = await read.json()
    expect(entries).toEqual([
      expect.objectContaining({
        actor: 'ops-key',
        action: 'map.delete',
        target: mapTarget(handle),
        outcome: 'refused',
      }),
      expect.objectContaining({
        actor: 'ops-key',
        action: 'map.delete',
        target: mapTarget(handle),
        outcome: 'ok',
      }),
    ])
    const text = JSON.stringify(entries)
    expect(text).not.toContain(handle)
    expect(text).not.toContain(email)
    audit.close()
  })
})
