/** `/api/ops/patches` through buildApp, with the real patch service over a fake docker. */
import { describe, expect, it } from 'vitest'
import type { PatchApplyAnswer, PatchesAnswer } from '../../../shared/contracts/swap-controller.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import type { AuditInput } from '../domain/coordination/ports.ts'
import { buildInventory } from '../domain/inventory.ts'
import { createPatchOps } from '../domain/ops/patches/service.ts'
import { CAP_PATCH, fakeDocker, GIB, patch, spec } from '../domain/ops/patches/testing.ts'
import { FakeSshNodes } from '../testing/fakes.ts'

function setup({ busy = [] as string[] } = {}) {
  const audit: AuditInput[] = []
  const docker = fakeDocker({ 'parakeet-asr': { memory: 0, restart: 'no' } })
  const patches = createPatchOps({
    catalog: { load: async () => ({ patches: [patch(CAP_PATCH, 'cap.yaml')], invalid: [] }) },
    services: () => [spec('parakeet', { container: 'parakeet-asr', memory_cap_bytes: 48 * GIB })],
    runner: docker.runner,
    swapActivity: { busyNodes: () => busy },
    audit: (e) => void audit.push(e),
  })
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    SIMULATED_CLUSTER: 'true',
  })
  const app = buildApp({
    config,
    inventory: buildInventory(config),
    ssh: new FakeSshNodes(),
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    patches,
  })
  const post = (body?: unknown) =>
    app.request('/api/ops/patches/apply', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-spark-actor': 'owner' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  return { app, post, audit, docker }
}

describe('/api/ops/patches', () => {
  it('GET says missing, a confirmed apply applies it, GET then says applied', async () => {
    const { app, post, audit } = setup()
    const before = (await (await app.request('/api/ops/patches')).json()) as PatchesAnswer
    expect(before).toMatchObject({ simulated: true, invalid: [], skipped: [] })
    expect(before.patches.map((p) => [p.id, p.state])).toEqual([['cap', 'missing']])
    const res = await post({ confirm: true })
    expect(res.status).toBe(200)
    const answer = (await res.json()) as PatchApplyAnswer
    expect(answer).toMatchObject({ dry_run: false, ok: true, results: [{ id: 'cap', applied: true }] })
    const after = (await (await app.request('/api/ops/patches')).json()) as PatchesAnswer
    expect(after.patches[0]?.state).toBe('applied')
    expect(audit).toEqual([
      expect.objectContaining({ actor: 'owner', action: 'ops.patch.apply', outcome: 'ok' }),
    ])
  })

  it('answers 428 problem+json without confirm or dry_run (also with no body), nothing run', async () => {
    const { post, docker } = setup()
    for (const body of [undefined, {}, { confirm: false }]) {
      const res = await post(body)
      expect(res.status).toBe(428)
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/)
      expect(((await res.json()) as { detail: string }).detail).toMatch(/send "confirm": true/)
    }
    expect(docker.calls).toEqual([])
  })

  it('a dry run answers the commands and touches nothing', async () => {
    const { post, docker } = setup()
    const answer = (await (await post({ dry_run: true })).json()) as PatchApplyAnswer
    expect(answer.results[0]?.steps.map((s) => s.command.display)).toEqual([
      "'docker' 'inspect' '--format' '{{.HostConfig.Memory}}' 'parakeet-asr'",
      "'docker' 'update' '--memory' '51539607552' '--memory-swap' '51539607552' 'parakeet-asr'",
      "'docker' 'inspect' '--format' '{{.HostConfig.Memory}}' 'parakeet-asr'",
    ])
    expect(docker.calls).toEqual([])
  })

  it('answers 409 while a swap runs on the node, and 422 for an unknown id', async () => {
    const { post } = setup({ busy: ['spark-2'] })
    const refused = await post({ confirm: true })
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({ nodes: ['spark-2'] })
    const unknown = await post({ confirm: true, ids: ['nope'] })
    expect(unknown.status).toBe(422)
  })
})
