import { describe, expect, it } from 'vitest'
import type { AuditInput } from '../../coordination/ports.ts'
import type { Patch } from './load.ts'
import { createPatchOps } from './service.ts'
import { CAP_PATCH, fakeDocker, GIB, patch, spec } from './testing.ts'

const CAP = 48 * GIB
const RESTART = CAP_PATCH.replace('id: cap', 'id: restart')
  .replace('service: parakeet', 'service: [parakeet, kokoro, whisper]')
  .replace(
    "[docker, update, --memory, '{memory_cap_bytes}', --memory-swap, '{memory_cap_bytes}', '{container}']",
    "[docker, update, --restart, unless-stopped, '{container}']",
  )
  .replace("'{{.HostConfig.Memory}}'", "'{{.HostConfig.RestartPolicy.Name}}'")
  .replace("stdout: '{memory_cap_bytes}'", 'stdout: unless-stopped')

function setup(options: { busy?: string[]; patches?: Patch[] } = {}) {
  const docker = fakeDocker({
    'parakeet-asr': { memory: 0, restart: 'no' },
    'kokoro-tts': { memory: 0, restart: 'unless-stopped' },
  })
  const audit: AuditInput[] = []
  const busy = { nodes: options.busy ?? [] }
  const ops = createPatchOps({
    catalog: {
      load: async () => ({
        patches: options.patches ?? [patch(CAP_PATCH, 'cap.yaml'), patch(RESTART, 'restart.yaml')],
        invalid: [{ file: 'broken.yaml', reasons: ['YAML: bad', 'id: missing'] }],
      }),
    },
    services: () => [
      spec('parakeet', { container: 'parakeet-asr', memory_cap_bytes: CAP }),
      spec('kokoro', { container: 'kokoro-tts' }),
    ],
    runner: docker.runner,
    swapActivity: { busyNodes: () => busy.nodes },
    audit: (e) => audit.push(e),
    checkTimeoutMs: 100,
    applyTimeoutMs: 100,
  })
  return { ops, docker, audit, busy }
}
const actor = { actor: 'tester', requestId: 'r1' }

describe('patch status', () => {
  it('runs every check and says applied or missing per service, lists invalid files and skipped targets', async () => {
    const { ops } = setup()
    const s = await ops.status()
    expect(s.patches.map((p) => [p.id, p.service, p.state])).toEqual([
      ['cap', 'parakeet', 'missing'],
      ['restart', 'parakeet', 'missing'],
      ['restart', 'kokoro', 'applied'],
    ])
    expect(s.patches[0]).toMatchObject({
      container: 'parakeet-asr',
      node: 'spark-2',
      detail: expect.stringMatching(/is "0"/),
    })
    expect(s.patches[2]?.summary).toBe('restart on kokoro (spark-2): applied')
    expect(s.invalid).toEqual([{ file: 'broken.yaml', reason: 'YAML: bad; id: missing' }])
    expect(s.skipped).toEqual([
      { id: 'restart', service: 'whisper', reason: expect.stringMatching(/no service named whisper/) },
    ])
  })

  it('says unknown, with the reason, when the node does not answer', async () => {
    const { ops, docker } = setup()
    docker.state.down = true
    const s = await ops.status()
    expect(s.patches.every((p) => p.state === 'unknown')).toBe(true)
    expect(s.patches[0]?.detail).toBe('spark-2 did not answer: SSH to spark-2: not connected')
  })
})

