import { describe, expect, it } from 'vitest'
import type { AutoRestartEntry } from '../../../../shared/contracts/swap-controller.ts'
import { AutoRestartBook, type AutoRestartPolicy } from './auto-restart.ts'

const POLICY: AutoRestartPolicy = { enabled: true, max: 3, windowMs: 30 * 60_000, wedgeFailures: 3 }
const WEDGED = { ok: false, wedgeLike: true } as const
const RUNNING = { autoRestart: true, running: true, busy: false }

function book(policy = POLICY, seed: AutoRestartEntry[] = []) {
  let t = Date.parse('2026-12-06T10:00:00Z')
  const b = new AutoRestartBook(policy, () => t, seed)
  return { b, advance: (ms: number) => (t += ms) }
}

/** Health checks until the book decides something other than none. */
function untilDecision(b: AutoRestartBook, ctx = RUNNING, max = 10) {
  for (let i = 1; i <= max; i++) {
    const d = b.observe('parakeet', WEDGED, ctx)
    if (d.kind !== 'none') return { ...d, checks: i }
  }
  return { kind: 'none' as const, checks: max }
}

describe('auto-restart', () => {
  it('restarts after OPS_WEDGE_FAILURES wedge-like failures in a row, and only then', () => {
    const { b } = book()
    expect(untilDecision(b)).toMatchObject({ kind: 'restart', checks: 3 })
  })

  it('a healthy answer, a refused connection or a stopped container breaks the streak', () => {
    const { b } = book()
    b.observe('parakeet', WEDGED, RUNNING)
    b.observe('parakeet', WEDGED, RUNNING)
    b.observe('parakeet', { ok: true }, RUNNING)
    b.observe('parakeet', WEDGED, RUNNING)
    b.observe('parakeet', { ok: false, wedgeLike: false }, RUNNING)
    b.observe('parakeet', WEDGED, RUNNING)
    b.observe('parakeet', WEDGED, { ...RUNNING, running: false })
    expect(untilDecision(b).checks).toBe(3)
  })

  it('does nothing when switched off, or for a spec without auto_restart', () => {
    expect(untilDecision(book({ ...POLICY, enabled: false }).b).kind).toBe('none')
    expect(untilDecision(book().b, { ...RUNNING, autoRestart: false }).kind).toBe('none')
  })

  it('at most max restarts in the window, told once per wedge; the window slides', () => {
    const { b, advance } = book()
    for (let i = 0; i < 3; i++) {
      expect(untilDecision(b).kind).toBe('restart')
      b.record({ service: 'parakeet', outcome: 'restarted', detail: null })
      advance(60_000)
    }
    expect(untilDecision(b)).toMatchObject({
      kind: 'rate_limited',
      detail: expect.stringMatching(/3 times in the last 30 min/),
    })
    expect(untilDecision(b).kind).toBe('none')
    // 30 min after the first restart, one attempt leaves the window.
    advance(28 * 60_000)
    expect(untilDecision(b).kind).toBe('restart')
  })

  it('never during a swap of its node: refused once, restarted when the swap is over', () => {
    const { b } = book()
    const busy = { ...RUNNING, busy: true }
    expect(untilDecision(b, busy)).toMatchObject({ kind: 'refused_swap' })
    expect(untilDecision(b, busy).kind).toBe('none')
    expect(b.observe('parakeet', WEDGED, RUNNING).kind).toBe('restart')
  })

  it('the window is seeded from earlier entries (the audit log), newest first', () => {
    const at = (min: number) => new Date(Date.parse('2026-12-06T10:00:00Z') - min * 60_000).toISOString()
    const seed = [5, 1, 10].map((m) => ({
      service: 'parakeet',
      at: at(m),
      outcome: 'restarted' as const,
      detail: null,
    }))
    const { b } = book(POLICY, seed)
    expect(b.recent().map((e) => e.at)).toEqual([at(1), at(5), at(10)])
    expect(untilDecision(b).kind).toBe('rate_limited')
  })
})
