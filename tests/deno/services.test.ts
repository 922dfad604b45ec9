/**
 * Every service runs on Deno 2 from the same sources: start each one with `deno run` (the deno
 * npm package's binary) and check that it answers `/health` and `/ready`.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SERVICE_NAMES } from '../../shared/topology.ts'
import { launchStack, REPO_ROOT, type Stack } from '../../tools/stack/launch.ts'

let stack: Stack | undefined

beforeAll(async () => {
  const deno = `${REPO_ROOT}node_modules/.bin/deno`
  if (!existsSync(deno))
    throw new Error(`deno is missing at ${deno}: run "npm ci" (the deno npm package provides it)`)
  stack = await launchStack({
    runtime: 'deno',
    env: {
      LOG_LEVEL: 'warn',
      DATA_DIR: `${REPO_ROOT}.data/deno-test`,
      // The redaction-gateway refuses to start without a map key.
      REDACTION_MAP_KEY: randomBytes(32).toString('hex'),
    },
    healthTimeoutMs: 90_000,
  })
}, 120_000)

afterAll(async () => {
  await stack?.stop()
})

describe('services under Deno', () => {
  it.each(SERVICE_NAMES)('%s answers /health and /ready', async (name) => {
    const url = stack!.url(name)
    const health = await fetch(`${url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'ok', service: name })
    const ready = await fetch(`${url}/ready`)
    // Not-configured upstreams are reported, not failed: with no Sparks configured every
    // service is still ready (its local essentials work).
    const body = await ready.json()
    expect(ready.status, JSON.stringify(body)).toBe(200)
    expect(body.service).toBe(name)
    expect(['ready', 'degraded']).toContain(body.status)
  })

  it('the gateway under Deno proxies to a backend under Deno and aggregates status', async () => {
    const res = await fetch(`${stack!.url('gateway')}/api/status`)
    expect(res.status).toBe(200)
    const status = await res.json()
    const names = status.services.map((s: { name: string }) => s.name)
    expect(names).toEqual(expect.arrayContaining(['swap-controller', 'speech-proxy', 'connectivity-monitor']))
    expect(status.services.find((s: { name: string }) => s.name === 'redaction-gateway').state).not.toBe(
      'down',
    )
  })

  it('the services under Deno refuse a direct call and answer the gateway’s proven one', async () => {
    const direct = await fetch(`${stack!.url('swap-controller')}/api/swap/history`)
    expect(direct.status).toBe(401)
    await direct.body?.cancel()
    const proxied = await fetch(`${stack!.url('gateway')}/api/swap/history`)
    expect(proxied.status).toBe(200)
    await proxied.body?.cancel()
  })
})
