/**
 * The swap engine on the simulated cluster, through the gateway: real SSH to the simulated Sparks,
 * eugr's scripts there, and the vLLM emulator's readiness ladder. The tests share one stack but not
 * its state: each starts with no swap running and no fault switched on, and loads the model it
 * starts from (`given`), so any one of them passes alone.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { verifySignature } from '../../services/swap-controller/domain/coordination/webhook.ts'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { eventually, useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'

/** A webhook receiver, started before the stack so the controller is configured to send to it. */
const SECRET = 'swap-test-secret'
const hook = {
  url: '',
  server: null as Server | null,
  received: [] as { body: string; signature: string | undefined }[],
}
beforeAll(async () => {
  hook.server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      hook.received.push({ body, signature: req.headers['x-spark-signature'] as string | undefined })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => hook.server!.listen(0, '127.0.0.1', r))
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`
})
afterAll(() => new Promise<void>((r) => (hook.server ? hook.server.close(() => r()) : r())))

const fixture = useDemo({
  name: 'swap',
  loadTimeMs: 600,
  // A getter: read when the stack starts, after the receiver above has its port.
  get env() {
    return {
      SWAP_VERIFY_TIMEOUT_S: '5',
      SWAP_STOP_GRACE_S: '1',
      SWAP_WEBHOOK_URL: hook.url,
      SWAP_WEBHOOK_SECRET: SECRET,
    }
  },
})
const delivered = (id: string) =>
  eventually(
    async () => hook.received.find((r) => JSON.parse(r.body).swap_id === id),
    (r) => r !== undefined,
  )
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(fixture.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
const getJson = async (path: string) => (await fetch(fixture.url(path))).json()
const served = (key: string) => servedName(key)
const finished = (id: string) =>
  eventually(
    () => getJson(`/api/swap/${id}`),
    (j) => j.finished_at !== null,
    30_000,
  )
const loaded = (model: string) =>
  eventually(
    () => getJson('/api/status'),
    (s) => s.loaded_model === model,
    15_000,
  )
const head = () => fixture.demo().sim.nodes.node('spark-1')

/** What every test starts from: no swap running, no fault switched on, the usual load time. */
beforeEach(async () => {
  const { sim } = fixture.demo()
  sim.nodes.setNextFailure('none')
  sim.nodes.setLoadTimeMs(600)
  for (const n of sim.nodes.nodes) n.setStopRefusal(false)
  await eventually(
    () => getJson('/api/swap/state'),
    (s) => s.state === 'idle',
    30_000,
  )
}, 40_000)

/** Loads `recipe` unless it is loaded already: the model a test starts from. */
async function given(recipe: string) {
  if ((await getJson('/api/status')).loaded_model === served(recipe)) return
  const job = await (await post('/api/swap', { recipe })).json()
  expect((await finished(job.job_id)).outcome).toBe('ready')
  await loaded(served(recipe))
}
/** Lines the head node ran since `from`, for "was anything launched or stopped" checks. */
const ranSince = (from: number) =>
  head()
    .commandLog.slice(from)
    .map((e) => e.line)
const mutating = (lines: string[]) => lines.filter((l) => /run-recipe|'docker' '(stop|rm)'/.test(l))

describe('swap engine on the simulated cluster', () => {
  it('dry run returns the exact commands and the fit verdict, and touches nothing', async () => {
    await given(SIM_DEFAULT_RECIPE)
    const from = head().commandLog.length
    const res = await post('/api/swap', { recipe: 'gpt-oss-120b', dry_run: true })
    expect(res.status).toBe(200)
    const body = await res.json()
    const port = fixture.demo().sim.vllmPort
    expect(body).toMatchObject({
      dry_run: true,
      recipe: 'gpt-oss-120b',
      mode: 'solo',
      from_model: served(SIM_DEFAULT_RECIPE),
    })
    expect(
      body.commands.teardown.map((c: { node: string; command: string }) => `${c.node}: ${c.command}`),
    ).toEqual([
      "spark-1: 'timeout' '-s' 'KILL' '32.000s' 'docker' 'stop' '-t' '1' 'vllm_node'",
      "spark-1: 'timeout' '-s' 'KILL' '32.000s' 'docker' 'rm' '-f' 'vllm_node'",
      "spark-2: 'timeout' '-s' 'KILL' '32.000s' 'docker' 'stop' '-t' '1' 'vllm_node'",
      "spark-2: 'timeout' '-s' 'KILL' '32.000s' 'docker' 'rm' '-f' 'vllm_node'",
    ])
    expect(body.commands.launch).toEqual([
      {
        node: 'spark-1',
        command: `'timeout' '-s' 'KILL' '601.000s' '/home/sim/spark-vllm-docker/run-recipe.sh' 'gpt-oss-120b' '-d' '--port' '${port}' '--solo' '--gpu-mem' '0.8' '--max-model-len' '131072' '--' '--served-model-name' 'gpt-oss-120b'`,
        kind: 'launch',
        purpose: expect.stringContaining('gpt-oss-120b'),
        deadline_ms: 600_000,
      },
    ])
    expect(body.fit).toMatchObject({ fits: true, allowed: true, policy: 'refuse' })
    // What stopping the loaded model frees is capped by what is in use: never more than MemTotal in all.
    for (const n of body.fit.per_node as Array<{
      node: string
      available_bytes: number
      freed_bytes: number
      total_bytes: number
    }>) {
      expect(n.total_bytes, n.node).toBeGreaterThan(0)
      expect(n.available_bytes + n.freed_bytes, n.node).toBeLessThanOrEqual(n.total_bytes)
    }
    expect(mutating(ranSince(from))).toEqual([])
    expect(head().containers()[0]?.vllm?.servedModelName).toBe(served(SIM_DEFAULT_RECIPE))
  })

  it('refuses hostile recipe keys before any command, with the earlier {"detail"} body', async () => {
    const from = head().commandLog.length
    for (const recipe of ['x;reboot', '$(id)', '`id`', 'a\nb', '../etc/passwd', '-rf', '']) {
      const res = await post('/api/swap', { recipe, dry_run: false })
      expect(res.status, JSON.stringify(recipe)).toBe(422)
      expect((await res.json()).detail).toBeDefined()
    }
    expect((await post('/api/swap', { recipe: 'no-such-recipe' })).status).toBe(404)
    expect(mutating(ranSince(from))).toEqual([])
  })

  it('swaps solo to another solo recipe; a duplicate joins it and another recipe gets 409', async () => {
    await given(SIM_DEFAULT_RECIPE)
    const [a, b] = await Promise.all([
      post('/api/swap', { recipe: 'gpt-oss-120b' }),
      post('/api/swap', { recipe: 'gpt-oss-120b' }),
    ])
    expect([a.status, b.status]).toEqual([202, 202])
    const [ja, jb] = [await a.json(), await b.json()]
    expect(ja.job_id).toBe(jb.job_id)
    expect([ja.coalesced, jb.coalesced].sort()).toEqual([false, true])
    const other = await post('/api/swap', { recipe: SIM_DEFAULT_RECIPE })
    expect(other.status).toBe(409)
    expect((await other.json()).job_id).toBe(ja.job_id)
    const state = await getJson('/api/swap/state')
    expect(state.job.job_id).toBe(ja.job_id)
    const done = await finished(ja.job_id)
    expect(done).toMatchObject({
      status: 'ready',
      outcome: 'ready',
      error: null,
      from_model: served(SIM_DEFAULT_RECIPE),
    })
    expect(done.transitions.map((t: { state: string }) => t.state)).toEqual([
      'draining',
      'stopping',
      'verifying-stopped',
      'starting',
      'loading',
      'warming',
      'ready',
    ])
    await loaded(served('gpt-oss-120b'))
    expect((await getJson('/api/swap/state')).state).toBe('idle')
    const event = (await delivered(ja.job_id))!
    expect(verifySignature(event.body, SECRET, event.signature)).toBe(true)
    expect(JSON.parse(event.body)).toMatchObject({
      event: 'swap_complete',
      recipe: 'gpt-oss-120b',
      model: served('gpt-oss-120b'),
    })
  })

  it('refuses a swap while another holder has the lock (423), and proceeds with its token', async () => {
    await given('gpt-oss-120b')
    const lock = await (await post('/api/swap/lock', { holder: 'nightly-batch', ttl_seconds: 120 })).json()
    try {
      const refused = await post('/api/swap', { recipe: SIM_DEFAULT_RECIPE })
      expect(refused.status).toBe(423)
      expect((await refused.json()).lock.holder).toBe('nightly-batch')
      const ok = await post('/api/swap', { recipe: SIM_DEFAULT_RECIPE }, { 'x-swap-lock-token': lock.token })
      expect(ok.status).toBe(202)
      expect((await finished((await ok.json()).job_id)).outcome).toBe('ready')
    } finally {
      await fetch(fixture.url('/api/swap/lock'), {
        method: 'DELETE',
        headers: { 'x-swap-lock-token': lock.token },
      })
    }
    await loaded(served(SIM_DEFAULT_RECIPE))
  })

  it('rolls back to the previous model when the new one runs out of memory, keeping the log excerpt', async () => {
    await given(SIM_DEFAULT_RECIPE)
    fixture.demo().sim.nodes.setNextFailure('oom')
    const job = await (await post('/api/swap', { recipe: 'gpt-oss-120b' })).json()
    const done = await finished(job.job_id)
    expect(done).toMatchObject({
      status: 'ready',
      outcome: 'rolled_back',
      rollback: { recipe: SIM_DEFAULT_RECIPE, outcome: 'ready' },
    })
    expect(done.transitions.map((t: { state: string }) => t.state)).toContain('failed')
    // The cause, from the log, leads the error: not only an exit code or a failure kind.
    expect(done.error).toMatch(
      /^vLLM (?:exited|failed): out of GPU memory \(torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate /,
    )
    expect(done.log_excerpt).toMatch(/out of memory/i)
    await loaded(served(SIM_DEFAULT_RECIPE))
  })

  it('fails before any launch when the container refuses to stop, and the old model keeps serving', async () => {
    await given(SIM_DEFAULT_RECIPE)
    head().setStopRefusal(true)
    try {
      const from = head().commandLog.length
      const job = await (await post('/api/swap', { recipe: 'gpt-oss-120b' })).json()
      const done = await finished(job.job_id)
      expect(done).toMatchObject({ status: 'failed', outcome: 'failed', rollback: null })
      expect(done.error).toMatch(/still present on spark-1/)
      expect(done.transitions.map((t: { state: string }) => t.state)).not.toContain('starting')
      expect(ranSince(from).filter((l) => l.includes('run-recipe'))).toEqual([])
      const event = (await delivered(job.job_id))!
      expect(verifySignature(event.body, SECRET, event.signature)).toBe(true)
      expect(JSON.parse(event.body)).toMatchObject({
        event: 'swap_failed',
        error: expect.stringMatching(/still present/),
      })
    } finally {
      head().setStopRefusal(false)
    }
    expect((await getJson('/api/status')).loaded_model).toBe(served(SIM_DEFAULT_RECIPE))
  }, 20_000)

  it('cancels mid-load: progress and events show the load, cancel stops what it started', async () => {
    await given(SIM_DEFAULT_RECIPE)
    const { sim } = fixture.demo()
    sim.nodes.setLoadTimeMs(8000)
    const abort = new AbortController()
    const events = await fetch(fixture.url('/api/swap/events'), { signal: abort.signal })
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/)
    const seen: string[] = []
    const reading = collect(events, seen, abort.signal)
    try {
      const job = await (await post('/api/swap', { recipe: 'gpt-oss-120b' })).json()
      const loading = await eventually(
        () => getJson('/api/swap/state'),
        (s) => s.state === 'loading' && s.job.progress !== null,
      )
      expect(loading.job.progress).toMatchObject({ stalled: false })
      expect(typeof loading.job.progress.percent).toBe('number')
      const cancel = await post('/api/swap/cancel', {})
      expect(cancel.status).toBe(202)
      const done = await finished(job.job_id)
      expect(done).toMatchObject({ status: 'cancelled', outcome: 'cancelled' })
      await eventually(
        async () => head().containers(),
        (c) => c.length === 0,
      )
      await eventually(
        async () => seen,
        (s) => s.some((e) => e.includes('"status":"cancelled"')),
      )
      expect(seen.some((e) => e.includes('"status":"loading"'))).toBe(true)
      expect((await post('/api/swap/cancel', {})).status).toBe(409)
    } finally {
      sim.nodes.setLoadTimeMs(600)
      abort.abort()
      await reading.catch(() => undefined)
    }
  }, 20_000)

  it('swaps to a two-node recipe across both Sparks, riding out dropped SSH connections mid-swap', async () => {
    const { sim } = fixture.demo()
    sim.nodes.setLoadTimeMs(2000)
    try {
      const res = await post('/api/swap', { recipe: 'glm-4.5-air' })
      const job = await res.json()
      expect([res.status, job.mode, job.fit?.per_node.length]).toEqual([202, 'cluster', 2])
      await eventually(
        () => getJson('/api/swap/state'),
        (s) => s.state === 'loading',
      )
      for (const n of sim.nodes.nodes) n.dropConnections()
      const done = await finished(job.job_id)
      expect(done).toMatchObject({ status: 'ready', outcome: 'ready', mode: 'cluster' })
      const vllmNodes = sim.nodes.nodes.map((n) => n.containers().filter((c) => c.name === 'vllm_node'))
      expect(vllmNodes.map((cs) => cs.map((c) => c.status))).toEqual([['running'], ['running']])
      const launch = ranSince(0)
        .filter((l) => l.includes('run-recipe'))
        .at(-1)
      expect(launch).toMatch(
        /'glm-4\.5-air' '-d' '--port' '\d+' '--tp' '2' '--gpu-mem' '0\.8' '--max-model-len' '65536' '--' '--served-model-name' 'glm-4\.5-air'$/,
      )
      await loaded(served('glm-4.5-air'))
    } finally {
      sim.nodes.setLoadTimeMs(600)
    }
  }, 30_000)
})

async function collect(res: Response, into: string[], signal: AbortSignal) {
  const decoder = new TextDecoder()
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (signal.aborted) break
    into.push(
      ...decoder
        .decode(chunk)
        .split('\n')
        .filter((l) => l.startsWith('data:')),
    )
  }
}
