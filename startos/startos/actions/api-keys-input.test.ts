import { describe, expect, it } from 'vitest'
import { hashKey } from '../../../shared/auth/keys.ts'
import { readKeyFile } from '../../../shared/auth/store.ts'
import { type ApiKeysInput, manageApiKeys } from './api-keys-input.ts'
import { ActionRefusal } from './result.ts'
import { ACTION_SAMPLES } from './samples.ts'
import { tempDataDirs } from './test-dirs.ts'

const dataDir = tempDataDirs('api-keys-action-')
const samples = ACTION_SAMPLES.manageApiKeys
const [listSample, addSample, revokeSample] = samples.valid as ApiKeysInput[]

describe('Manage API keys', () => {
  it('adds a key shown once (masked, copyable) and stored as its digest, lists it, revokes it', async () => {
    const dir = await dataDir()
    expect((await manageApiKeys(dir, listSample!)).shown.message).toBe('No API key is set.')
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
    ])
    await manageApiKeys(dir, addSample!)
    const again = await manageApiKeys(dir, addSample!).catch((e: Error) => e)
    expect((again as Error).message).toBe('A key named transcript-app exists; revoke it first.')
  })
})
