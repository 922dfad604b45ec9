/** config.json inference, download progress parsing, suggestions and the menu merge. */
import { describe, expect, it } from 'vitest'
import { GB10_NODE_MEMORY_BYTES } from '../catalog/memory.ts'
import type { Recipe } from '../catalog/types.ts'
import { createProgressFold, parseSegment, segmentsOf } from './download-progress.ts'
import { inferSettings } from './hf-config.ts'
import { buildMenu, type DiskView } from './menu.ts'
import { KNOWN_SPARK_MODELS, suggest } from './suggest.ts'

const shards = [
  { name: 'config.json', size: 900 },
  { name: 'model-00001-of-00002.safetensors', size: 4_000_000_000 },
  { name: 'model-00002-of-00002.safetensors', size: 1_368_709_120 },
]

describe('settings inferred from config.json', () => {
  it('reads architecture, context, dtype, quantization and the weights size', () => {
    const config = JSON.stringify({
      architectures: ['Qwen3MoeForCausalLM'],
      model_type: 'qwen3_moe',
      max_position_embeddings: 262144,
      torch_dtype: 'bfloat16',
      quantization_config: { quant_method: 'fp8', weight_block_size: [128, 128] },
    })
    expect(inferSettings(config, shards)).toEqual({
      architecture: 'Qwen3MoeForCausalLM',
      model_type: 'qwen3_moe',
      max_model_len: 262144,
      dtype: 'bfloat16',
      quantization: 'fp8',
      weights_bytes: 5_368_709_120,
      weights_gib: 5,
      notes: [],
    })
  })

  it('takes the language model of a multimodal config and bits of a quantized one', () => {
    const config = JSON.stringify({
      architectures: ['Gemma3ForConditionalGeneration'],
      text_config: { max_position_embeddings: 131072, torch_dtype: 'bfloat16' },
      quantization_config: { quant_method: 'awq', bits: 4 },
    })
    expect(inferSettings(config, [])).toMatchObject({
      max_model_len: 131072,
      dtype: 'bfloat16',
      quantization: 'awq (4-bit)',
      weights_bytes: null,
    })
  })

  it('never trusts the file: bad JSON, odd types and hostile strings are dropped with notes', () => {
    expect(inferSettings('{not json', shards).notes).toContain('config.json is not valid JSON')
    expect(inferSettings(null, shards).notes).toContain('config.json could not be read')
    expect(inferSettings('[1,2]', shards).architecture).toBeNull()
    const odd = inferSettings(
      JSON.stringify({ architectures: ['X$(reboot)`id`;'], max_position_embeddings: -5, torch_dtype: 42 }),
      shards,
    )
    expect(odd).toMatchObject({ architecture: 'Xrebootid', max_model_len: null, dtype: null })
    expect(inferSettings('x'.repeat(300 * 1024), shards).notes[0]).toMatch(/larger than 256 KiB/)
  })
})

describe('hf download progress', () => {
  it('parses the outer file count, per-file byte bars and the final snapshot path', () => {
    expect(parseSegment('Fetching 7 files:  57%|█████▋    | 4/7 [00:12<00:09,  3.02s/it]')).toEqual({
      kind: 'files',
      done: 4,
      total: 7,
    })
    expect(
      parseSegment('model-00001-of-00002.safetensors:  45%|████▌     | 2.24G/4.97G [00:31<00:38, 71.2MB/s]'),
    ).toEqual({
      kind: 'file',
      name: 'model-00001-of-00002.safetensors',
      percent: 45,
      bytes: 2_240_000_000,
      totalBytes: 4_970_000_000,
    })
    expect(parseSegment('/home/u/.cache/huggingface/hub/models--a--b/snapshots/0123abc')).toEqual({
      kind: 'done',
      path: '/home/u/.cache/huggingface/hub/models--a--b/snapshots/0123abc',
    })
    expect(
      parseSegment('Repository Not Found for url: https://huggingface.co/api/models/a/b/revision/main.')
        ?.kind,
    ).toBe('error')
    expect(parseSegment('Downloading the model')).toBeNull()
  })

  it('strips cursor escapes of stacked bars and folds redraws into one rising percentage', () => {
    const fold = createProgressFold()
    const lines = [
      'Fetching 2 files:   0%|          | 0/2 [00:00<?, ?it/s]',
      '\x1b[Amodel.safetensors:  50%|█████     | 2.00G/4.00G [00:02<00:02, 1.00GB/s]',
      'config.json: 100%|██████████| 900/900 [00:00<00:00, 1.2MB/s]',
      'Fetching 2 files:  50%|█████     | 1/2 [00:01<00:01, 1.0s/it]',
    ]
    const seen: number[] = []
    for (const l of lines)
      for (const s of segmentsOf(l)) {
        const e = parseSegment(s)
        if (e) fold.apply(e)
        seen.push(fold.state.percent)
      }
    expect(fold.state).toMatchObject({ files_done: 1, files_total: 2, bytes_downloaded: 2_000_000_900 })
    expect(fold.state.percent).toBe(75)
    fold.apply({ kind: 'done', path: '/x/snapshots/r' })
    expect(fold.state.percent).toBe(100)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
  })

  it('falls back to bytes when only an aggregate byte bar is drawn', () => {
    const fold = createProgressFold()
    const e = parseSegment(
      'Downloading (incomplete total...):  40%|████      | 4.00G/10.0G [00:40<01:00, 100MB/s]',
    )
    expect(e?.kind).toBe('file')
    fold.apply(e!)
    expect(fold.state).toMatchObject({ percent: 40, files_total: null, bytes_downloaded: 4e9 })
  })
})

