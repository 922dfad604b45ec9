import { describe, expect, it } from 'vitest'
import { AppError, upstreamFailed } from '../../shared/errors.ts'
import { applyAnswer, OPS_NOW, restartAnswer, sampleServices, serviceView } from '../fixtures/ops.ts'
import { OpsSourceError } from './source.ts'
import {
  autoRestartWords,
  healthWords,
  memoryWords,
  patchOutcome,
  pillLook,
  restartResultWords,
  stepWords,
} from './words.ts'
import { changeRefusal, readProblem, restartRefusal } from './words-errors.ts'

const GIB = 1024 ** 3

describe('service words', () => {
  it('gives every pill a word and a symbol, never colour alone', () => {
    for (const pill of [
      'healthy',
      'unhealthy',
      'starting',
      'stopped',
      'not_configured',
      'unknown',
    ] as const) {
      const look = pillLook(pill)
      expect(look.label.length).toBeGreaterThan(2)
      expect(look.icon).not.toBe('')
    }
    expect(pillLook('unhealthy')).toMatchObject({ label: 'Unhealthy', tone: 'bad' })
    expect(pillLook('bogus' as never).label).toBe('Unknown')
  })

  it('says memory against the cap in force, and a wanted cap that is not in force', () => {
    const capped = serviceView('p', {
      memory_bytes: 6 * GIB,
      memory_limit_bytes: 24 * GIB,
      memory_cap_bytes: 24 * GIB,
    })
    expect(memoryWords(capped)).toBe('6.0 GiB of a 24 GiB cap (25 %)')
    expect(memoryWords(serviceView('k'))).toBe('2.0 GiB (no cap)')
    const uncapped = serviceView('p', { memory_limit_bytes: null, memory_cap_bytes: 24 * GIB })
    expect(memoryWords(uncapped)).toBe('2.0 GiB (no cap) — 24 GiB wanted: re-apply the patches')
    expect(memoryWords(serviceView('x', { memory_bytes: null }))).toBe('not known')
    expect(memoryWords(serviceView('x', { memory_bytes: null, memory_limit_bytes: 4 * GIB }))).toBe(
      'not known (cap 4.0 GiB)',
    )
  })

  it('says the last health check with its latency, or why it fails', () => {
    const at = new Date(OPS_NOW.getTime() - 2000).toISOString()
    expect(healthWords({ ok: true, status: 200, ms: 12, at, error: null }, OPS_NOW)).toBe(
      'answering (HTTP 200 in 12 ms), 2.0 s ago',
    )
    expect(healthWords({ ok: false, status: null, ms: null, at, error: 'connection refused' }, OPS_NOW)).toBe(
      'failing: connection refused, 2.0 s ago',
    )
    expect(healthWords({ ok: false, status: 503, ms: 4, at, error: null }, OPS_NOW)).toContain(
      'failing: HTTP 503',
    )
    expect(healthWords(null, OPS_NOW)).toBe('not checked yet')
  })

  it('says whether automatic restart is on, for the installation and the service', () => {
    const answer = sampleServices()
    const [parakeet, kokoro] = answer.services
    expect(autoRestartWords(parakeet!, answer.auto_restart)).toBe('on (at most 3 in 30 min)')
    expect(autoRestartWords(kokoro!, answer.auto_restart)).toBe('off for this service')
    expect(autoRestartWords(parakeet!, { ...answer.auto_restart, enabled: false })).toMatch(/^off \(/)
  })
})

describe('restart words', () => {
  it('says how long the restart took and the health after it', () => {
    expect(restartResultWords(restartAnswer('parakeet', 'confirm'))).toEqual({
      tone: 'good',
      text: 'Restarted parakeet in 4.2 s. Health after: answering (HTTP 200 in 15 ms).',
    })
    const failing = {
      ...restartAnswer('kokoro', 'confirm'),
      health_after: { ok: false, status: null, ms: null, at: OPS_NOW.toISOString(), error: 'timed out' },
    }
    expect(restartResultWords(failing)).toMatchObject({ tone: 'warn' })
    expect(restartResultWords(failing).text).toContain('its health check still fails: timed out')
  })

  it('says a refusal during a swap of the node plainly, and other refusals as the controller put them', () => {
    const swap = new OpsSourceError(
      409,
      'Cannot restart parakeet now: a swap or stop is using spark-2. Try again when it has finished.',
      'conflict',
      { node: 'spark-2' },
    )
    const n = restartRefusal(swap, 'parakeet', null)
    expect(n.text).toBe(
      'parakeet was not restarted: a model switch is using spark-2 right now, and restarting a container there could break it. Try again when the switch has finished.',
    )
    expect(n.items).toEqual([swap.message])
    expect(restartRefusal(new OpsSourceError(429, 'at most 3 in 30 min'), 'kokoro', null).text).toContain(
      'restarted too often',
    )
    expect(restartRefusal(new OpsSourceError(409, 'container is being removed'), 'kokoro', null).text).toBe(
      'kokoro was not restarted: container is being removed',
    )
    expect(restartRefusal(new Error('ECONNREFUSED'), 'kokoro', null).text).toContain(
      'The swap-controller is not answering',
    )
  })
})

describe('read problems', () => {
  it('tells a controller that does not answer from an answer that does not match the contract', () => {
    const down = upstreamFailed('x', 'y')
    expect(readProblem(new AppError(503, 'upstream_unavailable', 'no'), 'the patches')).toEqual({
      kind: 'down',
      text: expect.stringContaining('The swap-controller is not answering, so the patches cannot be shown'),
    })
    expect(readProblem(down, 'the patches').kind).toBe('down')
    const mismatch = upstreamFailed(
      'swap-controller',
      'its answer to GET /api/ops/services does not match the contract (services.0.state: Invalid enum value)',
    )
    const p = readProblem(mismatch, 'the service containers')
    expect(p.kind).toBe('mismatch')
    expect(p.text).toContain('services.0.state: Invalid enum value')
    expect(readProblem(new OpsSourceError(501, 'not built'), 'the sweeps').kind).toBe('missing')
    expect(changeRefusal(new OpsSourceError(422, 'ids.0: too long'), 'The patch run was').text).toBe(
      'The patch run was not started: ids.0: too long',
    )
  })
})

describe('patch run words', () => {
  it('shows a check that still fails after apply as a problem, never as success', () => {
    const done = applyAnswer('confirm', false)
    const run = done.results[0]!
    expect(patchOutcome(run, false)).toEqual({
      tone: 'bad',
      text: 'problem: the check still fails after apply, so it is not applied',
    })
    expect(run.steps.map((s) => stepWords(s).tone)).toEqual(['off', 'good', 'bad'])
    expect(stepWords(run.steps[2]!).text).toBe(
      'check again: still fails after apply — HostConfig.Memory is 0',
    )
    expect(patchOutcome(applyAnswer('confirm', true).results[0]!, false).tone).toBe('good')
    expect(patchOutcome(done.results[1]!, false).text).toBe('already applied: nothing ran')
    expect(patchOutcome(applyAnswer('dry_run').results[0]!, true).text).toBe('missing: 3 steps would run')
  })
})
