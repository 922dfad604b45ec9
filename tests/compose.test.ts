/**
 * compose.yaml against the one topology table (shared/topology.ts): every service is there, runs its
 * compiled entry with its Node flags, listens on its port, and finds the others at their names.
 * CI cannot run Docker; this keeps the file from drifting away from what the tests do run.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { SERVICE_NAMES, SERVICES } from '../shared/topology.ts'
import { REPO_ROOT } from '../tools/stack/launch.ts'

interface ComposeService {
  command: string[]
  environment: Record<string, string>
  ports?: string[]
  healthcheck?: { test: string[] }
}

const compose = parse(readFileSync(`${REPO_ROOT}compose.yaml`, 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>
}

describe('compose.yaml', () => {
  it('has exactly the services of the topology', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...SERVICE_NAMES].sort())
  })

  it.each(SERVICE_NAMES)(
    'runs %s with its flags, on its port, knowing where every other service is',
    (name) => {
      const svc = compose.services[name]!
      expect(svc.command).toEqual(['node', ...SERVICES[name].nodeFlags, `dist/services/${name}/main.js`])
      expect(svc.environment.PORT).toBe(String(SERVICES[name].port))
      for (const other of SERVICE_NAMES.filter((n) => n !== 'gateway')) {
        expect(svc.environment[SERVICES[other].urlEnv]).toBe(`http://${other}:${SERVICES[other].port}`)
      }
      expect(svc.healthcheck?.test.join(' ')).toContain('/ready')
    },
  )

  it('publishes the gateway only', () => {
    const published = SERVICE_NAMES.filter((n) => compose.services[n]!.ports?.length)
    expect(published).toEqual(['gateway'])
    expect(compose.services.gateway!.ports).toEqual([`${SERVICES.gateway.port}:${SERVICES.gateway.port}`])
  })
})
