import { describe, expect, it } from 'vitest'
import { loadSwapControllerConfig } from '../../config.ts'
import { buildServiceInventory } from './inventory.ts'
import { containerCommands, findService, refusalOf } from './restart-guard.ts'

const NODES = [
  { name: 'spark-1', host: 'spark-1.example', role: 'head' as const },
  { name: 'spark-2', host: 'spark-2.example', role: 'worker' as const },
]
const { entries } = buildServiceInventory(
  loadSwapControllerConfig({
    DISABLED_SERVICES: 'qdrant',
    SPARK_SERVICES: JSON.stringify([{ name: 'lost', node: 'spark-9' }]),
  }),
  NODES,
)

describe('restart guard rails', () => {
  it('the commands are argv with the grace, shown quoted as they go over SSH', () => {
    const parakeet = findService(entries, 'parakeet')
    expect(containerCommands(parakeet, 'restart', 20)).toEqual([
      {
        node: 'spark-2',
        argv: ['docker', 'restart', '-t', '20', 'parakeet-asr'],
        display: "'docker' 'restart' '-t' '20' 'parakeet-asr'",
      },
    ])
    expect(containerCommands(parakeet, 'start')[0]?.argv).toEqual(['docker', 'start', 'parakeet-asr'])
  })

  it('an unknown or hidden service is 404', () => {
    expect(() => findService(entries, 'nope')).toThrow(expect.objectContaining({ status: 404 }))
    expect(() => findService(entries, 'qdrant')).toThrow(expect.objectContaining({ status: 404 }))
  })

  it('refused (409) while a swap uses its node, or when its node is unknown; free otherwise', () => {
    const parakeet = findService(entries, 'parakeet')
    expect(refusalOf(parakeet, 'restart', ['spark-1'])).toBeNull()
    expect(refusalOf(parakeet, 'restart', ['spark-1', 'spark-2'])?.error).toMatchObject({
      status: 409,
      message: expect.stringMatching(/swap or stop is using spark-2/),
    })
    expect(refusalOf(findService(entries, 'lost'), 'restart', [])?.error).toMatchObject({ status: 409 })
  })
})
