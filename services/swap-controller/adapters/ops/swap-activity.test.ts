import { describe, expect, it } from 'vitest'
import { busyNodesOf } from './swap-activity.ts'

const NODES = [
  { name: 'spark-1', user: 'owner', role: 'head' as const },
  { name: 'spark-2', user: 'owner', role: 'worker' as const },
  { name: 'spark-3', user: null, role: 'worker' as const },
]
const job = (over: Record<string, unknown>) =>
  ({ outcome: 'running', status: 'loading', mode: 'solo', rollback: null, ...over }) as Parameters<
    typeof busyNodesOf
  >[0]

describe('which nodes a swap is using', () => {
  it('none without a running swap or stop', () => {
    expect(busyNodesOf(null, false, NODES)).toEqual([])
    expect(busyNodesOf(job({ outcome: 'ready', status: 'ready' }), false, NODES)).toEqual([])
  })

  it('every reachable node during teardown, a stop, a cluster run or a rollback', () => {
    const all = ['spark-1', 'spark-2']
    expect(busyNodesOf(job({ status: 'stopping' }), false, NODES)).toEqual(all)
    expect(busyNodesOf(null, true, NODES)).toEqual(all)
    expect(busyNodesOf(job({ mode: 'cluster' }), false, NODES)).toEqual(all)
    expect(busyNodesOf(job({ rollback: { recipe: 'x', outcome: 'running' } }), false, NODES)).toEqual(all)
  })

  it('only the head while a solo model loads', () => {
    expect(busyNodesOf(job({ status: 'warming' }), false, NODES)).toEqual(['spark-1'])
  })
})
