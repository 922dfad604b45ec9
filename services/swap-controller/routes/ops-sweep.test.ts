/** `/api/ops/sweeps` through buildApp, with the real sweep service and a stand-in backend on real time. */
import { afterEach, describe, expect, it } from 'vitest'
import type { SweepResult } from '../../../shared/contracts/swap-controller.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import type { AuditInput } from '../domain/coordination/ports.ts'
import { buildInventory } from '../domain/inventory.ts'
import { systemClock } from '../domain/ops/sweep/clock.ts'
import type { SweepStore } from '../domain/ops/sweep/ports.ts'
import { createSweepService, type SweepService } from '../domain/ops/sweep/service.ts'
import { fakeBackend } from '../domain/ops/sweep/testing.ts'
import { FakeSshNodes } from '../testing/fakes.ts'

const services: SweepService[] = []
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()))
})

function memoryStore(): SweepStore {
  const rows = new Map<string, SweepResult>()
  return {
    save: (r) => void rows.set(r.id, r),
    list: (limit) => [...rows.values()].reverse().slice(0, limit),
    get: (id) => rows.get(id) ?? null,
  }
}

function setup({ simulated = true } = {}) {
  const audit: AuditInput[] = []
  const sweep = createSweepService({
    store: memoryStore(),
    backendFor: (target) => ({
      url: `http://127.0.0.1:9/${target}`,
      backend: fakeBackend({ capacity: 1, serviceMs: 50, clock: systemClock }),
    }),
    simulated,
    audit: (e) => void audit.push(e),
    clock: systemClock,
    cellS: 0.5,
    warmupS: 0,
  })
  services.push(sweep)
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    SIMULATED_CLUSTER: String(simulated),
  })
  const app = buildApp({
    config,
    inventory: buildInventory(config),
    ssh: new FakeSshNodes(),
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    sweep,
  })
  const post = (body: unknown) =>
    app.request('/api/ops/sweeps', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-actor': 'owner' },
      body: JSON.stringify(body),
    })
  return { app, post, audit, sweep }
}

describe('/api/ops/sweeps', () => {
  it('starts a sweep (202 running), refuses a second (409), lists it and shows it done with the limit', async () => {
    const { app, post, audit } = setup()
    const res = await post({ target: 'asr', levels: [1, 2], confirm: true })
    expect(res.status).toBe(202)
    const started = (await res.json()) as SweepResult
    expect(started).toMatchObject({
      status: 'running',
      target: 'asr',
      simulated: true,
      setting: 'SPEECH_LANE_ASR',
    })
    const again = await post({ target: 'tts', confirm: true })
    expect(again.status).toBe(409)
    expect(again.headers.get('content-type')).toMatch(/problem\+json/)
    const list = (await (await app.request('/api/ops/sweeps')).json()) as { sweeps: SweepResult[] }
    expect(list.sweeps.map((s) => s.id)).toEqual([started.id])
    await expect
      .poll(
        async () =>
          ((await (await app.request(`/api/ops/sweeps/${started.id}`)).json()) as SweepResult).status,
        {
          timeout: 10_000,
        },
      )
      .toBe('done')
    const done = (await (await app.request(`/api/ops/sweeps/${started.id}`)).json()) as SweepResult
    expect(done).toMatchObject({
      knee: 1,
      recommended_limit: 1,
      cells: [{ concurrency: 1 }, { concurrency: 2 }],
    })
    expect(audit.map((a) => [a.actor, a.action, a.outcome])).toEqual([
      ['owner', 'ops.sweep', 'started'],
      ['owner', 'ops.sweep', 'refused'],
      ['owner', 'ops.sweep', 'ok'],
    ])
  })

  it('answers 428 without confirm or dry_run, and a dry run with the plan (200)', async () => {
    const { post, audit } = setup()
    const refused = await post({ target: 'embeddings' })
    expect(refused.status).toBe(428)
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/confirm/)
    const dry = await post({ target: 'embeddings', dry_run: true })
    expect(dry.status).toBe(200)
    expect(await dry.json()).toMatchObject({ dry_run: true, cells: [], setting: 'EMBED_CONCURRENCY' })
    expect(audit.map((a) => a.outcome)).toEqual(['refused', 'ok'])
  })

  it('refuses a live cluster without confirm_live (428, audited) and runs with it', async () => {
    const { post, audit } = setup({ simulated: false })
    const refused = await post({ target: 'asr', confirm: true })
    expect(refused.status).toBe(428)
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/loads the GPU of a live cluster/)
    expect(audit[0]).toMatchObject({ action: 'ops.sweep', outcome: 'refused' })
    const live = await post({ target: 'asr', levels: [1], confirm: true, confirm_live: true })
    expect(live.status).toBe(202)
    expect(await live.json()).toMatchObject({ simulated: false, status: 'running' })
  })

  it('answers 422 for a bad body and 404 for an unknown sweep', async () => {
    const { app, post } = setup()
    expect((await post({ target: 'vllm', confirm: true })).status).toBe(422)
    expect((await post({ target: 'asr', levels: [0], confirm: true })).status).toBe(422)
    const missing = await app.request('/api/ops/sweeps/sweep-nope')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/problem\+json/)
  })
})
