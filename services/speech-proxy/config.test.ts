import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../shared/config.ts'
import { DEFAULT_PORT, laneDeadlinesMs, laneSettings, loadSpeechConfig } from './config.ts'

const problemsOf = (source: Record<string, string>) => {
  try {
    loadSpeechConfig(source)
  } catch (err) {
    if (err instanceof ConfigError) return err.problems
    throw err
  }
  throw new Error('expected a ConfigError')
}

describe('speech-proxy config', () => {
  it('uses defaults for an empty or blank environment, with upstreams not configured', () => {
    for (const source of [
      {},
      {
        PORT: '',
        PARAKEET_URL: ' ',
        SPARK2_HOST: '',
        AUDIO_BODY_LIMIT_BYTES: '',
        DISABLED_SERVICES: '',
      },
    ]) {
      const config = loadSpeechConfig(source)
      expect(config.PORT).toBe(DEFAULT_PORT)
      expect(DEFAULT_PORT).toBe(9102)
      expect(config.PARAKEET_URL).toBeNull()
      expect(config.KOKORO_URL).toBeNull()
      expect(config.AUDIO_BODY_LIMIT_BYTES).toBe(200 * 1024 * 1024)
      expect(config.DISABLED_SERVICES.size).toBe(0)
    }
  })

  it('points both upstreams at Spark 2 on their usual ports when only SPARK2_HOST is set', () => {
    const config = loadSpeechConfig({ SPARK2_HOST: '192.0.2.20' })
    expect(config.PARAKEET_URL).toBe('http://192.0.2.20:8000')
    expect(config.KOKORO_URL).toBe('http://192.0.2.20:8880')
  })

  it('prefers the URL, then the earlier host (+ port) variables, over SPARK2_HOST', () => {
    const config = loadSpeechConfig({
      SPARK2_HOST: 'spark-2.local',
      PARAKEET_HOST: 'asr.local',
      PARAKEET_PORT: '8001',
      KOKORO_URL: 'http://tts.local:9880/',
    })
    expect(config.PARAKEET_URL).toBe('http://asr.local:8001')
    expect(config.KOKORO_URL).toBe('http://tts.local:9880')
    expect(loadSpeechConfig({ KOKORO_HOST: 'fd00::5' }).KOKORO_URL).toBe('http://[fd00::5]:8880')
  })

  it('reads DISABLED_SERVICES as a case-insensitive comma list', () => {
    const config = loadSpeechConfig({ DISABLED_SERVICES: ' Kokoro , parakeet,,' })
    expect([...config.DISABLED_SERVICES].sort()).toEqual(['kokoro', 'parakeet'])
  })

  it('names every bad key at once', () => {
    const problems = problemsOf({
      PARAKEET_URL: 'ftp://x',
      KOKORO_PORT: '99999',
      SPARK2_HOST: 'spark 2; rm -rf',
      AUDIO_BODY_LIMIT_BYTES: 'lots',
      UPSTREAM_HEALTH_TIMEOUT_MS: '5',
    })
    const keys = problems.map((p) => p.split(':')[0])
    expect(keys.sort()).toEqual([
      'AUDIO_BODY_LIMIT_BYTES',
      'KOKORO_PORT',
      'PARAKEET_URL',
      'SPARK2_HOST',
      'UPSTREAM_HEALTH_TIMEOUT_MS',
    ])
    expect(problems.find((p) => p.startsWith('SPARK2_HOST'))).toContain('host name or IP')
    // A URL belongs in PARAKEET_URL; in the host key it would silently drop the port.
    expect(problemsOf({ PARAKEET_HOST: 'http://asr.local:8000' })[0]).toMatch(/^PARAKEET_HOST: /)
  })

  it('sets admission lanes from the environment, with the earlier version’s deadlines by default', () => {
    const defaults = loadSpeechConfig({})
    expect(laneSettings(defaults)).toEqual({
      limits: { asr: 1, diarize: 1, tts: 2 },
      maxQueue: { asr: 128, diarize: 128, tts: 128 },
      perClientMax: 32,
    })
    expect(laneDeadlinesMs(defaults)).toEqual({ asr: 300_000, diarize: 600_000, tts: 300_000 })
    const set = loadSpeechConfig({
      SPEECH_LANE_ASR: '3',
      SPEECH_LANE_DIARIZE: '2',
      SPEECH_LANE_TTS: '4',
      SPEECH_QUEUE_MAX: '10',
      SPEECH_CLIENT_MAX: '5',
      SPEECH_DEADLINE_S: '60',
      SPEECH_DIARIZE_DEADLINE_S: '90',
    })
    expect(laneSettings(set)).toEqual({
      limits: { asr: 3, diarize: 2, tts: 4 },
      maxQueue: { asr: 10, diarize: 10, tts: 10 },
      perClientMax: 5,
    })
    expect(laneDeadlinesMs(set)).toEqual({ asr: 60_000, diarize: 90_000, tts: 60_000 })
    expect(
      problemsOf({ SPEECH_LANE_ASR: '0', SPEECH_CLIENT_MAX: 'many' })
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['SPEECH_CLIENT_MAX', 'SPEECH_LANE_ASR'])
  })
})