describe('applying patches', () => {
  it('is refused without confirm or dry_run, and nothing runs', async () => {
    const { ops, docker, audit } = setup()
    await expect(ops.apply({ ...actor, dryRun: false, confirm: false })).rejects.toMatchObject({
      status: 428,
    })
    expect(docker.calls).toEqual([])
    expect(audit).toEqual([])
  })

  it('applies the missing ones, skips the applied ones, and audits each patch on each service', async () => {
    const { ops, audit } = setup()
    const a = await ops.apply({ ...actor, dryRun: false, confirm: true })
    expect(a.ok).toBe(true)
    expect(a.results.map((r) => [r.id, r.service, r.applied, r.skipped])).toEqual([
      ['cap', 'parakeet', true, false],
      ['restart', 'parakeet', true, false],
      ['restart', 'kokoro', false, true],
    ])
    expect(audit.map((e) => [e.action, e.target, e.outcome, e.actor, e.dryRun])).toEqual([
      ['ops.patch.apply', 'cap/parakeet', 'ok', 'tester', false],
      ['ops.patch.apply', 'restart/parakeet', 'ok', 'tester', false],
      ['ops.patch.apply', 'restart/kokoro', 'ok', 'tester', false],
    ])
    const again = await ops.apply({ ...actor, dryRun: false, confirm: true })
    expect(again.results.every((r) => r.skipped)).toBe(true)
  })

  it('reports a patch whose check fails after apply as failed in the answer and the audit', async () => {
    const { ops, docker, audit } = setup()
    docker.state.updateWithoutEffect = true
    const a = await ops.apply({ ...actor, ids: ['cap'], dryRun: false, confirm: true })
    expect(a.ok).toBe(false)
    expect(a.results).toHaveLength(1)
    expect(a.results[0]).toMatchObject({ applied: false, after: 'missing' })
    expect(audit).toEqual([
      expect.objectContaining({
        target: 'cap/parakeet',
        outcome: 'failed',
        detail: expect.stringMatching(/check failed after apply/),
      }),
    ])
  })

  it('a dry run answers every command and runs none (audited as a dry run)', async () => {
    const { ops, docker, audit, busy } = setup()
    busy.nodes = ['spark-2']
    const a = await ops.apply({ ...actor, dryRun: true, confirm: false })
    expect(a).toMatchObject({ dry_run: true, ok: true })
    expect(a.results.flatMap((r) => r.steps.map((s) => s.kind))).toHaveLength(9)
    expect(docker.calls).toEqual([])
    expect(audit.every((e) => e.dryRun === true && e.outcome === 'ok')).toBe(true)
  })

  it('is refused with 409 while a swap runs on the node, audited as refused, nothing run', async () => {
    const { ops, docker, audit, busy } = setup()
    busy.nodes = ['spark-2']
    await expect(ops.apply({ ...actor, ids: ['cap'], dryRun: false, confirm: true })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/A swap is running on spark-2.*Nothing was changed/),
    })
    expect(docker.calls).toEqual([])
    expect(audit.map((e) => [e.target, e.outcome])).toEqual([['cap/parakeet', 'refused']])
  })

  it('refuses unknown ids and ids of files that did not load with 422, naming why', async () => {
    const { ops } = setup()
    await expect(
      ops.apply({ ...actor, ids: ['nope', 'broken'], dryRun: true, confirm: false }),
    ).rejects.toMatchObject({
      status: 422,
      issues: [
        { field: 'ids.0', message: 'there is no patch nope (known: cap, restart)' },
        { field: 'ids.1', message: 'the patch file broken.yaml did not load: YAML: bad; id: missing' },
      ],
    })
  })

  it('runs one apply at a time: a second one meanwhile gets 409', async () => {
    const { ops, docker } = setup()
    let release = () => {}
    const gate = new Promise<void>((r) => (release = r))
    const run = docker.runner.run.bind(docker.runner)
    let waiting = 0
    docker.runner.run = async (c, o) => {
      waiting++
      await gate
      return run(c, o)
    }
    const first = ops.apply({ ...actor, dryRun: false, confirm: true })
    await expect.poll(() => waiting).toBe(1)
    const second = ops.apply({ ...actor, dryRun: false, confirm: true })
    await expect(second).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/being applied already/),
    })
    release()
    await expect(first).resolves.toMatchObject({ ok: true })
  })
})
