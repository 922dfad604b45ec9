import { describe, expect, it } from 'vitest'
import type { SwapJob, SwapState } from './machine.ts'
import { servingAfter } from './record.ts'

function job(states: SwapState[], over: Partial<SwapJob> = {}): SwapJob {
  return {
    id: 'swp_1',
    recipe: 'new',
    mode: 'solo',
    model: 'new-model',
    from_model: 'old-model',
    from_recipe: 'old',
    state: states.at(-1)!,
    started_at_ms: 0,
    finished_at_ms: 10,
    transitions: states.map((state, i) => ({ state, at_ms: i })),
    error: null,
    log_excerpt: null,
    rollback: null,
    cancel_requested: false,
    warnings: [],
    actor: 'api',
    ...over,
  }
}

describe("servingAfter (the webhook's serving_model)", () => {
  it('names the new model after a switch, the old one after a rollback', () => {
    expect(
      servingAfter(
        job(['draining', 'stopping', 'verifying-stopped', 'starting', 'loading', 'warming', 'ready']),
      ),
    ).toBe('new-model')
    const rolledBack = job(['draining', 'stopping', 'loading', 'failed', 'rolling-back', 'ready'], {
      rollback: { recipe: 'old', outcome: 'ready' },
    })
    expect(servingAfter(rolledBack)).toBe('old-model')
  })

  it('keeps the old model for a swap that ended before stopping it, and nothing once it was stopped', () => {
    expect(servingAfter(job(['draining', 'cancelled']))).toBe('old-model')
    expect(servingAfter(job(['draining', 'failed']))).toBe('old-model')
    expect(servingAfter(job(['draining', 'stopping', 'cancelled']))).toBeNull()
    expect(
      servingAfter(
        job(['draining', 'stopping', 'loading', 'failed', 'rolling-back', 'failed'], {
          rollback: { recipe: 'old', outcome: 'failed' },
        }),
      ),
    ).toBeNull()
  })
})
