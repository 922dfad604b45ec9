import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { BACKEND_SERVICES, SERVICES } from '../../shared/topology.ts'
import { DAEMONS } from './daemons'
import { daemonEnv, sparkNodesValue } from './env'

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

  it('gives every daemon the data folder, its port and every service URL', () => {
    for (const d of DAEMONS) {
      const env = daemonEnv(d.id, nodes)
      expect(env.DATA_DIR).toBe('/data')
      expect(env.PORT).toBe(String(SERVICES[d.id].port))
      for (const s of Object.values(SERVICES)) expect(env[s.urlEnv]).toBe(`http://127.0.0.1:${s.port}`)
    }
  })

  it('listens on every address for the gateway only', () => {
    expect(daemonEnv('gateway', nodes).HOST).toBe('0.0.0.0')
    for (const id of BACKEND_SERVICES) expect(daemonEnv(id, nodes).HOST).toBe('127.0.0.1')
  })

  it('passes the configured Sparks as SPARK_NODES JSON, blank when there are none', () => {
    expect(JSON.parse(daemonEnv('swap-controller', nodes).SPARK_NODES ?? '')).toEqual(nodes)
    expect(sparkNodesValue([])).toBe('')
  })
})
