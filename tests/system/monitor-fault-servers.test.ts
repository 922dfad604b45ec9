/**
 * The fault servers the monitor's outage tests and benchmark inject with: each mode does to a
 * client what the real failure does (refused, accepted and silent, slow health with working POSTs),
 * and the port survives every switch.
 */
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { failureKind } from '../../shared/outcomes/failure-kind.ts'
import { type FaultServer, refusingPort, startFaultServer } from '../support/fault-servers.ts'

const servers: FaultServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function started() {
  const s = await startFaultServer()
  servers.push(s)
  return s
}

/** Whether a TCP connection is accepted (true) or refused (false). */
const tcpAccepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

const kindOfFetch = (url: string, init: RequestInit = {}, timeoutMs = 1000) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }).then(
    (res) => `status ${res.status}`,
    (err: unknown) => failureKind(err),
  )

describe('fault servers', () => {
  it('stopped refuses connections, and the restart answers on the same port', async () => {
    const s = await started()
    expect(await kindOfFetch(`${s.url}/health`)).toBe('status 200')
    await s.setMode('stopped')
    expect(await tcpAccepts(s.port)).toBe(false)
    expect(await kindOfFetch(`${s.url}/health`)).toBe('refused')
    await s.setMode('ok')
    expect(await kindOfFetch(`${s.url}/health`)).toBe('status 200')
  })

  it('hang accepts TCP but never answers; leaving it ends the held requests', async () => {
    const s = await started()
    await s.setMode('hang')
    expect(await tcpAccepts(s.port)).toBe(true)
    const held = fetch(`${s.url}/health`).then(
      () => 'answered',
      (err: unknown) => failureKind(err),
    )
    expect(await kindOfFetch(`${s.url}/health`, {}, 300)).toBe('timeout')
    await s.setMode('ok')
    expect(await held).toBe('reset')
    expect(await kindOfFetch(`${s.url}/health`)).toBe('status 200')
  })

  it('busy holds GET /health for its delay while POSTs answer at once', async () => {
    const s = await started()
    await s.setMode('busy', { healthDelayMs: 5000 })
    expect(await kindOfFetch(`${s.url}/health`, {}, 500)).toBe('timeout')
    expect(await kindOfFetch(`${s.url}/work`, { method: 'POST', body: '{}' }, 500)).toBe('status 200')
    expect(s.answered('POST')).toBe(1)
  })

  it('a refusing port refuses', async () => {
    const port = await refusingPort()
    expect(await tcpAccepts(port)).toBe(false)
  })
})
