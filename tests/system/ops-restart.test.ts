/**
 * The Spark service containers end to end on the simulated cluster, through the gateway: the live
 * view, a restart's dry run (touches nothing) and real run (the Parakeet emulator goes down and
 * comes back), the refusal during a swap of spark-2's node, and auto-restart of a wedged
 * container up to its rate limit. Small intervals make auto-restart quick; the services it
 * watches other than the wedged one stay healthy throughout.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { eventually, useDemo } from '../support/demo.ts'

const fixture = useDemo({
  name: 'ops-restart',
  loadTimeMs: 600,
  env: {
    SWAP_VERIFY_TIMEOUT_S: '5',
    SWAP_STOP_GRACE_S: '1',
    OPS_AUTO_RESTART: 'true',
    OPS_AUTO_RESTART_MAX: '3',
    OPS_AUTO_RESTART_WINDOW_S: '600',
    OPS_HEALTH_INTERVAL_MS: '200',
    OPS_WEDGE_FAILURES: '2',
    OPS_HEALTH_TIMEOUT_MS: '400',
    OPS_RESTART_GRACE_S: '1',
    OPS_RESTART_HEALTH_WAIT_S: '1',
  },
})

const post = (path: string, body: unknown) =>
  fetch(fixture.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-actor': 'ops-test' },
    body: JSON.stringify(body),
  })
const getJson = async (path: string) => (await fetch(fixture.url(path))).json()
const services = async () => (await getJson('/api/ops/services')) as OpsServices
const service = async (name: string) => (await services()).services.find((s) => s.name === name)
const worker = () => fixture.demo().sim.nodes.node('spark-2')
const restartsRan = (container: string) =>
  worker().commandLog.filter((l) => l.line.includes(`'docker' 'restart'`) && l.line.includes(container))
const history = async (action: string) =>
  ((await getJson(`/api/swap/history?limit=200`)).entries as HistoryRow[]).filter((e) => e.action === action)

interface OpsServices {
  simulated: boolean
  services: Array<Record<string, unknown> & { name: string }>
  auto_restart: { enabled: boolean; recent: Array<{ service: string; outcome: string }> }
}
interface HistoryRow {
  action: string
  outcome: string
  target: string | null
  actor: string
  detail: string | null
}

afterEach(async () => {
  await worker().wedgeContainer('kokoro-tts', 'none')
})

describe('Spark service containers on the simulator', () => {
  it('lists each container with its state, uptime, restarts, memory and health; no Qdrant is missing', async () => {
    const answer = await eventually(
      services,
      (a) => a.services.every((s) => s.name === 'qdrant' || s.pill === 'healthy'),
      40_000,
    )
    expect(answer.simulated).toBe(true)
    expect(answer.auto_restart).toMatchObject({ enabled: true, max: 3, window_s: 600 })
    const parakeet = answer.services.find((s) => s.name === 'parakeet')
    expect(parakeet).toMatchObject({
      node: 'spark-2',
      container: 'parakeet-asr',
      state: 'running',
      restarts: 0,
      memory_limit_bytes: null,
      health: { ok: true, status: 200 },
    })
    expect(parakeet?.memory_bytes).toBeGreaterThan(1024 ** 3)
    expect(answer.services.find((s) => s.name === 'qdrant')).toMatchObject({
      state: 'missing',
      pill: 'not_configured',
    })
  })

  it('asks for confirmation (428), knows no other service (404), and a dry run touches nothing', async () => {
    expect((await post('/api/ops/services/parakeet/restart', {})).status).toBe(428)
    expect((await post('/api/ops/services/nope/restart', { confirm: true })).status).toBe(404)
    const before = restartsRan('parakeet-asr').length
    const res = await post('/api/ops/services/parakeet/restart', { dry_run: true })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      dry_run: true,
      restarted: false,
      commands: [{ node: 'spark-2', argv: ['docker', 'restart', '-t', '1', 'parakeet-asr'] }],
    })
    expect(restartsRan('parakeet-asr').length).toBe(before)
    expect(fixture.demo().sim.parakeet.mode()).toBe('ok')
  })

  it('a real restart takes the Parakeet emulator down and back; StartedAt moves, and it is audited', async () => {
    const before = await eventually(
      () => service('parakeet'),
      (s) => s?.pill === 'healthy',
      40_000,
    )
    const sawRefused = { value: false }
    const pending = post('/api/ops/services/parakeet/restart', { confirm: true })
    let done = false
    void pending.finally(() => (done = true))
    // The server is down for a moment during the restart: connections are refused then.
    while (!done) {
      await fetch(`${fixture.demo().sim.parakeet.url}/health`).catch(() => (sawRefused.value = true))
    }
    const res = await pending
    expect(res.status).toBe(200)
    const answer = await res.json()
    expect(answer).toMatchObject({ restarted: true, health_after: { ok: true } })
    expect(sawRefused.value).toBe(true)
    const after = await service('parakeet')
    expect(Date.parse(after?.started_at as string)).toBeGreaterThan(Date.parse(before?.started_at as string))
    // Docker resets RestartCount on a manual restart (only its restart policy counts up).
    expect(after).toMatchObject({ state: 'running', restarts: 0 })
    const audit = await history('ops.restart')
    expect(audit.find((e) => e.target === 'parakeet' && e.actor === 'ops-test')).toMatchObject({
      outcome: 'ok',
    })
  })

  it('restarts by its restart policy show in the restart count', async () => {
    await worker().crashContainer('bge-m3')
    await eventually(
      () => service('embeddings'),
      (s) => s?.restarts === 1 && s?.state === 'running',
      20_000,
    )
  })

  it('is refused (409, audited) while a swap uses spark-2', async () => {
    const job = await (await post('/api/swap', { recipe: 'glm-4.5-air' })).json()
    await eventually(
      () => getJson('/api/swap/state'),
      (s) => s.job?.job_id === job.job_id && s.job?.outcome === 'running' && s.job?.status !== 'draining',
      30_000,
    )
    const ran = restartsRan('parakeet-asr').length
    const res = await post('/api/ops/services/parakeet/restart', { confirm: true })
    expect(res.status).toBe(409)
    expect((await res.json()).detail).toMatch(/spark-2/)
    expect(restartsRan('parakeet-asr').length).toBe(ran)
    const refused = await history('ops.restart')
    expect(refused.find((e) => e.outcome === 'refused')).toMatchObject({ target: 'parakeet' })
    await eventually(
      () => getJson(`/api/swap/${job.job_id}`),
      (j) => j.finished_at !== null,
      60_000,
    )
  })

  it('auto-restarts a wedged container, at most 3 times, then reports rate_limited', async () => {
    await eventually(
      () => getJson('/api/swap/state'),
      (s) => s.state === 'idle',
      60_000,
    )
    await worker().wedgeContainer('kokoro-tts', 'persistent')
    const answer = await eventually(
      services,
      (a) => a.auto_restart.recent.some((e) => e.service === 'kokoro' && e.outcome === 'rate_limited'),
      60_000,
    )
    const kokoro = answer.auto_restart.recent.filter((e) => e.service === 'kokoro')
    expect(kokoro.map((e) => e.outcome)).toEqual(['rate_limited', 'failed', 'failed', 'failed'])
    expect(restartsRan('kokoro-tts').length).toBe(3)
    const audit = await history('ops.auto_restart')
    expect(audit.filter((e) => e.target === 'kokoro').map((e) => [e.actor, e.outcome])).toEqual([
      ['auto-restart', 'refused'],
      ['auto-restart', 'failed'],
      ['auto-restart', 'failed'],
      ['auto-restart', 'failed'],
    ])
  })
})
