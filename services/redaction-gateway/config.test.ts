import { join } from 'node:path'
import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ConfigError } from '../../shared/config.ts'
import { DEFAULT_PORT, loadRedactionConfig } from './config.ts'

describe('redaction-gateway config', () => {
  it('puts the map database under DATA_DIR when REDACTION_MAP_DB is blank', () => {
    expect(loadRedactionConfig({}).REDACTION_MAP_DB).toBe(join('./.data', 'redaction_maps.db'))
    const config = loadRedactionConfig({
      DATA_DIR: '/data',
      REDACTION_MAP_DB: '  ',
      REDACTION_KEY: '',
      PORT: '',
    })
    expect(config.REDACTION_MAP_DB).toBe('/data/redaction_maps.db')
    expect(config.REDACTION_KEY).toBeUndefined()
    expect(config.PORT).toBe(DEFAULT_PORT)
    expect(DEFAULT_PORT).toBe(9104)
  })

  it('takes an explicit REDACTION_MAP_DB and DISABLED_SERVICES as given', () => {
    const config = loadRedactionConfig({ REDACTION_MAP_DB: '/srv/maps/r.db', DISABLED_SERVICES: 'VLLM' })
    expect(config.REDACTION_MAP_DB).toBe('/srv/maps/r.db')
    expect(config.DISABLED_SERVICES.has('vllm')).toBe(true)
  })

  it('keeps REDACTION_KEY out of every printed form of the configuration', () => {
    const config = loadRedactionConfig({ REDACTION_KEY: 'k3y-material' })
    expect(config.REDACTION_KEY?.reveal()).toBe('k3y-material')
    expect(JSON.stringify(config)).not.toContain('k3y-material')
    expect(inspect(config, { depth: 5 })).not.toContain('k3y-material')
  })

  it('names every bad key at once', () => {
    let problems: string[] = []
    try {
      loadRedactionConfig({ REDACTION_MAP_DB: '/data/maps/', PORT: 'http', SIMULATED_CLUSTER: 'maybe' })
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
