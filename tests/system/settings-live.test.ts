/**
 * The settings file end to end on the demo: a change saved through the gateway's `PUT
 * /api/settings` reaches the services that follow it live — the speech-proxy's lane limit, the
 * gateway's hidden services, the swap-controller's webhook receiver — with no restart; a knob the
 * environment sets cannot be overridden.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import type { SettingsBody } from '../../shared/contracts/settings.ts'
import { verifySignature } from '../../shared/webhook.ts'
import { eventually, useDemo } from '../support/demo.ts'

const fixture = useDemo({
  name: 'settings-live',
  // ALERT_DEBOUNCE_S is set in the environment of every service: the file must never win over it.
  // A short stop grace keeps the swap below quick.
  env: { ALERT_DEBOUNCE_S: '45', SWAP_STOP_GRACE_S: '1', SWAP_VERIFY_TIMEOUT_S: '5' },
})
const getJson = async <T = Record<string, unknown>>(path: string) =>
  (await fetch(fixture.url(path))).json() as T

const put = (values: Record<string, unknown>) =>
  fetch(fixture.url('/api/settings'), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ values }),
  })

const received: Array<{ body: string; headers: IncomingHttpHeaders }> = []
const receiver = createServer((req, res) => {
  let body = ''
  req.on('data', (c: Buffer) => (body += c.toString()))
  req.on('end', () => {
    received.push({ body, headers: req.headers })
    res.writeHead(204).end()
  })
})
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())))

const asrLimit = async () => {
  const status = await getJson<{ lanes: Array<{ lane: string; limit: number }> }>('/api/speech/status')
  return status.lanes.find((l) => l.lane === 'asr')?.limit
}

describe('settings saved through the gateway apply without a restart', () => {
  it('a speech lane limit is in force in the speech-proxy moments after the save', async () => {
    expect(await asrLimit()).toBe(1)
    const res = await put({ SPEECH_LANE_ASR: 3 })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ changed: ['SPEECH_LANE_ASR'], applied_now: ['SPEECH_LANE_ASR'] })
    await expect.poll(asrLimit, { timeout: 15_000 }).toBe(3)
    // Removing it brings the default back, also live.
    expect((await put({ SPEECH_LANE_ASR: null })).status).toBe(200)
    await expect.poll(asrLimit, { timeout: 15_000 }).toBe(1)
  })

  it('hidden services: discovery reports the service disabled, and enabled again once removed', async () => {
    const kokoro = async () =>
      (await getJson<Record<string, { disabled: boolean; status: string }>>('/api/endpoints')).kokoro
    expect(await kokoro()).toMatchObject({ disabled: false })
    expect((await put({ DISABLED_SERVICES: 'kokoro' })).status).toBe(200)
    await expect.poll(kokoro, { timeout: 15_000 }).toMatchObject({ disabled: true, status: 'disabled' })
    expect((await put({ DISABLED_SERVICES: null })).status).toBe(200)
    await expect.poll(kokoro, { timeout: 15_000 }).toMatchObject({ disabled: false })
  })

  it('a knob set in the environment is read-only: shown as such, and a save of it is refused', async () => {
    const body = await getJson<SettingsBody>('/api/settings')
    expect(body.settings.find((s) => s.name === 'ALERT_DEBOUNCE_S')).toMatchObject({
      value: '45',
      source: 'env',
      editable: false,
    })
    const res = await put({ ALERT_DEBOUNCE_S: 5 })
    expect(res.status).toBe(409)
    const after = await getJson<SettingsBody>('/api/settings')
    expect(after.settings.find((s) => s.name === 'ALERT_DEBOUNCE_S')).toMatchObject({
      value: '45',
      source: 'env',
    })
  })

  it('the swap webhook: an address and secret saved on the page receive the next swap event, signed', async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    const saved = await put({ SWAP_WEBHOOK_URL: url, SWAP_WEBHOOK_SECRET: 'page-secret' })
    expect(saved.status).toBe(200)
    expect(await saved.json()).toMatchObject({ applied_now: ['SWAP_WEBHOOK_URL', 'SWAP_WEBHOOK_SECRET'] })
    // The controller follows the file within moments (its watcher); the event is queued when the swap
    // ends, seconds after it starts, so the swap below is announced to the new address.
    const settled = await getJson<SettingsBody>('/api/settings')
    expect(settled.settings.find((s) => s.name === 'SWAP_WEBHOOK_SECRET')?.value).toBe('set')
    const job = await eventually(
      async () => {
        const res = await fetch(fixture.url('/api/swap'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ recipe: 'gpt-oss-120b' }),
        })
        return (await res.json()) as { job_id?: string }
      },
      (j) => typeof j.job_id === 'string',
      15_000,
    )
    const event = await eventually(
      async () => received.find((r) => JSON.parse(r.body).swap_id === job.job_id),
      (r) => r !== undefined,
      30_000,
    )
    expect(verifySignature(event!.body, 'page-secret', event!.headers['x-spark-signature'] as string)).toBe(
      true,
    )
  })
})
