/**
 * The whole product on the simulated cluster: every service as its own process, the controller
 * talking real SSH to the simulated Sparks and real HTTP to the emulators, read through the gateway.
 */
import { describe, expect, it } from 'vitest'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { eventually, useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'

const fixture = useDemo({ name: 'cluster-status' })
const getJson = async (path: string) => (await fetch(fixture.url(path))).json()
const status = () => getJson('/api/status')

describe('cluster status on the simulated cluster', () => {
  it('reports everything up, the preloaded model, and that the cluster is simulated', async () => {
    const s = await status()
    expect(s.simulated).toBe(true)
    expect(s.overall).toBe('ok')
    expect(s.summary).toBe('Everything is working')
    expect(s.loaded_model).toBe(servedName(SIM_DEFAULT_RECIPE))
    expect(s.services.map((x: { state: string }) => x.state)).toEqual(Array(5).fill('up'))
    expect(s.nodes.map((n: { name: string; reachable: boolean }) => [n.name, n.reachable])).toEqual([
      ['spark-1', true],
      ['spark-2', true],
    ])
  })

  it('reads node telemetry over the persistent SSH connections, with GB10 [N/A] memory as null', async () => {
    const body = await getJson('/api/swap-controller/nodes')
    const [head, worker] = body.nodes
    expect(head.memory.total_bytes).toBeGreaterThan(100 * 2 ** 30)
    // The loaded model occupies unified memory on the head node only.
    expect(head.memory.available_bytes).toBeLessThan(worker.memory.available_bytes - 10 * 2 ** 30)
    expect(head.gpu.memory_used_mib).toBeNull()
    expect(head.gpu.temperature_c).toBeGreaterThan(0)
    expect(head.vllm_container).toMatchObject({ name: 'vllm_node', running: true })
    expect(worker.vllm_container).toBeNull()
    // Every command the controller sent arrived as quoted literal words, never with shell syntax.
    const log = fixture.demo().sim.nodes.node('spark-1').commandLog
    expect(log.length).toBeGreaterThan(0)
    for (const entry of log) expect(entry.line).toMatch(/^'[^']*'( '[^']*')*$/)
  })

  it('sees an upstream go down and come back', async () => {
    const { parakeet } = fixture.demo().sim
    await parakeet.setMode('down')
    try {
      const down = await eventually(status, (s) => upstream(s, 'parakeet').state === 'down')
      expect(down.overall).toBe('degraded')
      expect(down.summary.toLowerCase()).toContain('speech')
      const endpoints = await getJson('/api/endpoints')
      expect(endpoints.parakeet).toMatchObject({ ready: false, status: 'not_ready' })
    } finally {
      await parakeet.setMode('ok')
    }
    await eventually(status, (s) => upstream(s, 'parakeet').state === 'up')
  })

  it('treats an upstream whose health check hangs as not up, with the reason, then recovers', async () => {
    const { kokoro } = fixture.demo().sim
    await kokoro.setMode('slow', { latencyMs: 5000 })
    try {
      const slow = await eventually(status, (s) => upstream(s, 'kokoro').state !== 'up')
      expect(upstream(slow, 'kokoro').detail).toMatch(/no answer within \d+ ms/)
    } finally {
      await kokoro.setMode('ok')
    }
    await eventually(status, (s) => upstream(s, 'kokoro').state === 'up')
  })

  it('notices a Spark that stops answering SSH, and reconnects when it is back', async () => {
    const worker = fixture.demo().sim.nodes.node('spark-2')
    worker.setUnreachable(true, { dropExisting: true })
    try {
      const down = await eventually(status, (s) => node(s, 'spark-2').reachable === false)
      expect(down.summary).toContain('Spark 2')
      expect(down.overall).not.toBe('ok')
    } finally {
      worker.setUnreachable(false)
    }
    await eventually(status, (s) => node(s, 'spark-2').reachable === true, 40_000)
  }, 60_000)

  it('answers 503 + Retry-After naming a service that died, in each path style', async () => {
    const speech = fixture.demo().stack.services['speech-proxy']!
    speech.process.kill('SIGKILL')
    await new Promise((r) => speech.process.once('exit', r))

    const v1 = await fetch(fixture.url('/v1/audio/voices'))
    expect(v1.status).toBe(503)
    expect(Number(v1.headers.get('retry-after'))).toBeGreaterThan(0)
    const v1Body = await v1.json()
    expect(v1Body.error.message).toContain('speech-proxy')

    const earlier = await fetch(fixture.url('/api/audio/diarize-chunk'), { method: 'POST', body: 'x' })
    expect(earlier.status).toBe(503)
    expect((await earlier.json()).detail).toContain('speech-proxy')

    // The gateway caches status for a second; the death shows on the next probe.
    const s = await eventually(
      status,
      (v) => v.services.find((x: { name: string }) => x.name === 'speech-proxy').state === 'down',
    )
    expect(s.overall).not.toBe('ok')
    expect((await fetch(fixture.url('/api/status'))).status).toBe(200)
  })
})

function upstream(s: { upstreams: Array<{ name: string; state: string; detail: string }> }, name: string) {
  return s.upstreams.find((u) => u.name === name)!
}
function node(s: { nodes: Array<{ name: string; reachable: boolean }> }, name: string) {
  return s.nodes.find((n) => n.name === name)!
}
