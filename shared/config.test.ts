import { describe, expect, it } from 'vitest'
import { baseConfig, ConfigError, env, loadConfig } from './config.ts'

const shape = {
  ...baseConfig(9000),
  VLLM_PORT: env.port(8888),
  DISABLED_SERVICES: env.list(),
  FLAG: env.bool(false),
}

describe('loadConfig', () => {
  it('falls back to defaults for blank values, as the earlier version did', () => {
    const cfg = loadConfig(shape, { VLLM_PORT: '', PORT: '  ', DISABLED_SERVICES: '', FLAG: '' })
    expect(cfg.VLLM_PORT).toBe(8888)
    expect(cfg.PORT).toBe(9000)
    expect(cfg.DISABLED_SERVICES).toEqual([])
    expect(cfg.FLAG).toBe(false)
  })

  it('parses set values', () => {
    const cfg = loadConfig(shape, { VLLM_PORT: '8000', DISABLED_SERVICES: 'kokoro, qdrant', FLAG: 'yes' })
    expect(cfg).toMatchObject({ VLLM_PORT: 8000, DISABLED_SERVICES: ['kokoro', 'qdrant'], FLAG: true })
  })

  it('names every bad key at once', () => {
    try {
      loadConfig(shape, { VLLM_PORT: 'eighty', PORT: '70000', FLAG: 'maybe' })
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError)
      const problems = (err as ConfigError).problems.join('\n')
      expect(problems).toContain('VLLM_PORT')
      expect(problems).toContain('PORT')
      expect(problems).toContain('FLAG')
      expect(problems).toContain('"eighty"')
    }
  })
})
