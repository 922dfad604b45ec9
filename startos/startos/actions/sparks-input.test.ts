import { describe, expect, it } from 'vitest'
import { ActionRefusal } from './result.ts'
import { ACTION_SAMPLES } from './samples.ts'
import { normaliseSparks, type SparkNodeInput, sparksPrefill } from './sparks-input.ts'

type Input = { nodes: SparkNodeInput[] }
const samples = ACTION_SAMPLES.configureSparks

describe('the Configure Sparks form', () => {
  it('is prefilled with spark-1 (head) and spark-2 (worker) until nodes are stored, then with them', () => {
    expect(sparksPrefill([])).toEqual({
      nodes: [
        { name: 'spark-1', ssh_port: 22, role: 'head' },
        { name: 'spark-2', ssh_port: 22, role: 'worker' },
      ],
    })
    const stored = [{ name: 'a', host: 'a.example', user: 'u', ssh_port: 2222, role: 'head' as const }]
    expect(sparksPrefill(stored)).toEqual({ nodes: stored })
  })

  it('stores every valid sample as the product reads SPARK_NODES, trimmed', () => {
    for (const sample of samples.valid) {
      const nodes = normaliseSparks(sample as Input)
      expect(nodes).toEqual((sample as Input).nodes)
    }
    const padded = {
      nodes: [{ name: ' spark-1 ', host: ' spark-1.example ', user: ' owner', ssh_port: 22, role: 'head' }],
    }
    expect(normaliseSparks(padded as Input)).toEqual([
      { name: 'spark-1', host: 'spark-1.example', user: 'owner', ssh_port: 22, role: 'head' },
    ])
  })

  it('refuses each refused sample with a sentence naming the Spark and the field', () => {
    const messages = samples.refused.map((sample) => {
      try {
        normaliseSparks(sample as Input)
      } catch (err) {
        expect(err).toBeInstanceOf(ActionRefusal)
        return (err as Error).message
      }
      throw new Error(`accepted ${JSON.stringify(sample)}`)
    })
    expect(messages).toEqual([
      'Add at least one Spark: the head that runs vLLM.',
      'The list needs exactly one node with role "head" (found 0).',
      'Spark 2 (spark-1), name: duplicate node name spark-1.',
      expect.stringMatching(/^Spark 1 \(spark-1\), host: expected a host name or IP address .*\.$/),
      expect.stringMatching(/^Spark 1 \(spark-1\), SSH user: must be a user name .*\.$/),
      expect.stringMatching(/^Spark 1 \(-rm\), name: must be .*starting with a letter or digit\.$/),
    ])
  })

  it('refuses more Sparks than the form takes', () => {
    const many = Array.from({ length: 17 }, (_, i) => ({
      name: `s${i}`,
      host: `s${i}.example`,
      user: 'owner',
      ssh_port: 22,
      role: i === 0 ? 'head' : 'worker',
    }))
    expect(() => normaliseSparks({ nodes: many } as Input)).toThrow('At most 16 Sparks can be configured.')
  })
})
