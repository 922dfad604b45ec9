import { describe, expect, it } from 'vitest'
import { AppError } from '../../../../shared/errors.ts'
import type { PreflightPlan, PreflightVerdict, ProbeOutcome } from './preflight.ts'
import { type Preflight, type PreflightDeps, preflightRefusal, syncRecipe } from './preflight-gate.ts'
import { readRecipeStep, writeRecipeStep } from './preflight-steps.ts'
import type { PlanStep } from './steps.ts'

const verdict = (over: Partial<PreflightVerdict> = {}): PreflightVerdict => ({
  ok: true,
  unreachable: [],
  skipped: [],
  recipe: 'same',
  problems: [],
  warnings: [],
  checks: [],
  ...over,
})
const unreachableWorker = verdict({
  ok: false,
  unreachable: ['spark-2'],
  checks: [
    { node: 'spark-1', check: 'reach', ok: true, detail: 'answers' },
    { node: 'spark-2', check: 'reach', ok: false, detail: 'connect ECONNREFUSED' },
  ],
})

describe('preflightRefusal', () => {
  it('a needed node that does not answer is a 503 with Retry-After, naming it; the model keeps serving', () => {
    const err = preflightRefusal(unreachableWorker, 'big', 'small-model')
    expect(err).toBeInstanceOf(AppError)
    expect(err).toMatchObject({ status: 503, code: 'node_unreachable' })
    expect(err!.retryAfterS).toBeGreaterThan(0)
    expect(err!.message).toBe(
      'spark-2 is unreachable (connect ECONNREFUSED); big needs it. small-model keeps serving.',
    )
    expect(err!.extra).toMatchObject({ nodes: ['spark-2'], preflight: unreachableWorker })
  })

  it('names every unreachable node, and says nothing changed when nothing serves', () => {
    const both = verdict({
      ok: false,
      unreachable: ['spark-1', 'spark-2'],
      checks: [
        { node: 'spark-1', check: 'reach', ok: false, detail: 'timed out' },
        { node: 'spark-2', check: 'reach', ok: false, detail: 'timed out' },
      ],
    })
    const err = preflightRefusal(both, 'big', null)
    expect(err!.status).toBe(503)
    expect(err!.message).toBe(
      'spark-1 and spark-2 are unreachable (timed out); big needs them. Nothing was changed.',
    )
  })

  it('anything a person must fix is a 409 preflight_failed listing the problems', () => {
    const v = verdict({ ok: false, problems: ['The container image vllm-node is not on spark-1.'] })
    const err = preflightRefusal(v, 'big', 'small-model')
    expect(err).toMatchObject({ status: 409, code: 'preflight_failed' })
    expect(err!.retryAfterS).toBeUndefined()
    expect(err!.message).toBe(
      'Pre-flight failed: The container image vllm-node is not on spark-1. small-model keeps serving.',
    )
  })

  it('a verdict with only warnings or skipped nodes is no refusal', () => {
    expect(preflightRefusal(verdict(), 'big', 'small-model')).toBeNull()
    expect(preflightRefusal(verdict({ skipped: ['spark-2'], warnings: ['w'] }), 'big', null)).toBeNull()
  })
})

const PATH = '/home/u/spark-vllm-docker/recipes/big.yaml'
const LOCAL = 'name: Big\ncommand: vllm serve org/big\n'
const ran = (stdout = '', code = 0, stderr = ''): ProbeOutcome => ({ ran: true, code, stdout, stderr })

/** A head whose recipe file is `file` (null: missing); `run` writes and reads it like tee and cat. */
function fakeHead(file: string | null, opts: { writeFails?: string; writeMangles?: boolean } = {}) {
  const calls: { kind: string; stdin?: string }[] = []
  let onDisk = file
  const probes: PreflightDeps['probes'] = {
    preflight: async () => {
      throw new Error('not used here')
    },
    run: async (step: PlanStep, stdin?: string) => {
      calls.push({ kind: step.kind, ...(stdin !== undefined && { stdin }) })
      if (step.kind === 'write-recipe') {
        if (opts.writeFails) return ran('', 1, `tee: ${PATH}: ${opts.writeFails}\n`)
        onDisk = opts.writeMangles ? stdin!.slice(0, 5) : stdin!
        return ran(stdin)
      }
      return onDisk === null ? ran('', 1, `cat: ${PATH}: No such file or directory\n`) : ran(onDisk)
    },
  }
  const deps: PreflightDeps = {
    probes,
    localRecipe: async () => LOCAL,
    policy: 'copy',
    cacheDir: null,
    nodes: [],
  }
  return { deps, calls, onDisk: () => onDisk }
}
const plan = {
  recipe: readRecipeStep('spark-1', PATH),
  write: writeRecipeStep('spark-1', PATH),
} as PreflightPlan
const preflight = (state: PreflightVerdict['recipe']): Preflight => ({
  plan,
  verdict: verdict({ recipe: state }),
  local: LOCAL,
})
const auditLog = () => {
  const rows: string[] = []
  return { rows, write: (outcome: string, detail: string) => void rows.push(`${outcome}: ${detail}`) }
}

describe('syncRecipe', () => {
  it('does nothing when the head already has the same file', async () => {
    const head = fakeHead(LOCAL)
    const audit = auditLog()
    await syncRecipe(head.deps, preflight('same'), audit.write)
    expect(head.calls).toEqual([])
    expect(audit.rows).toEqual([])
  })

  it.each([
    ['missing', null, 'was missing'],
    ['different', 'name: Old\n', 'differed'],
  ] as const)(
    'writes the controller’s copy over a %s file, reads it back and audits ok',
    async (state, file, was) => {
      const head = fakeHead(file)
      const audit = auditLog()
      await syncRecipe(head.deps, preflight(state), audit.write)
      expect(head.calls).toEqual([{ kind: 'write-recipe', stdin: LOCAL }, { kind: 'read-recipe' }])
      expect(head.onDisk()).toBe(LOCAL)
      expect(audit.rows).toEqual([
        `ok: ${PATH} on spark-1 ${was}; the controller's copy was written (${LOCAL.length} bytes)`,
      ])
    },
  )

  it('a write that fails is audited as failed and refused with 409, naming why', async () => {
    const head = fakeHead(null, { writeFails: 'Permission denied' })
    const audit = auditLog()
    const err = await syncRecipe(head.deps, preflight('missing'), audit.write).catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 409, code: 'preflight_failed' })
    expect((err as Error).message).toContain('Permission denied')
    expect(head.calls.map((c) => c.kind)).toEqual(['write-recipe'])
    expect(audit.rows).toEqual([expect.stringMatching(/^failed: .*was missing.*Permission denied/)])
  })

  it('a read-back that does not match what was written is audited as failed and refused with 409', async () => {
    const head = fakeHead('name: Old\n', { writeMangles: true })
    const audit = auditLog()
    const err = await syncRecipe(head.deps, preflight('different'), audit.write).catch((e: unknown) => e)
    expect(err).toMatchObject({ status: 409, code: 'preflight_failed' })
    expect(head.calls.map((c) => c.kind)).toEqual(['write-recipe', 'read-recipe'])
    // Not "exit 0": the write itself succeeded, what failed is the comparison.
    expect((err as Error).message).toContain('reading it back did not give what was written')
    expect(audit.rows).toEqual([expect.stringMatching(/^failed: .*differed.*reading it back/)])
  })
})
