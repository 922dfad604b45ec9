import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../shared/config.ts'
import { DEFAULT_PORT, loadVectorConfig } from './config.ts'

describe('vector-search config', () => {
  it('uses defaults for blank values: nothing configured, Qdrant left to the embedded store', () => {
    for (const source of [
      {},
      { EMBED_URL: '', QDRANT_URL: ' ', QDRANT_API_KEY: '', SPARK2_HOST: '', PORT: '' },
    ]) {
      const config = loadVectorConfig(source)
      expect(config.PORT).toBe(DEFAULT_PORT)
      expect(DEFAULT_PORT).toBe(9103)
      expect(config.EMBED_URL).toBeNull()
      expect(config.QDRANT_URL).toBeNull()
      expect(config.QDRANT_API_KEY).toBeUndefined()
    }
  })

  it('defaults both upstreams to Spark 2 on their usual ports when SPARK2_HOST is set', () => {
    const config = loadVectorConfig({ SPARK2_HOST: 'spark-2.local' })
    expect(config.EMBED_URL).toBe('http://spark-2.local:8088')
    expect(config.QDRANT_URL).toBe('http://spark-2.local:6333')
  })

  it('prefers explicit URLs and reads DISABLED_SERVICES case-insensitively', () => {
    const config = loadVectorConfig({
      SPARK2_HOST: '192.0.2.20',
      EMBED_URL: 'http://embed.local:9000/',
      DISABLED_SERVICES: 'Qdrant',
    })
    expect(config.EMBED_URL).toBe('http://embed.local:9000')
    expect(config.QDRANT_URL).toBe('http://192.0.2.20:6333')
    expect(config.DISABLED_SERVICES.has('qdrant')).toBe(true)
  })

  it('keeps the Qdrant API key out of every printed form of the configuration', () => {
    const config = loadVectorConfig({ QDRANT_API_KEY: 'very-secret-key' })
    expect(config.QDRANT_API_KEY?.reveal()).toBe('very-secret-key')
    expect(JSON.stringify(config)).not.toContain('very-secret-key')
    expect(inspect(config, { depth: 5 })).not.toContain('very-secret-key')
    expect(String(config.QDRANT_API_KEY)).toBe('[redacted]')
  })

  it('uses the embedded store when VECTOR_STORE=embedded, even with a Spark 2 host', () => {
    const config = loadVectorConfig({ SPARK2_HOST: '127.0.0.1', VECTOR_STORE: 'embedded' })
    expect(config.QDRANT_URL).toBeNull()
    expect(config.EMBED_URL).toBe('http://127.0.0.1:8088')
    expect(loadVectorConfig({ SPARK2_HOST: '127.0.0.1' }).QDRANT_URL).toBe('http://127.0.0.1:6333')
  })

  it('refuses VECTOR_STORE=qdrant with no Qdrant to reach, rather than quietly using the embedded store', () => {
    expect(() => loadVectorConfig({ VECTOR_STORE: 'qdrant' })).toThrow(ConfigError)
    expect(() => loadVectorConfig({ VECTOR_STORE: 'qdrant' })).toThrow(
      /VECTOR_STORE: qdrant needs QDRANT_URL/,
    )
    expect(loadVectorConfig({ VECTOR_STORE: 'qdrant', SPARK2_HOST: '127.0.0.1' }).QDRANT_URL).toBe(
      'http://127.0.0.1:6333',
    )
  })

  it('names every bad key at once', () => {
    let problems: string[] = []
    try {
      loadVectorConfig({
        EMBED_URL: 'not a url',
        QDRANT_URL: 'grpc://q:6334',
        SPARK2_HOST: 'http://x/y',
        UPSTREAM_HEALTH_TIMEOUT_MS: 'soon',
      })
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems = err.problems
    }
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'EMBED_URL',
      'QDRANT_URL',
      'SPARK2_HOST',
      'UPSTREAM_HEALTH_TIMEOUT_MS',
    ])
  })
})
