import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSimRecipes, SIM_DEFAULT_RECIPE, SIM_RECIPES, simRecipeFrom } from './recipes.ts'

describe('the simulator`s recipes', () => {
  it('come from the repo`s recipes/ folder, every file usable', () => {
    const { recipes, problems } = loadSimRecipes()
    expect(problems).toEqual([])
    expect(Object.keys(recipes).sort()).toEqual(['glm-4.5-air', 'gpt-oss-120b', 'qwen3-coder-30b'])
    expect(SIM_RECIPES).toEqual(recipes)
  })

  it('preload a solo recipe that exists', () => {
    expect(SIM_RECIPES[SIM_DEFAULT_RECIPE]).toMatchObject({ soloOnly: true, clusterOnly: false })
  })

  it('take what eugr`s scripts need: model, served name, placement, per-node size, default port, image', () => {
    expect(SIM_RECIPES['glm-4.5-air']).toEqual({
      model: 'zai-org/GLM-4.5-Air-FP8',
      servedModelName: 'glm-4.5-air',
      soloOnly: false,
      clusterOnly: true,
      memGiB: 52.5,
      defaultPort: 8000,
      container: 'vllm-node',
    })
    expect(SIM_RECIPES['gpt-oss-120b']).toMatchObject({
      servedModelName: 'gpt-oss-120b',
      memGiB: 61,
      container: 'vllm-node-mxfp4',
    })
    expect(SIM_RECIPES['qwen3-coder-30b']).toMatchObject({
      servedModelName: 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8',
      memGiB: 31,
    })
  })

  it('fall back to what the command serves when `model` is absent', () => {
    const meta = simRecipeFrom(
      'name: x\ncontainer: vllm-node\ncommand: |\n  vllm serve org/plain \\\n    --port 8000\n',
    )
    expect(meta).toMatchObject({ model: 'org/plain', servedModelName: 'org/plain', memGiB: undefined })
  })

  it('skip files they cannot use, saying why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-recipes-'))
    try {
      await writeFile(
        join(dir, 'good.yaml'),
        'model: org/good\ncontainer: vllm-node\ncommand: vllm serve org/good\n',
      )
      await writeFile(join(dir, 'list.yaml'), '- a\n- b\n')
      await writeFile(join(dir, 'broken.yml'), 'model: [unclosed\n')
      const { recipes, problems } = loadSimRecipes(dir)
      expect(Object.keys(recipes)).toEqual(['good'])
      expect(problems).toEqual([expect.stringMatching(/^broken\.yml: /), 'list.yaml: not a YAML mapping'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
