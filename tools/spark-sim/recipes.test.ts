import { readdirSync, readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
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

  it('take only what eugr`s runner reads: model, placement, default port, image, command, defaults, env', () => {
    expect(SIM_RECIPES['glm-4.5-air']).toMatchObject({
      model: 'zai-org/GLM-4.5-Air-FP8',
      soloOnly: false,
      clusterOnly: true,
      defaultPort: 8000,
      container: 'vllm-node',
      template: {
        name: 'GLM-4.5-Air-FP8',
        defaults: { tensor_parallel: 2, served_model_name: 'glm-4.5-air' },
      },
    })
    expect(SIM_RECIPES['gpt-oss-120b']).toMatchObject({
      container: 'vllm-node-mxfp4',
      template: { env: { VLLM_USE_FLASHINFER_MOE_MXFP4_MXFP8: 1 } },
    })
    // Nothing of our override block: no alias, no size.
    for (const meta of Object.values(SIM_RECIPES)) {
      expect(meta.servedModelName).toBeUndefined()
      expect(meta.memGiB).toBeUndefined()
    }
  })

  it('fall back to what the command serves when `model` is absent', () => {
    const meta = simRecipeFrom(
      'name: x\ncontainer: vllm-node\ncommand: |\n  vllm serve org/plain \\\n    --port 8000\n',
    )
    expect(meta).toMatchObject({ model: 'org/plain' })
  })

  it('never read spark_control: no simulator source names it', () => {
    const root = fileURLToPath(new URL('.', import.meta.url))
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    )
    expect(sources.length).toBeGreaterThan(20)
    const naming = sources.filter((f) =>
      readFileSync(join(root, f), 'utf8').includes(['spark', 'control'].join('_')),
    )
    expect(naming).toEqual([])
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
