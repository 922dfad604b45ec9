/**
 * Settings inferred from a model's `config.json` (and the sizes of its safetensors), for on-disk
 * models that no recipe launches yet (`needs_setup`). The file comes from a node's disk, so it is
 * treated as untrusted: parsed defensively, only typed values picked, strings clipped to a plain
 * charset. Multimodal configs keep the language model's numbers under `text_config`.
 */

export interface InferredSettings {
  architecture: string | null
  model_type: string | null
  /** From `max_position_embeddings` (what vLLM takes as `--max-model-len` by default). */
  max_model_len: number | null
  /** `torch_dtype` (or the newer `dtype`). */
  dtype: string | null
  /** `quantization_config.quant_method` (`fp8`, `mxfp4`, `awq`, …), with `bits` when given. */
  quantization: string | null
  /** Sum of the `*.safetensors` files of the snapshot. */
  weights_bytes: number | null
  weights_gib: number | null
  /** Why a field is missing (config.json unreadable, no safetensors, …). */
  notes: string[]
}

export interface SnapshotFile {
  name: string
  size: number
}

const MAX_CONFIG_BYTES = 256 * 1024
const PLAIN = /[^A-Za-z0-9_.:+/-]/g

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const word = (v: unknown): string | null => {
  if (typeof v !== 'string') return null
  const clean = v.replace(PLAIN, '').slice(0, 80)
  return clean === '' ? null : clean
}
const positiveInt = (v: unknown): number | null =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 100_000_000 ? v : null

export function weightsBytes(files: readonly SnapshotFile[]): number | null {
  const shards = files.filter((f) => /\.safetensors$/i.test(f.name))
  if (shards.length === 0) return null
  return shards.reduce((sum, f) => sum + f.size, 0)
}

function quantization(config: Obj, text: Obj): string | null {
  const q = isObj(config.quantization_config)
    ? config.quantization_config
    : isObj(text.quantization_config)
      ? text.quantization_config
      : null
  if (!q) return null
  const method = word(q.quant_method) ?? word(q.quant_algo) ?? 'quantized'
  const bits = positiveInt(q.bits)
  return bits && bits <= 64 ? `${method} (${bits}-bit)` : method
}

export function inferSettings(configText: string | null, files: readonly SnapshotFile[]): InferredSettings {
  const notes: string[] = []
  const bytes = weightsBytes(files)
  if (bytes === null) notes.push('no *.safetensors files in the snapshot: weights size unknown')
  const base: InferredSettings = {
    architecture: null,
    model_type: null,
    max_model_len: null,
    dtype: null,
    quantization: null,
    weights_bytes: bytes,
    weights_gib: bytes === null ? null : Math.round((bytes / 1024 ** 3) * 10) / 10,
    notes,
  }
  if (configText === null) {
    notes.push('config.json could not be read')
    return base
  }
  if (configText.length > MAX_CONFIG_BYTES) {
    notes.push('config.json is larger than 256 KiB; not read')
    return base
  }
  let config: unknown
  try {
    config = JSON.parse(configText)
  } catch {
    notes.push('config.json is not valid JSON')
    return base
  }
  if (!isObj(config)) {
    notes.push('config.json is not a JSON object')
    return base
  }
  const text = isObj(config.text_config) ? config.text_config : {}
  const architectures = Array.isArray(config.architectures) ? config.architectures : []
  const maxLen = positiveInt(config.max_position_embeddings) ?? positiveInt(text.max_position_embeddings)
  if (maxLen === null) notes.push('config.json has no max_position_embeddings: max_model_len unknown')
  return {
    ...base,
    architecture: word(architectures[0]),
    model_type: word(config.model_type),
    max_model_len: maxLen,
    dtype: word(config.torch_dtype) ?? word(config.dtype) ?? word(text.torch_dtype) ?? word(text.dtype),
    quantization: quantization(config, text),
  }
}
