/**
 * The earlier settings file (v0.27): `<DATA_DIR>/app_settings.json`, keys are environment variable
 * names, values strings, numbers or booleans, read at start (environment first, then the file, then
 * defaults). An owner's existing file keeps working: its values apply, and a save through the
 * Settings page keeps the keys this version does not know.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { SettingsBody } from '../../shared/contracts/settings.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { compatTarget } from './target.ts'

const NAME = 'settings-file'
// The demo fixture's data directory for this file (tests/support/demo.ts).
const dataDir = `${REPO_ROOT}.data/test-compat-${NAME}-${process.pid}`
const settingsFile = join(dataDir, 'app_settings.json')
const earlierFile = {
  DISABLED_SERVICES: 'kokoro',
  SPEECH_LANE_ASR: 2,
  OPS_AUTO_RESTART: false,
  // A key of the earlier version this one does not read: kept as it is.
  MAGPIE_CONTAINER: 'magpie-tts',
}

describe.runIf(!process.env.COMPAT_BASE_URL)('the earlier app_settings.json', () => {
  // Registered before the demo's own beforeAll, so the file is there when the services start.
  beforeAll(() => {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(settingsFile, `${JSON.stringify(earlierFile, null, 2)}\n`)
  })
  const target = compatTarget(NAME)

  it("applies the file's values at start: a service hidden there is disabled in discovery", async () => {
    const body = await (await fetch(target.url('/api/endpoints'))).json()
    expect(body.kokoro).toMatchObject({ disabled: true, ready: false })
    expect(body.parakeet).toMatchObject({ disabled: false })
  })

  it('shows each value with its source, a number from the file as text', async () => {
    const body = (await (await fetch(target.url('/api/settings'))).json()) as SettingsBody
    const byName = new Map(body.settings.map((s) => [s.name, s]))
    expect(byName.get('DISABLED_SERVICES')).toMatchObject({ source: 'file', value: 'kokoro' })
    expect(byName.get('SPEECH_LANE_ASR')).toMatchObject({ source: 'file', value: '2' })
    expect(byName.get('SPEECH_LANE_TTS')).toMatchObject({ source: 'default' })
    expect(body.problem).toBeNull()
  })

  it('keeps the keys it does not know when a setting is saved', async () => {
    const res = await fetch(target.url('/api/settings'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ values: { DISABLED_SERVICES: null } }),
    })
    expect(res.status).toBe(200)
    const answer = await res.json()
    expect(answer.changed).toEqual(['DISABLED_SERVICES'])
    // The speech-proxy read the list at start (it no longer probes kokoro): the answer says so.
    const restart = answer.restart_needed.find((r: { service: string }) => r.service === 'speech-proxy')
    expect(restart?.settings).toContain('DISABLED_SERVICES')
    const saved = JSON.parse(readFileSync(settingsFile, 'utf8'))
    expect(saved).toMatchObject({ MAGPIE_CONTAINER: 'magpie-tts', SPEECH_LANE_ASR: 2 })
    expect(saved).not.toHaveProperty('DISABLED_SERVICES')
  })
})
