import { describe, expect, it } from 'vitest'
import { applyTarget, dryRunTarget } from './apply.ts'
import { planPatches } from './plan.ts'
import { CAP_PATCH, fakeDocker, GIB, patch, spec } from './testing.ts'

const CAP = 48 * GIB
const target = () =>
  planPatches(
    [patch(CAP_PATCH, 'cap.yaml')],
    [spec('parakeet', { container: 'parakeet-asr', memory_cap_bytes: CAP })],
  ).targets[0]!
const run = (docker: ReturnType<typeof fakeDocker>) =>
  applyTarget(target(), { runner: docker.runner, checkTimeoutMs: 100, applyTimeoutMs: 200 })

describe('applying one patch', () => {
  it('checks, applies, rechecks, and reports applied only once the recheck passes', async () => {
    const docker = fakeDocker({ 'parakeet-asr': { memory: 0, restart: 'no' } })
    const r = await run(docker)
    expect(r).toMatchObject({ before: 'missing', after: 'applied', applied: true, skipped: false })
    expect(r.steps.map((s) => [s.kind, s.ok, s.exit_code])).toEqual([
      ['check', false, 0],
      ['apply', true, 0],
      ['recheck', true, 0],
    ])
    expect(r.steps[0]?.detail).toBe('The cap is in force: is "0", expected "51539607552"')
    expect(r.summary).toBe('cap on parakeet (spark-2): applied, and its check passes')
    expect(docker.calls[1]).toEqual([
      'docker',
      'update',
      '--memory',
      String(CAP),
      '--memory-swap',
      String(CAP),
      'parakeet-asr',
    ])
  })

  it('skips a patch whose check already passes: only the check ran', async () => {
    const docker = fakeDocker({ 'parakeet-asr': { memory: CAP, restart: 'no' } })
    const r = await run(docker)
    expect(r).toMatchObject({ before: 'applied', after: 'applied', applied: false, skipped: true })
    expect(docker.calls).toHaveLength(1)
    expect(r.summary).toMatch(/already applied; nothing ran/)
  })

  it('stops at the first failing apply step and does not call it applied', async () => {
    const docker = fakeDocker({ 'parakeet-asr': { memory: 0, restart: 'no' } })
    docker.state.failUpdate = 'Error response from daemon: Cannot update container: bad\n'
    const r = await run(docker)
    expect(r).toMatchObject({ before: 'missing', after: 'missing', applied: false })
    expect(r.steps.map((s) => [s.kind, s.ok])).toEqual([
      ['check', false],
      ['apply', false],
      ['recheck', false],
    ])
    expect(r.steps[1]?.detail).toBe('exited with 1: Error response from daemon: Cannot update container: bad')
    expect(r.summary).toMatch(/not applied: apply step 1 \(Set the cap\) failed: exited with 1/)
  })

  it('reports a patch whose check still fails after its steps ran, and never marks it applied', async () => {
    const docker = fakeDocker({ 'parakeet-asr': { memory: 0, restart: 'no' } })
    docker.state.updateWithoutEffect = true
    const r = await run(docker)
    expect(r).toMatchObject({ before: 'missing', after: 'missing', applied: false, skipped: false })
    expect(r.steps.map((s) => [s.kind, s.ok])).toEqual([
      ['check', false],
      ['apply', true],
      ['recheck', false],
    ])
    expect(r.steps[2]?.detail).toMatch(/^still fails after apply — The cap is in force: is "0"/)
    expect(r.summary).toMatch(/not applied: the check failed after apply/)
  })

  it('says unknown with the reason when the node does not answer, and runs nothing more', async () => {
    const docker = fakeDocker({ 'parakeet-asr': { memory: 0, restart: 'no' } })
    docker.state.down = true
    const r = await run(docker)
    expect(r).toMatchObject({ before: 'unknown', after: 'unknown', applied: false })
    expect(r.steps).toHaveLength(1)
    expect(r.summary).toBe(
      'cap on parakeet (spark-2): not applied: spark-2 did not answer: SSH to spark-2: not connected',
    )
  })

  it("a missing container is a failed check, with docker's own words", async () => {
    const r = await run(fakeDocker({}))
    expect(r.before).toBe('missing')
    expect(r.steps[0]?.detail).toBe('The cap is in force: exited with 1: Error: No such object: parakeet-asr')
  })

  it('a dry run lists check, apply and recheck commands and runs none', () => {
    const r = dryRunTarget(target())
    expect(r).toMatchObject({ before: 'unknown', after: null, applied: false, skipped: false })
    expect(r.steps.map((s) => [s.kind, s.ok, s.exit_code, s.command.argv[1]])).toEqual([
      ['check', null, null, 'inspect'],
      ['apply', null, null, 'update'],
      ['recheck', null, null, 'inspect'],
    ])
    expect(r.summary).toMatch(/dry run: 1 check and 1 apply command\(s\), nothing ran/)
  })
})