describe('suggestions', () => {
  const base = {
    recipes: ['openai/gpt-oss-120b'],
    onDisk: ['Qwen/Qwen3-4B-Instruct-2507'],
    custom: ['me/my-ft'],
  }

  it('ranks prefix matches (of the repo or its name) before substrings, dedupes and bounds', () => {
    const r = suggest({ ...base, q: 'qwen3', limit: 50 })
    expect(r[0]).toEqual({
      repo: 'Qwen/Qwen3-4B-Instruct-2507',
      source: 'on_disk',
      on_disk: true,
      note: null,
    })
    expect(r.every((s) => s.repo.toLowerCase().includes('qwen3'))).toBe(true)
    expect(new Set(r.map((s) => s.repo.toLowerCase())).size).toBe(r.length)
    expect(
      suggest({ ...base, q: 'gpt', limit: 50 }).find((s) => s.repo === 'openai/gpt-oss-120b')?.source,
    ).toBe('recipe')
    expect(suggest({ ...base, q: '', limit: 3 })).toHaveLength(3)
    expect(suggest({ ...base, q: '', limit: 1000 }).length).toBeLessThanOrEqual(50)
    expect(suggest({ ...base, q: '$(id)', limit: 10 })).toEqual([])
    expect(KNOWN_SPARK_MODELS.length).toBeLessThanOrEqual(20)
  })
})

const recipe = (key: string, model: string, served = model): Recipe =>
  ({
    valid: true,
    key,
    file: `${key}.yaml`,
    name: key,
    model,
    localPath: null,
    servedModelName: served,
    modes: ['solo', 'cluster'],
    memoryNeedBytes: 1,
  }) as unknown as Recipe

describe('menu with disk discovery', () => {
  const settings = inferSettings('{"max_position_embeddings": 8192}', shards)
  const disk: DiskView = {
    models: [
      { repo: 'org/launched', nodes: ['spark-1', 'spark-2'], sizeBytes: 10, settings },
      { repo: 'org/unmatched', nodes: ['spark-2'], sizeBytes: 5_368_710_020, settings },
    ],
    failed: [],
  }

  it('marks recipes on disk, adds unmatched on-disk models and custom cards as needs_setup', () => {
    const custom = [
      {
        key: 'mine',
        name: 'Mine',
        repo: 'me/mine',
        local_path: null,
        served_model_name: 'me/mine',
        max_model_len: 4096,
        notes: null,
        created_at: '',
        created_by: 'api',
      },
    ]
    const menu = buildMenu({
      entries: [recipe('launched', 'ORG/Launched'), recipe('missing', 'org/missing')],
      custom,
      disk,
      loaded: ['org/unmatched'],
      nodeMemoryBytes: GB10_NODE_MEMORY_BYTES,
    })
    expect(menu.map((m) => [m.key, m.needs_setup, m.on_disk])).toEqual([
      ['launched', false, true],
      ['missing', false, false],
      ['mine', true, false],
      ['org--unmatched', true, true],
    ])
    const unmatched = menu[3]!
    expect(unmatched).toMatchObject({
      recipe: null,
      repo: 'org/unmatched',
      on_nodes: ['spark-2'],
      loaded: true,
      settings: { max_model_len: 8192 },
    })
    expect(unmatched.memory_need_bytes).toBeGreaterThan(0)
    expect(menu[0]).toMatchObject({ settings: null, on_nodes: ['spark-1', 'spark-2'], custom: false })
  })

  it('keeps on_disk null when no disk view is available', () => {
    const menu = buildMenu({
      entries: [recipe('a', 'org/a')],
      custom: [],
      disk: null,
      loaded: null,
      nodeMemoryBytes: GB10_NODE_MEMORY_BYTES,
    })
    expect(menu[0]).toMatchObject({ on_disk: null, on_nodes: null, loaded: false })
  })
})
