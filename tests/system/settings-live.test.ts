/**
 * The settings file end to end on the demo: a change saved through the gateway's `PUT
 * /api/settings` reaches the services that follow it live — the speech-proxy's lane limit, the
 * gateway's hidden services — with no restart; a knob the environment sets cannot be overridden.
 */
import { describe, expect, it } from 'vitest'
import type { SettingsBody } from '../../shared/contracts/settings.ts'
import { useDemo } from '../support/demo.ts'

// Set in the environment of every service: the file must never win over it.
const fixture = useDemo({ name: 'settings-live', env: { ALERT_DEBOUNCE_S: '45' } })
const getJson = async <T = Record<string, unknown>>(path: string) =>
  (await fetch(fixture.url(path))).json() as T

const put = (values: Record<string, unknown>) =>
  fetch(fixture.url('/api/settings'), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ values }),
  })

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
})
