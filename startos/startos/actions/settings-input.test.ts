import { readFile, stat, writeFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { ActionRefusal } from './result.ts'
import { ACTION_SAMPLES } from './samples.ts'
import {
  ALERT_KEYS,
  knobField,
  type SettingsInput,
  savedMessage,
  saveSettings,
  settingsPath,
  settingsPrefill,
  UPSTREAM_KEYS,
} from './settings-input.ts'
import { tempDataDirs } from './test-dirs.ts'

const dataDir = tempDataDirs('settings-action-')
const readJson = async (dir: string) => JSON.parse(await readFile(settingsPath(dir), 'utf8'))

describe('the settings actions', () => {
  it('write the valid upstream values to app_settings.json (0600), keep unknown keys, and prefill from it', async () => {
    const dir = await dataDir()
    await writeFile(
      settingsPath(dir),
      JSON.stringify({ SPEECH_LANE_ASR: '2', SOMETHING_ELSE: { kept: true } }),
    )
    const [full, blank] = ACTION_SAMPLES.configureUpstreams.valid as SettingsInput[]
    const saved = await saveSettings(dir, UPSTREAM_KEYS, full!)
    expect(saved.changed).toEqual(UPSTREAM_KEYS.filter((k) => k !== 'KOKORO_URL'))
    expect(saved.restartIn).toEqual(
      expect.arrayContaining(['swap-controller', 'speech-proxy', 'vector-search', 'connectivity-monitor']),
    )
    expect(await readJson(dir)).toEqual({
      SPEECH_LANE_ASR: '2',
      SOMETHING_ELSE: { kept: true },
      VLLM_PORT: '8000',
      VLLM_CONTAINER: 'vllm_node',
      PARAKEET_URL: 'http://spark-2.example:8000',
      EMBED_URL: 'http://spark-2.example:8088',
      QDRANT_URL: 'http://spark-2.example:6333',
      QDRANT_API_KEY: 'a-qdrant-key',
    })
    expect((await stat(settingsPath(dir))).mode & 0o777).toBe(0o600)
    expect(await settingsPrefill(dir, UPSTREAM_KEYS)).toEqual({ ...full, KOKORO_URL: null })
    // Blank removes each key again, so the defaults apply; the others stay.
    const cleared = await saveSettings(dir, UPSTREAM_KEYS, blank!)
    expect(cleared.changed).toHaveLength(6)
    expect(await readJson(dir)).toEqual({ SPEECH_LANE_ASR: '2', SOMETHING_ELSE: { kept: true } })
  })

  it('write nothing when nothing changed, and say so', async () => {
    const dir = await dataDir()
    const blank = ACTION_SAMPLES.configureAlerts.valid[1] as SettingsInput
    const saved = await saveSettings(dir, ALERT_KEYS, blank)
    expect(saved).toMatchObject({ changed: [], restartIn: [] })
    await expect(stat(settingsPath(dir))).rejects.toThrow(/ENOENT/)
    expect(savedMessage(saved, false)).toBe('Nothing changed.')
  })

  it('refuse values their knob refuses, naming the setting, and write nothing', async () => {
    const dir = await dataDir()
    const messages: string[] = []
    const refused = [
      ...ACTION_SAMPLES.configureUpstreams.refused.map((s) => [UPSTREAM_KEYS, s] as const),
      ...ACTION_SAMPLES.configureAlerts.refused.map((s) => [ALERT_KEYS, s] as const),
    ]
    for (const [keys, sample] of refused) {
      const err = await saveSettings(dir, keys, sample as SettingsInput).catch((e: Error) => e)
      expect(err).toBeInstanceOf(ActionRefusal)
      messages.push((err as Error).message)
    }
    expect(messages).toEqual([
      'Transcription server address: Invalid URL (write it as http://host:port or https://…).',
      expect.stringMatching(/^vLLM port: .+\. vLLM container name: must be a container name: .+\.$/),
      expect.stringMatching(/^Alert webhook address: .+\.$/),
      expect.stringMatching(/^Alert after \(seconds down\): .+\.$/),
    ])
    await expect(stat(settingsPath(dir))).rejects.toThrow(/ENOENT/)
  })

  it('refuse to overwrite a settings file that is not JSON', async () => {
    const dir = await dataDir()
    await writeFile(settingsPath(dir), '{ not json')
    const alerts = ACTION_SAMPLES.configureAlerts.valid[0] as SettingsInput
    await expect(saveSettings(dir, ALERT_KEYS, alerts)).rejects.toThrow(
      /^The settings file cannot be used \(.*is not valid JSON; ignored\)\. Fix it on the dashboard's Settings page or delete app_settings\.json/,
    )
    expect(await readFile(settingsPath(dir), 'utf8')).toBe('{ not json')
  })

  it('label fields from the knob registry, with the default that blank means', () => {
    expect(knobField('VLLM_PORT')).toMatchObject({ label: 'vLLM port', secret: false, shownDefault: '8888' })
    expect(knobField('ALERT_NTFY_TOKEN')).toMatchObject({ secret: true, shownDefault: null })
    expect(
      savedMessage({ file: 'f', changed: ['ALERT_DEBOUNCE_S'], restartIn: ['connectivity-monitor'] }, true),
    ).toBe(
      'Saved: Alert after (seconds down). Spark Control is restarting so that connectivity-monitor read the new values.',
    )
  })
})
