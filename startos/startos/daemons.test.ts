import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMonitorConfig } from '../../services/connectivity-monitor/config.ts'
import { loadGatewayConfig } from '../../services/gateway/config.ts'
import { loadRedactionConfig } from '../../services/redaction-gateway/config.ts'
import { loadSpeechConfig } from '../../services/speech-proxy/config.ts'
import { loadSwapControllerConfig } from '../../services/swap-controller/config.ts'
import { loadVectorConfig } from '../../services/vector-search/config.ts'
import type { ServiceName } from '../../shared/topology.ts'
import { BACKEND_SERVICES, SERVICES } from '../../shared/topology.ts'
import { DAEMONS } from './daemons'
import { daemonEnv, newRedactionMapKey, sparkNodesValue } from './env'

/** Each service's own config loader: what it runs at start, exit 78 on a problem. */
const LOADERS: Record<ServiceName, (env: Record<string, string>) => unknown> = {
  gateway: loadGatewayConfig,
  'swap-controller': loadSwapControllerConfig,
  'speech-proxy': loadSpeechConfig,
  'vector-search': loadVectorConfig,
  'redaction-gateway': loadRedactionConfig,
  'connectivity-monitor': loadMonitorConfig,
}

const servicesOnDisk = readdirSync(join(import.meta.dirname, '../../services'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)

describe('the daemon table main.ts starts', () => {
  it('has one daemon per service folder, ids equal to the folder names', () => {
    expect(DAEMONS.map((d) => d.id).sort()).toEqual([...servicesOnDisk].sort())
  })

  it("runs each service's built entry point with its node flags", () => {
    for (const d of DAEMONS)
      expect(d.command).toEqual(['node', ...SERVICES[d.id].nodeFlags, `dist/services/${d.id}/main.js`])
  })

  it("checks each daemon's own /ready on its port", () => {
    for (const d of DAEMONS) expect(d.readyUrl).toBe(`http://127.0.0.1:${SERVICES[d.id].port}/ready`)
  })

  it('starts the gateway last, once every backend is ready; the backends need nothing', () => {
    const gateway = DAEMONS.at(-1)
    expect(gateway?.id).toBe('gateway')
    expect([...(gateway?.requires ?? [])].sort()).toEqual([...BACKEND_SERVICES].sort())
    for (const d of DAEMONS.slice(0, -1)) expect(d.requires).toEqual([])
  })
})

describe('daemon environment', () => {
  const nodes = [
    { name: 'spark-1', host: 'spark-1.example', user: 'owner', ssh_port: 22, role: 'head' as const },
    { name: 'spark-2', host: 'spark-2.example', user: 'owner', ssh_port: 2222, role: 'worker' as const },
  ]
  const state = { nodes, redactionMapKey: newRedactionMapKey() }

  it("is accepted by every service's own config, with the Sparks configured or not", () => {
    for (const d of DAEMONS) {
      expect(() => LOADERS[d.id](daemonEnv(d.id, state)), d.id).not.toThrow()
      expect(() => LOADERS[d.id](daemonEnv(d.id, { ...state, nodes: [] })), d.id).not.toThrow()
    }
  })

  it('gives the redaction maps key to the redaction-gateway only, and a new key each install', () => {
    for (const d of DAEMONS)
      expect(daemonEnv(d.id, state).REDACTION_MAP_KEY).toBe(
        d.id === 'redaction-gateway' ? state.redactionMapKey : undefined,
      )
    expect(Buffer.from(state.redactionMapKey, 'base64')).toHaveLength(32)
    expect(newRedactionMapKey()).not.toBe(state.redactionMapKey)
    // Without a key the service refuses to start: the package must never start it that way.
    expect(() =>
      loadRedactionConfig(daemonEnv('redaction-gateway', { ...state, redactionMapKey: '' })),
    ).toThrow()
  })

  it('gives every daemon the data folder, its port and every service URL', () => {
    for (const d of DAEMONS) {
      const env = daemonEnv(d.id, state)
      expect(env.DATA_DIR).toBe('/data')
      expect(env.PORT).toBe(String(SERVICES[d.id].port))
      for (const s of Object.values(SERVICES)) expect(env[s.urlEnv]).toBe(`http://127.0.0.1:${s.port}`)
    }
  })

  it('listens on every address for the gateway only', () => {
    expect(daemonEnv('gateway', state).HOST).toBe('0.0.0.0')
    for (const id of BACKEND_SERVICES) expect(daemonEnv(id, state).HOST).toBe('127.0.0.1')
  })

  it('passes the configured Sparks as SPARK_NODES JSON, blank when there are none', () => {
    expect(JSON.parse(daemonEnv('swap-controller', state).SPARK_NODES ?? '')).toEqual(nodes)
    expect(sparkNodesValue([])).toBe('')
  })
})
