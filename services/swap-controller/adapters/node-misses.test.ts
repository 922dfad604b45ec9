import { describe, expect, it } from 'vitest'
import { SshError, type SshErrorKind } from '../../../shared/ssh/errors.ts'
import type { ExecResult } from '../../../shared/ssh/types.ts'
import { checkAbsentStep, type PlanStep } from '../domain/swap/steps.ts'
import { describeDown, nodeMisses, nodesOf } from './node-misses.ts'

const ok: ExecResult = { code: 0, stdout: '', stderr: '', signal: null, durationMs: 1 }

/** An exec whose next answer per node is scripted: an SshError kind, another Error, or an answer. */
function scripted(script: Record<string, (SshErrorKind | 'answer' | 'other')[]>) {
  return async (step: PlanStep): Promise<ExecResult> => {
    const next = script[step.node]!.shift()
    if (next === 'answer' || next === undefined) return ok
    if (next === 'other') throw new Error('parse failure')
    throw new SshError(next, step.node, `${next} reason`)
  }
}
const step = (node: string) => checkAbsentStep(node, 'vllm_node')
const signal = new AbortController().signal

describe('nodeMisses', () => {
  it('passes over a node the plan does not require at its first miss, and reports why', async () => {
    const m = nodeMisses(scripted({ 'spark-2': ['connect_failed'] }), ['spark-1'])
    expect(await m.run(step('spark-2'), signal)).toBeNull()
    expect(m.failed()).toEqual([])
    expect(m.pending()).toEqual([])
    expect([...m.passedOver]).toEqual([['spark-2', 'connect_failed reason']])
    expect(m.report()).toEqual({ passedOver: [{ node: 'spark-2', reason: 'connect_failed reason' }] })
  })

  it('a required node is pending at its first miss and fails at the second in a row', async () => {
    const m = nodeMisses(scripted({ 'spark-2': ['timeout', 'connection_lost'] }), ['spark-1', 'spark-2'])
    await m.run(step('spark-2'), signal)
    expect(m.pending()).toEqual([{ node: 'spark-2', reason: 'timeout reason' }])
    expect(m.failed()).toEqual([])
    await m.run(step('spark-2'), signal)
    expect(m.pending()).toEqual([])
    expect(m.failed()).toEqual([{ node: 'spark-2', reason: 'connection_lost reason' }])
    expect(m.report().passedOver).toEqual([])
    expect(nodesOf(m.failed())).toEqual(['spark-2'])
    expect(describeDown(m.failed())).toBe('spark-2 is unreachable (connection_lost reason)')
  })

  it('an answer resets the count: a single blip never fails a required node', async () => {
    const m = nodeMisses(scripted({ 'spark-1': ['unavailable', 'answer', 'closed', 'answer'] }), ['spark-1'])
    for (let i = 0; i < 4; i++) await m.run(step('spark-1'), signal)
    expect(m.failed()).toEqual([])
    expect(m.pending()).toEqual([])
  })

  it('returns what the node answered', async () => {
    const m = nodeMisses(async () => ({ ...ok, stdout: 'vllm_node\n' }), ['spark-1'])
    expect(await m.run(step('spark-1'), signal)).toMatchObject({ code: 0, stdout: 'vllm_node\n' })
  })

  it.each(['auth_failed', 'host_key_mismatch', 'output_limit', 'other'] as const)(
    'a failure that is not the node going away (%s) is not a miss',
    async (kind) => {
      const m = nodeMisses(scripted({ 'spark-1': [kind, kind], 'spark-2': [kind] }), ['spark-1'])
      expect(await m.run(step('spark-1'), signal)).toBeNull()
      await m.run(step('spark-1'), signal)
      await m.run(step('spark-2'), signal)
      expect(m.failed()).toEqual([])
      expect(m.pending()).toEqual([])
      expect(m.passedOver.size).toBe(0)
    },
  )
})
