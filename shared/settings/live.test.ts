import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../logger.ts'
import { deferred } from '../testing/deferred.ts'
import { SETTINGS_FILE, type SettingsRead, writeSettingsFile } from './file.ts'
import { followSettings } from './follow.ts'
import { createLiveSettings } from './live.ts'
import { watchSettingsFile } from './watch.ts'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'settings-live-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('createLiveSettings', () => {
  it('follows the file for live knobs, never over the environment, and tells listeners what changed', () => {
    const warnings: string[] = []
    const live = createLiveSettings({
      service: 'speech-proxy',
      env: { SPEECH_LANE_TTS: '5' },
      file: { SPEECH_LANE_ASR: '2' },
      warn: (w) => warnings.push(w),
    })
    expect(live.get('SPEECH_LANE_ASR')).toBe(2)
    const heard: string[][] = []
    live.onChange((names) => heard.push([...names]))
    expect(live.apply({ SPEECH_LANE_ASR: '4', SPEECH_LANE_TTS: '1' })).toEqual(['SPEECH_LANE_ASR'])
    expect(live.get('SPEECH_LANE_ASR')).toBe(4)
    expect(live.get('SPEECH_LANE_TTS')).toBe(5)
    // The same values again: nothing to tell.
    expect(live.apply({ SPEECH_LANE_ASR: '4' })).toEqual([])
    // A bad value is ignored with a warning: the default is in force.
    expect(live.apply({ SPEECH_LANE_ASR: 'x' })).toEqual(['SPEECH_LANE_ASR'])
    expect(live.get('SPEECH_LANE_ASR')).toBe(1)
    expect(warnings).toEqual([expect.stringMatching(/^settings file: SPEECH_LANE_ASR ignored/)])
    expect(heard).toEqual([['SPEECH_LANE_ASR'], ['SPEECH_LANE_ASR']])
    expect(() => live.get('VLLM_PORT')).toThrow(/not a live setting/)
  })
})

describe('watchSettingsFile', () => {
  it('reports a new file and each change of its text, and stops when closed', async () => {
    const path = join(dir, SETTINGS_FILE)
    let next = deferred<SettingsRead>()
    const watch = watchSettingsFile({ path, onChange: (read) => next.resolve(read), debounceMs: 10 })
    try {
      await writeSettingsFile(path, { SPEECH_LANE_ASR: '2' })
      expect((await next.promise).values).toEqual({ SPEECH_LANE_ASR: '2' })
      next = deferred<SettingsRead>()
      await writeSettingsFile(path, { SPEECH_LANE_ASR: '3' })
      expect((await next.promise).values).toEqual({ SPEECH_LANE_ASR: '3' })
    } finally {
      watch.close()
    }
  })

  it('falls back to the slow check of the modification time', async () => {
    const path = join(dir, 'missing-folder', SETTINGS_FILE)
    const seen = deferred<SettingsRead>()
    const problems: string[] = []
    // The folder does not exist, so it cannot be watched: only the poll can see the file appear.
    const watch = watchSettingsFile({
      path,
      onChange: (read) => seen.resolve(read),
      onProblem: (p) => problems.push(p),
      pollMs: 20,
      debounceMs: 5,
    })
    try {
      expect(problems[0]).toMatch(/cannot be watched/)
      await writeSettingsFile(path, { VLLM_PORT: '8000' })
      expect((await seen.promise).values).toEqual({ VLLM_PORT: '8000' })
    } finally {
      watch.close()
    }
  })
})

describe('followSettings', () => {
  it('applies a saved change to the live knobs, keeps them through a bad edit, and reloads on demand', async () => {
    const path = join(dir, SETTINGS_FILE)
    await writeFile(path, JSON.stringify({ SPEECH_LANE_ASR: '2' }))
    const settings = followSettings({
      service: 'speech-proxy',
      env: {},
      path,
      read: { values: { SPEECH_LANE_ASR: '2' }, raw: {}, problem: null },
      logger: silentLogger(),
    })
    try {
      const changed = deferred<readonly string[]>()
      settings.onChange((names) => changed.resolve(names))
      await writeSettingsFile(path, { SPEECH_LANE_ASR: '6' })
      expect(await changed.promise).toEqual(['SPEECH_LANE_ASR'])
      expect(settings.get('SPEECH_LANE_ASR')).toBe(6)
      await writeFile(path, '{ not json')
      await settings.reload()
      expect(settings.get('SPEECH_LANE_ASR')).toBe(6)
    } finally {
      settings.close()
    }
  })
})
