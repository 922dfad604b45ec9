import { describe, expect, it } from 'vitest'
import { ConfigError, env, loadConfig } from '../config.ts'
import { loadWithSettings, sourceOf } from './merge.ts'
import { KNOBS } from './registry.ts'

const shape = {
  PORT: env.port(9102),
  SPEECH_LANE_ASR: KNOBS.SPEECH_LANE_ASR.schema,
  SPEECH_LANE_TTS: KNOBS.SPEECH_LANE_TTS.schema,
  VLLM_PORT: KNOBS.VLLM_PORT.schema,
}
const load = (source: Record<string, string | undefined>) => loadConfig(shape, source)

describe('precedence: environment, then the settings file, then the default', () => {
  it('takes each key from the first place that sets it', () => {
    const warnings: string[] = []
    const config = loadWithSettings(
      load,
      { SPEECH_LANE_ASR: '3', VLLM_PORT: '' },
      { SPEECH_LANE_ASR: '5', VLLM_PORT: '8000' },
      (w) => warnings.push(w),
    )
    // Environment wins; a blank environment value is unset, so the file fills it; the rest default.
    expect(config).toEqual({ PORT: 9102, SPEECH_LANE_ASR: 3, VLLM_PORT: 8000, SPEECH_LANE_TTS: 2 })
    expect(warnings).toEqual([])
    expect(sourceOf('SPEECH_LANE_ASR', { SPEECH_LANE_ASR: '3' }, { SPEECH_LANE_ASR: '5' })).toBe('env')
    expect(sourceOf('VLLM_PORT', { VLLM_PORT: ' ' }, { VLLM_PORT: '8000' })).toBe('file')
    expect(sourceOf('SPEECH_LANE_TTS', {}, {})).toBe('default')
  })

  it('never takes a per-process key (port, bind address, data folder) from the shared file', () => {
    expect(loadWithSettings(load, {}, { PORT: '1' }, () => undefined).PORT).toBe(9102)
  })

  it('leaves out a file value the schema refuses, with a warning naming the key, and keeps the rest', () => {
    const warnings: string[] = []
    const config = loadWithSettings(load, {}, { SPEECH_LANE_ASR: 'many', SPEECH_LANE_TTS: '4' }, (w) =>
      warnings.push(w),
    )
    expect(config.SPEECH_LANE_ASR).toBe(1)
    expect(config.SPEECH_LANE_TTS).toBe(4)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^settings file: SPEECH_LANE_ASR ignored/)
  })

  it('still stops on a bad environment value', () => {
    expect(() => loadWithSettings(load, { SPEECH_LANE_ASR: 'many' }, {}, () => undefined)).toThrow(
      ConfigError,
    )
  })
})
