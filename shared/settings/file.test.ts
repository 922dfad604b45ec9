import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readSettingsFile, SETTINGS_FILE, settingsFilePath, writeSettingsFile } from './file.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settings-file-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the settings file', () => {
  it('lives in the data folder under the earlier name', () => {
    expect(settingsFilePath({ DATA_DIR: '/data' })).toBe(`/data/${SETTINGS_FILE}`)
    expect(settingsFilePath({})).toBe(join('./.data', 'app_settings.json'))
  })

  it('reads values as environment text, numbers and yes/no included; a missing file is empty', async () => {
    const path = join(dir, SETTINGS_FILE)
    expect(await readSettingsFile(path)).toEqual({ values: {}, raw: {}, problem: null })
    await writeFile(path, JSON.stringify({ VLLM_PORT: 8000, SIMULATED_CLUSTER: true, X: 'a', N: null }))
    const read = await readSettingsFile(path)
    expect(read.values).toEqual({ VLLM_PORT: '8000', SIMULATED_CLUSTER: 'true', X: 'a' })
    expect(read.problem).toBeNull()
  })

  it('a bad file is a warning naming it and counts as empty, never a throw', async () => {
    const path = join(dir, SETTINGS_FILE)
    await writeFile(path, '{"VLLM_PORT": 80')
    const broken = await readSettingsFile(path)
    expect(broken).toMatchObject({ values: {}, raw: null })
    expect(broken.problem).toBe(`${path} is not valid JSON; ignored`)
    await writeFile(path, '["VLLM_PORT"]')
    expect((await readSettingsFile(path)).problem).toMatch(/not a JSON object/)
    await writeFile(path, JSON.stringify({ A: { nested: 1 }, B: 'kept' }))
    const partly = await readSettingsFile(path)
    expect(partly.values).toEqual({ B: 'kept' })
    expect(partly.problem).toMatch(/A ignored/)
  })

  it('writes whole through a temporary file, owner-only, leaving no temporary file behind', async () => {
    const path = join(dir, 'sub', SETTINGS_FILE)
    await writeSettingsFile(path, { SPEECH_LANE_ASR: '2', UNKNOWN: { kept: true } })
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      SPEECH_LANE_ASR: '2',
      UNKNOWN: { kept: true },
    })
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect(await readdir(join(dir, 'sub'))).toEqual([SETTINGS_FILE])
  })
})
