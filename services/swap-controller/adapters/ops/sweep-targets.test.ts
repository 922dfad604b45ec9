import { describe, expect, it } from 'vitest'
import { loadSwapControllerConfig } from '../../config.ts'
import { sweepTargetUrl } from './sweep-targets.ts'

describe('sweepTargetUrl', () => {
  it('takes PARAKEET_URL, KOKORO_URL and EMBED_URL, else spark-2 on the usual port', () => {
    const config = loadSwapControllerConfig({
      SPARK2_HOST: '192.0.2.20',
      PARAKEET_URL: 'http://asr.example:9000/',
    })
    expect(sweepTargetUrl(config, 'asr')).toBe('http://asr.example:9000')
    expect(sweepTargetUrl(config, 'tts')).toBe('http://192.0.2.20:8880')
    expect(sweepTargetUrl(config, 'embeddings')).toBe('http://192.0.2.20:8088')
  })

  it('has none for a service hidden by DISABLED_SERVICES or with nowhere to go', () => {
    expect(
      sweepTargetUrl(
        loadSwapControllerConfig({ SPARK2_HOST: '192.0.2.20', DISABLED_SERVICES: 'Kokoro' }),
        'tts',
      ),
    ).toBeNull()
    expect(sweepTargetUrl(loadSwapControllerConfig({}), 'asr')).toBeNull()
  })
})
