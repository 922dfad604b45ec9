/**
 * compose.yaml follows the packaging rules (docs/COMPOSE.md) and stays in step with the one topology
 * table (shared/topology.ts): one container per service folder from one image, the gateway the
 * only published port, health on a 2xx from /ready, the gateway waiting for healthy backends, a
 * restart policy that cannot loop, a named data volume, an internal network, and the demo's
 * simulated cluster only in the `sim` profile. Docker cannot run here; these rules are read from
 * the file (compose-schema.test.ts checks the file against Compose itself or its schema).
 */
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BACKEND_SERVICES, SERVICE_NAMES, SERVICES } from '../../shared/topology.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { loadCompose } from './files.ts'
import { healthOutcomes, TWO_XX_ONLY } from './healthcheck-run.ts'

const compose = loadCompose()
const core = Object.entries(compose.services).filter(([, s]) => !s.profiles?.length)
const service = (name: string) => compose.services[name]!
const serviceFolders = readdirSync(`${REPO_ROOT}services`, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)

/** Docker's duration syntax as compose.yaml uses it (`15s`, `1m30s`), in seconds. */
const seconds = (duration: string) =>
  [...duration.matchAll(/(\d+)(h|m|s)/g)].reduce(
    (sum, [, n, unit]) => sum + Number(n) * { h: 3600, m: 60, s: 1 }[unit as 'h' | 'm' | 's'],
    0,
  )

describe('compose.yaml: the services', () => {
  it('has one container per service folder, the services of the topology', () => {
    expect(core.map(([name]) => name).sort()).toEqual([...serviceFolders].sort())
    expect(serviceFolders.sort()).toEqual([...SERVICE_NAMES].sort())
  })

  it('builds one image and runs every service (and the simulator) from it', () => {
    const images = new Set(Object.values(compose.services).map((s) => `${s.image} from ${s.build}`))
    expect([...images]).toEqual(['spark-control:latest from .'])
  })

  it.each(SERVICE_NAMES)(
    'runs %s compiled, with its Node flags, on its port, knowing every service',
    (name) => {
      const svc = service(name)
      expect(svc.command).toEqual(['node', ...SERVICES[name].nodeFlags, `dist/services/${name}/main.js`])
      expect(svc.environment?.PORT).toBe(String(SERVICES[name].port))
      expect(svc.environment?.HOST).toBe('0.0.0.0')
      expect(svc.environment?.DATA_DIR).toBe('/data')
      for (const other of SERVICE_NAMES)
        expect(svc.environment?.[SERVICES[other].urlEnv], SERVICES[other].urlEnv).toBe(
          `http://${other}:${SERVICES[other].port}`,
        )
    },
  )

  it('publishes the gateway only, on a port the owner can change', () => {
    const published = Object.entries(compose.services).filter(([, s]) => s.ports?.length)
    expect(published.map(([name]) => name)).toEqual(['gateway'])
    expect(service('gateway').ports).toEqual([`\${SPARK_CONTROL_PORT:-9999}:${SERVICES.gateway.port}`])
  })

  it('reads configuration from the env file, which may be missing', () => {
    for (const [name, svc] of core)
      expect(svc.env_file, name).toEqual([{ path: `\${SPARK_CONTROL_ENV_FILE:-.env}`, required: false }])
  })
})

describe('compose.yaml: health, order, restarts, shutdown', () => {
  it('checks every service on its own /ready, with one check', () => {
    const tests = new Set(SERVICE_NAMES.map((name) => JSON.stringify(service(name).healthcheck?.test)))
    expect(tests.size).toBe(1)
    expect(service('gateway').healthcheck?.test.join(' ')).toMatch(/process\.env\.PORT\+'\/ready'/)
    for (const name of SERVICE_NAMES)
      expect(seconds(service(name).healthcheck?.timeout ?? '')).toBeGreaterThan(3)
  })

  it('calls a service healthy only while its /ready answers a 2xx', async () => {
    expect(await healthOutcomes(service('gateway').healthcheck!.test)).toEqual(TWO_XX_ONLY)
  })

  it('starts the gateway once every backend is healthy', () => {
    expect(service('gateway').depends_on).toEqual(
      Object.fromEntries(BACKEND_SERVICES.map((n) => [n, { condition: 'service_healthy' }])),
    )
  })

  it('restarts a crashed container a few times only, so a bad configuration (exit 78) cannot loop', () => {
    for (const [name, svc] of Object.entries(compose.services)) {
      const tries = /^on-failure:(\d+)$/.exec(svc.restart ?? '')?.[1]
      expect(tries, `${name}: restart ${svc.restart}`).toBeDefined()
      expect(Number(tries)).toBeGreaterThan(0)
      expect(Number(tries)).toBeLessThanOrEqual(10)
    }
  })

  it('gives every container longer to stop than a service takes to drain (10 s)', () => {
    for (const [name, svc] of Object.entries(compose.services))
      expect(seconds(svc.stop_grace_period ?? '10s'), name).toBeGreaterThan(10)
  })
})

describe('compose.yaml: data and networks', () => {
  it('keeps /data of every container on one named volume', () => {
    expect(Object.keys(compose.volumes ?? {})).toEqual(['data'])
    for (const [name, svc] of Object.entries(compose.services))
      expect(svc.volumes, name).toEqual(['data:/data'])
  })

  it('joins the services on an internal network; only the gateway faces the edge', () => {
    expect(compose.networks?.backend?.internal).toBe(true)
    expect(compose.networks?.edge?.internal).toBeFalsy()
    expect(compose.networks?.egress?.internal).toBeFalsy()
    for (const [name, svc] of Object.entries(compose.services))
      expect(svc.networks, name).toContain('backend')
    const onEdge = Object.entries(compose.services).filter(([, s]) => s.networks?.includes('edge'))
    expect(onEdge.map(([name]) => name)).toEqual(['gateway'])
    // The backends reach the Sparks through egress; the gateway calls nothing outside.
    for (const name of BACKEND_SERVICES) expect(service(name).networks).toEqual(['backend', 'egress'])
    expect(service('gateway').networks).toEqual(['edge', 'backend'])
  })
})
