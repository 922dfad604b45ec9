import { join } from 'node:path'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../shared/config.ts'
import { DEFAULT_MAP_TTL_S, DEFAULT_PORT, decodeMapKey, loadRedactionConfig } from './config.ts'

const DEV = { REDACTION_INSECURE_DEV_KEY: '1' }
const KEY_HEX = 'ab'.repeat(32)

describe('redaction-gateway config', () => {
  it('puts the map database under DATA_DIR when REDACTION_MAP_DB is blank', () => {
    expect(loadRedactionConfig(DEV).REDACTION_MAP_DB).toBe(join('./.data', 'redaction_maps.db'))
    const config = loadRedactionConfig({
      ...DEV,
      DATA_DIR: '/data',
      REDACTION_MAP_DB: '  ',
      REDACTION_MAP_KEY: '',
      PORT: '',
    })
    expect(config.REDACTION_MAP_DB).toBe('/data/redaction_maps.db')
    expect(config.REDACTION_MAP_KEY).toBeUndefined()
    expect(config.REDACTION_MAP_TTL_S).toBe(DEFAULT_MAP_TTL_S)
    expect(config.PORT).toBe(DEFAULT_PORT)
    expect(DEFAULT_PORT).toBe(9104)
  })

  it('takes an explicit REDACTION_MAP_DB and DISABLED_SERVICES as given', () => {
    const config = loadRedactionConfig({
      ...DEV,
      REDACTION_MAP_DB: '/srv/maps/r.db',
      DISABLED_SERVICES: 'VLLM',
    })
    expect(config.REDACTION_MAP_DB).toBe('/srv/maps/r.db')
    expect(config.DISABLED_SERVICES.has('vllm')).toBe(true)
  })

  it('keeps REDACTION_MAP_KEY out of every printed form of the configuration', () => {
    const config = loadRedactionConfig({ REDACTION_MAP_KEY: KEY_HEX })
    expect(config.REDACTION_MAP_KEY?.reveal()).toBe(KEY_HEX)
    expect(JSON.stringify(config)).not.toContain(KEY_HEX)
    expect(inspect(config, { depth: 5 })).not.toContain(KEY_HEX)
  })

  it('refuses to start without REDACTION_MAP_KEY unless the insecure dev flag is set', () => {
    expect(() => loadRedactionConfig({})).toThrow(/REDACTION_MAP_KEY: required/)
    expect(() => loadRedactionConfig({ REDACTION_INSECURE_DEV_KEY: '0' })).toThrow(ConfigError)
    expect(loadRedactionConfig(DEV).REDACTION_INSECURE_DEV_KEY).toBe(true)
  })

  it('takes a 32-byte key as hex or base64 and names a key of any other size', () => {
    const bytes = Buffer.alloc(32, 7)
    for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')])
      expect(decodeMapKey(text)).toEqual(bytes)
    for (const bad of [
      'k3y-material',
      'ab'.repeat(31),
      Buffer.alloc(31).toString('base64'),
      Buffer.alloc(33).toString('base64'),
    ]) {
      expect(decodeMapKey(bad)).toBeUndefined()
      expect(() => loadRedactionConfig({ REDACTION_MAP_KEY: bad })).toThrow(/REDACTION_MAP_KEY/)
    }
  })

  it('names every bad key at once', () => {
    let problems: string[] = []
    try {
      loadRedactionConfig({
        ...DEV,
        REDACTION_MAP_DB: '/data/maps/',
        PORT: 'http',
        SIMULATED_CLUSTER: 'maybe',
      })
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err
      problems = err.problems
    }
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'PORT',
      'REDACTION_MAP_DB',
      'SIMULATED_CLUSTER',
    ])
  })
})
