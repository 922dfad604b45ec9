/**
 * The models the simulated cluster knows how to "load": metadata of eugr-style recipes (the
 * simulator does not parse recipe YAML; the controller's catalog does). Model ids are public
 * Hugging Face names; sizes are rough per-node footprints in GiB of unified memory.
 */
import type { RecipeMeta } from './cluster/index.ts'

export const SIM_RECIPES: Record<string, RecipeMeta> = {
  'qwen3-coder-30b': {
    model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8',
    servedModelName: 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8',
    soloOnly: true,
    memGiB: 38,
  },
  'gpt-oss-120b': { model: 'openai/gpt-oss-120b', servedModelName: 'openai/gpt-oss-120b', memGiB: 70 },
  'glm-4.5-air': {
    model: 'zai-org/GLM-4.5-Air-FP8',
    servedModelName: 'zai-org/GLM-4.5-Air-FP8',
    clusterOnly: true,
    memGiB: 60,
  },
}

export const SIM_DEFAULT_RECIPE = 'qwen3-coder-30b'
