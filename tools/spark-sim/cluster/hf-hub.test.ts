import { describe, expect, it } from 'vitest'
import { KNOWN_SPARK_MODELS } from '../../../services/swap-controller/domain/models/suggest.ts'
import { SIM_RECIPES } from '../recipes.ts'
import { architectureOf, onSimHub } from './hf-hub.ts'

describe('the simulated Hub', () => {
  it('has every model the download box suggests, so each suggestion downloads in the demo', () => {
    const missing = KNOWN_SPARK_MODELS.map((m) => m.repo).filter(
      (repo) => onSimHub(repo, SIM_RECIPES) === null,
    )
    expect(missing).toEqual([])
  })

  it('has no other repo: an unknown one is "Repository Not Found", as on the real Hub', () => {
    expect(onSimHub('someone/not-a-model', SIM_RECIPES)).toBeNull()
  })

  it('names the architecture a launched model logs after its config.json', () => {
    expect(architectureOf('openai/gpt-oss-120b')).toBe('GptOssForCausalLM')
    expect(architectureOf('zai-org/GLM-4.5-Air-FP8')).toBe('Glm4MoeForCausalLM')
    const config = JSON.parse(
      onSimHub('openai/gpt-oss-120b', SIM_RECIPES)!.files.find((f) => f.name === 'config.json')!.content!,
    )
    expect(config.architectures).toEqual([architectureOf('openai/gpt-oss-120b')])
  })
})
