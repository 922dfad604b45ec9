/**
 * The Hugging Face side of the simulated cluster: a tiny "Hub" of models the simulated `hf
 * download` can fetch, and each node's cache (`~/.cache/huggingface/hub/models--org--name/…`)
 * with a config.json in the real shape and safetensors shards of plausible sizes. Shard contents
 * are never materialised: the file system reports their sizes only.
 */
import { createHash } from 'node:crypto'
import type { RecipeMeta } from './cluster.ts'

export interface HubFile {
  name: string
  size: number
  /** Only small text files carry content (config.json, tokenizer_config.json, …). */
  content?: string
}

export interface HubModel {
  repo: string
  revision: string
  files: HubFile[]
}

interface ModelFacts {
  architecture: string
  modelType: string
  maxPositions: number
  dtype: string
  quant?: Record<string, unknown>
  weightsGiB: number
}

const GIB = 1024 ** 3
/** What the real config.json files of these repos say (abridged). */
const KNOWN: Record<string, ModelFacts> = {
  'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8': {
    architecture: 'Qwen3MoeForCausalLM',
    modelType: 'qwen3_moe',
    maxPositions: 262_144,
    dtype: 'bfloat16',
    quant: { quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128] },
    weightsGiB: 30.5,
  },
  'openai/gpt-oss-120b': {
    architecture: 'GptOssForCausalLM',
    modelType: 'gpt_oss',
    maxPositions: 131_072,
    dtype: 'bfloat16',
    quant: { quant_method: 'mxfp4', modules_to_not_convert: ['model.layers.*.self_attn', 'lm_head'] },
    weightsGiB: 60.8,
  },
  'openai/gpt-oss-20b': {
    architecture: 'GptOssForCausalLM',
    modelType: 'gpt_oss',
    maxPositions: 131_072,
    dtype: 'bfloat16',
    quant: { quant_method: 'mxfp4' },
    weightsGiB: 12.8,
  },
  'zai-org/GLM-4.5-Air-FP8': {
    architecture: 'Glm4MoeForCausalLM',
    modelType: 'glm4_moe',
    maxPositions: 131_072,
    dtype: 'bfloat16',
    quant: { quant_method: 'fp8', fmt: 'e4m3', weight_block_size: [128, 128] },
    weightsGiB: 104.6,
  },
  'Qwen/Qwen3-4B-Instruct-2507': {
    architecture: 'Qwen3ForCausalLM',
    modelType: 'qwen3',
    maxPositions: 262_144,
    dtype: 'bfloat16',
    weightsGiB: 7.5,
  },
  'microsoft/Phi-4-mini-instruct': {
    architecture: 'Phi3ForCausalLM',
    modelType: 'phi3',
    maxPositions: 131_072,
    dtype: 'bfloat16',
    weightsGiB: 7.2,
  },
  'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8': {
    architecture: 'Qwen3MoeForCausalLM',
    modelType: 'qwen3_moe',
    maxPositions: 262_144,
    dtype: 'bfloat16',
    quant: { quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128] },
    weightsGiB: 30.5,
  },
  'Qwen/Qwen3-Next-80B-A3B-Instruct-FP8': {
    architecture: 'Qwen3NextForCausalLM',
    modelType: 'qwen3_next',
    maxPositions: 262_144,
    dtype: 'bfloat16',
    quant: { quant_method: 'fp8', fmt: 'e4m3', activation_scheme: 'dynamic', weight_block_size: [128, 128] },
    weightsGiB: 76.5,
  },
  'google/gemma-3-27b-it': {
    architecture: 'Gemma3ForConditionalGeneration',
    modelType: 'gemma3',
    maxPositions: 131_072,
    dtype: 'bfloat16',
    weightsGiB: 51.4,
  },
  'mistralai/Mistral-Small-3.2-24B-Instruct-2506': {
    architecture: 'Mistral3ForConditionalGeneration',
    modelType: 'mistral3',
    maxPositions: 131_072,
    dtype: 'bfloat16',
    weightsGiB: 44.7,
  },
}

/** On disk at start-up in the demo with no recipe launching it: the menu shows it as `needs_setup`. */
export const SIM_UNRECIPED_MODEL = 'Qwen/Qwen3-4B-Instruct-2507'
/** On the simulated Hub but on no node: what the demo downloads. */
export const SIM_DOWNLOADABLE_MODEL = 'microsoft/Phi-4-mini-instruct'

const SHARD_BYTES = 4.9e9

function configJson(f: ModelFacts): string {
  const config: Record<string, unknown> = {
    architectures: [f.architecture],
    model_type: f.modelType,
    max_position_embeddings: f.maxPositions,
    torch_dtype: f.dtype,
    hidden_size: 4096,
    num_hidden_layers: 48,
    num_attention_heads: 32,
    vocab_size: 151_936,
    transformers_version: '4.55.0',
  }
  if (f.quant) config.quantization_config = f.quant
  return `${JSON.stringify(config, null, 2)}\n`
}

/** The architecture a launched model's log names (its config.json's `architectures[0]`). */
export const architectureOf = (repo: string): string => factsFor(repo).architecture

function factsFor(repo: string, recipe?: RecipeMeta): ModelFacts {
  return (
    KNOWN[repo] ?? {
      architecture: 'LlamaForCausalLM',
      modelType: 'llama',
      maxPositions: 32_768,
      dtype: 'bfloat16',
      // A recipe's per-node footprint is weights plus KV cache; the weights are about 62 % of it.
      weightsGiB: Math.round((recipe?.memGiB ?? 20) * 0.62 * 10) / 10,
    }
  )
}

/** The snapshot the simulated Hub serves for `repo`. */
export function hubModel(repo: string, recipe?: RecipeMeta): HubModel {
  const facts = factsFor(repo, recipe)
  const revision = createHash('sha1').update(repo).digest('hex')
  const total = Math.round(facts.weightsGiB * GIB)
  const shards = Math.max(1, Math.ceil(total / SHARD_BYTES))
  const pad = (n: number) => String(n).padStart(5, '0')
  const files: HubFile[] = []
  const text = (name: string, content: string) =>
    files.push({ name, size: Buffer.byteLength(content), content })
  text('config.json', configJson(facts))
  text('generation_config.json', '{\n  "do_sample": true,\n  "temperature": 0.7,\n  "top_p": 0.8\n}\n')
  text('tokenizer_config.json', '{\n  "model_max_length": 131072,\n  "padding_side": "left"\n}\n')
  files.push({ name: 'tokenizer.json', size: 11_422_654 })
  for (let i = 1; i <= shards; i++) {
    const size = i < shards ? Math.round(total / shards) : total - Math.round(total / shards) * (shards - 1)
    files.push({
      name: shards === 1 ? 'model.safetensors' : `model-${pad(i)}-of-${pad(shards)}.safetensors`,
      size,
    })
  }
  if (shards > 1)
    text('model.safetensors.index.json', `{\n  "metadata": {\n    "total_size": ${total}\n  }\n}\n`)
  return { repo, revision, files }
}

/** Whether the simulated Hub has `repo`: the known models and every recipe's model. */
export function onSimHub(repo: string, recipes: Record<string, RecipeMeta>): HubModel | null {
  const recipe = Object.values(recipes).find((r) => r.model === repo)
  return KNOWN[repo] || recipe ? hubModel(repo, recipe) : null
}
