/**
 * The container patches end to end on the simulated cluster, through the gateway: the controller
 * reads a temporary PATCHES_DIR (the repository's patches plus one of the test's own, a memory cap
 * on bge-m3 given one by SPARK_SERVICES) and runs the checks and the apply steps over real SSH
 * against the simulated Sparks' docker (`update`, `inspect --format`); the audit log is read back
 * from `/api/swap/history`. Each test touches its own patch and service, so any one runs alone.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PatchApplyAnswer, PatchesAnswer } from '../../shared/contracts/swap-controller.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { eventually, useDemo } from '../support/demo.ts'

const GIB = 1024 ** 3
/** The inventory's default cap for parakeet. */
const PARAKEET_CAP = 48 * GIB
const EMBED_CAP = 8 * GIB

/** Written before the stack starts (this hook is registered first), read by the env getter below. */
let patchesDir = ''
beforeAll(async () => {
  patchesDir = await mkdtemp(join(tmpdir(), 'ops-patches-'))
  const repo = join(REPO_ROOT, 'patches')
  for (const f of (await readdir(repo)).filter((n) => n.endsWith('.yaml')))
    await copyFile(join(repo, f), join(patchesDir, f))
  const cap = await readFile(join(repo, 'parakeet-memory-cap.yaml'), 'utf8')
  await writeFile(
    join(patchesDir, 'embeddings-memory-cap.yaml'),
    cap
      .replace('id: parakeet-memory-cap', 'id: embeddings-memory-cap')
      .replace('service: parakeet', 'service: embeddings'),
  )
})
afterAll(() => rm(patchesDir, { recursive: true, force: true }))

const fixture = useDemo({
  name: 'ops-patches',
  loadTimeMs: 600,
  get env() {
    return {
      PATCHES_DIR: patchesDir,
      SPARK_SERVICES: JSON.stringify([{ name: 'embeddings', memory_cap_bytes: EMBED_CAP }]),
    }
  },
})

const worker = () => fixture.demo().sim.nodes.node('spark-2')
const status = async () => (await (await fetch(fixture.url('/api/ops/patches'))).json()) as PatchesAnswer
const stateOf = (s: PatchesAnswer, id: string, svc: string) =>
  s.patches.find((p) => p.id === id && p.service === svc)?.state
