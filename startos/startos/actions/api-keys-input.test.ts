import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { apiKeyConfig } from '../../../shared/auth/config.ts'
import { hashKey } from '../../../shared/auth/keys.ts'
import { readKeyFile } from '../../../shared/auth/store.ts'
import { loadConfig } from '../../../shared/config.ts'
import { readSettingsFile } from '../../../shared/settings/file.ts'
import { type ApiKeysInput, manageApiKeys } from './api-keys-input.ts'
import { readKeyGroups } from './key-groups.ts'
import { ActionRefusal } from './result.ts'
import { ACTION_SAMPLES } from './samples.ts'
import { tempDataDirs } from './test-dirs.ts'

const dataDir = tempDataDirs('api-keys-action-')
const samples = ACTION_SAMPLES.manageApiKeys
const [listSample, addSample, revokeSample, requireSample, requireNone] = samples.valid as ApiKeysInput[]

describe('Manage API keys', () => {
  it('adds a key shown once (masked, copyable) and stored as its digest, lists it, revokes it', async () => {
    const dir = await dataDir()
    expect((await manageApiKeys(dir, listSample!)).shown.message).toBe(
      'No API key is set. No route needs a key: keys are off.',
    )
    const added = await manageApiKeys(dir, addSample!)
    expect(added.wrote).toBe(`${dir}/api-keys.json`)
    const shown = added.shown.result
    expect(shown).toMatchObject({ type: 'single', copyable: true, masked: true })
    const key = shown?.type === 'single' ? shown.value : ''
    expect(key).toMatch(/^sc_[\w-]{43}$/)
    const records = await readKeyFile(added.wrote!)
    expect(records).toMatchObject([{ name: 'transcript-app', scopes: ['chat', 'audio'], hash: hashKey(key) }])
    const listed = await manageApiKeys(dir, listSample!)
    expect(listed.wrote).toBe(null)
    expect(listed.shown.result?.type === 'group' && listed.shown.result.value[0]).toMatchObject({
      name: 'transcript-app',
      value: expect.stringMatching(/^scopes chat, audio; created \d{4}-/),
    })
    expect(JSON.stringify(listed.shown)).not.toContain(key)
    await manageApiKeys(dir, revokeSample!)
    expect(await readKeyFile(added.wrote!)).toEqual([])
  })

  it('refuses a bad name, no scope and an unknown key with sentences', async () => {
    const dir = await dataDir()
    const messages: string[] = []
    for (const sample of samples.refused) {
      const err = await manageApiKeys(dir, sample as ApiKeysInput).catch((e: Error) => e)
      expect(err).toBeInstanceOf(ActionRefusal)
      messages.push((err as Error).message)
    }
    expect(messages).toEqual([
      expect.stringMatching(
        /^Bad name "two words": 1-64 letters, digits, .*starting with a letter or digit\.$/,
      ),
      'Choose at least one scope for the key.',
      expect.stringMatching(/^No key named never-added in .*api-keys\.json\.$/),
      'Not saved: unknown group everything; expected chat, audio, search, redaction, admin or all.',
    ])
    await manageApiKeys(dir, addSample!)
    const again = await manageApiKeys(dir, addSample!).catch((e: Error) => e)
    expect((again as Error).message).toBe('A key named transcript-app exists; revoke it first.')
  })

  it('keeps which route groups need a key in the settings file, for the gateway to read at start', async () => {
    const dir = await dataDir()
    await writeFile(join(dir, 'app_settings.json'), JSON.stringify({ VLLM_PORT: '8000' }))
    const required = await manageApiKeys(dir, requireSample!)
    expect(required).toMatchObject({ wrote: join(dir, 'app_settings.json'), restart: true })
    expect(required.shown.message).toBe(
      'Requests to these route groups need a key: admin, chat. No key exists yet: add one, or apps calling these routes are refused.',
    )
    expect(JSON.parse(await readFile(join(dir, 'app_settings.json'), 'utf8'))).toEqual({
      VLLM_PORT: '8000',
      API_KEY_GROUPS: 'admin,chat',
    })
    expect(await readKeyGroups(dir)).toEqual(['admin', 'chat'])
    // The gateway's own settings overlay reads the same value at start.
    const { values } = await readSettingsFile(join(dir, 'app_settings.json'))
    expect(loadConfig(apiKeyConfig(), values).API_KEY_GROUPS).toEqual(['admin', 'chat'])
    const again = await manageApiKeys(dir, requireSample!)
    expect(again).toMatchObject({ wrote: null, restart: false })
    expect((await manageApiKeys(dir, listSample!)).shown.message).toBe(
      'No API key is set. Requests to these route groups need a key: admin, chat.',
    )
    await manageApiKeys(dir, requireNone!)
    expect(JSON.parse(await readFile(join(dir, 'app_settings.json'), 'utf8'))).toEqual({ VLLM_PORT: '8000' })
    expect((await manageApiKeys(dir, listSample!)).shown.message).toBe(
      'No API key is set. No route needs a key: keys are off.',
    )
  })
})