const apply = async (body: unknown) => {
  const res = await fetch(fixture.url('/api/ops/patches/apply'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-actor': 'ops-test' },
    body: JSON.stringify(body),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as PatchApplyAnswer
}
const updatesSent = () => worker().commandLog.filter((e) => e.line.startsWith("'docker' 'update'")).length
const auditRows = async (target: string) => {
  const res = await fetch(fixture.url('/api/swap/history?action=ops.patch.apply&limit=500'))
  const { entries } = (await res.json()) as {
    entries: { target: string; outcome: string; dry_run: boolean }[]
  }
  return entries.filter((e) => e.target === target)
}

describe('patches on the simulated cluster', () => {
  it('shows a patch missing, dry-runs it without touching anything, applies it, then skips it', async () => {
    const before = await status()
    expect(before.simulated).toBe(true)
    expect(before.invalid).toEqual([])
    expect(stateOf(before, 'parakeet-memory-cap', 'parakeet')).toBe('missing')
    // The simulated containers run with --restart unless-stopped already, as the earlier layout does.
    expect(stateOf(before, 'speech-restart-policy', 'kokoro')).toBe('applied')

    const updates = updatesSent()
    const dry = await apply({ dry_run: true, ids: ['parakeet-memory-cap'] })
    expect(dry).toMatchObject({ dry_run: true, ok: true })
    expect(dry.results[0]?.steps.map((s) => [s.kind, s.command.argv.join(' ')])).toEqual([
      ['check', 'docker inspect --format {{.HostConfig.Memory}} parakeet-asr'],
      ['apply', `docker update --memory ${PARAKEET_CAP} --memory-swap ${PARAKEET_CAP} parakeet-asr`],
      ['recheck', 'docker inspect --format {{.HostConfig.Memory}} parakeet-asr'],
    ])
    expect(updatesSent()).toBe(updates)
    expect(stateOf(await status(), 'parakeet-memory-cap', 'parakeet')).toBe('missing')

    const done = await apply({ confirm: true, ids: ['parakeet-memory-cap'] })
    expect(done.ok).toBe(true)
    expect(done.results[0]).toMatchObject({ before: 'missing', after: 'applied', applied: true })
    expect(done.results[0]?.summary).toBe(
      'parakeet-memory-cap on parakeet (spark-2): applied, and its check passes',
    )
    expect(stateOf(await status(), 'parakeet-memory-cap', 'parakeet')).toBe('applied')

    const again = await apply({ confirm: true, ids: ['parakeet-memory-cap'] })
    expect(again.results[0]).toMatchObject({ skipped: true, applied: false })
    expect(again.results[0]?.steps.map((s) => s.kind)).toEqual(['check'])
    expect((await auditRows('parakeet-memory-cap/parakeet')).map((e) => [e.outcome, e.dry_run])).toEqual([
      ['ok', false],
      ['ok', false],
      ['ok', true],
    ])
  })

  it('reports a patch whose check still fails after docker accepted the update, and never marks it applied', async () => {
    worker().setUpdateIgnored(true)
    try {
      const answer = await apply({ confirm: true, ids: ['embeddings-memory-cap'] })
      expect(answer.ok).toBe(false)
      const [r] = answer.results
      expect(r).toMatchObject({ before: 'missing', after: 'missing', applied: false, skipped: false })
      expect(r?.steps.map((s) => [s.kind, s.ok])).toEqual([
        ['check', false],
        ['apply', true],
        ['recheck', false],
      ])
      expect(r?.steps[2]?.detail).toMatch(/^still fails after apply — .*is "0", expected "8589934592"/)
      expect(r?.summary).toMatch(/not applied: the check failed after apply/)
      expect(stateOf(await status(), 'embeddings-memory-cap', 'embeddings')).toBe('missing')
      expect((await auditRows('embeddings-memory-cap/embeddings')).map((e) => e.outcome)).toEqual(['failed'])
    } finally {
      worker().setUpdateIgnored(false)
    }
  })

  it('refuses without confirm (428) and while a swap uses the node (409, audited), running nothing', async () => {
    const updates = updatesSent()
    const unconfirmed = await fetch(fixture.url('/api/ops/patches/apply'), { method: 'POST' })
    expect(unconfirmed.status).toBe(428)
    expect(unconfirmed.headers.get('content-type')).toMatch(/problem\+json/)
    const swapJob = await (
      await fetch(fixture.url('/api/swap'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ recipe: 'glm-4.5-air' }),
      })
    ).json()
    const swapState = async () => (await fetch(fixture.url('/api/swap/state'))).json()
    await eventually(
      swapState,
      (st) => st.job?.job_id === swapJob.job_id && st.job?.outcome === 'running',
      30_000,
    )
    const refused = await fetch(fixture.url('/api/ops/patches/apply'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ confirm: true, ids: ['speech-restart-policy'] }),
    })
    expect(refused.status).toBe(409)
    expect(await refused.json()).toMatchObject({
      nodes: ['spark-2'],
      detail: expect.stringMatching(/swap is running on spark-2/),
    })
    expect(updatesSent()).toBe(updates)
    expect((await auditRows('speech-restart-policy/kokoro')).map((e) => e.outcome)).toEqual(['refused'])
    await eventually(swapState, (st) => st.state === 'idle', 60_000)
  })

  it('says unknown, with the reason, while the node does not answer', async () => {
    worker().setUnreachable(true, { dropExisting: true })
    try {
      const s = await status()
      const mine = s.patches.find((p) => p.id === 'speech-restart-policy' && p.service === 'kokoro')
      expect(mine).toMatchObject({
        state: 'unknown',
        detail: expect.stringMatching(/^spark-2 did not answer: /),
      })
    } finally {
      worker().setUnreachable(false)
    }
  })
})
