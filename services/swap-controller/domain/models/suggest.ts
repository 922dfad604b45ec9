/**
 * `GET /api/models/suggest`: autocomplete for the download box. The controller has no internet
 * access of its own (it may run on a LAN-only box), so suggestions come from what it knows: the
 * recipes' repos, what is on the Sparks' disks, custom cards, and a short built-in list of models
 * known to run well on a DGX Spark. Filtered by `q` (prefix matches first, then substrings), bounded.
 */
import { sameRepo } from './ids.ts'

export type SuggestionSource = 'recipe' | 'on_disk' | 'custom' | 'known'

export interface Suggestion {
  repo: string
  source: SuggestionSource
  on_disk: boolean
  note: string | null
}

/** Models reported to run on one or two Sparks (128 GB unified memory each); no gated repos. */
export const KNOWN_SPARK_MODELS: ReadonlyArray<{ repo: string; note: string }> = [
  { repo: 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8', note: 'coding MoE, ~31 GiB, one Spark' },
  { repo: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8', note: 'general MoE, ~31 GiB, one Spark' },
  { repo: 'Qwen/Qwen3-4B-Instruct-2507', note: 'small and fast, ~8 GiB' },
  { repo: 'Qwen/Qwen3-Next-80B-A3B-Instruct-FP8', note: 'long-context MoE, ~80 GiB, one Spark' },
  { repo: 'openai/gpt-oss-20b', note: 'MXFP4, ~13 GiB' },
  { repo: 'openai/gpt-oss-120b', note: 'MXFP4, ~61 GiB, one Spark' },
  { repo: 'zai-org/GLM-4.5-Air-FP8', note: '~105 GiB, two Sparks' },
  { repo: 'google/gemma-3-27b-it', note: 'multimodal, ~55 GiB (accept the licence on the Hub first)' },
  { repo: 'microsoft/Phi-4-mini-instruct', note: 'small, ~8 GiB' },
  { repo: 'mistralai/Mistral-Small-3.2-24B-Instruct-2506', note: '~48 GiB, one Spark' },
]

export interface SuggestInput {
  q: string
  limit: number
  recipes: readonly string[]
  onDisk: readonly string[]
  custom: readonly string[]
}

export const MAX_SUGGESTIONS = 50

export function suggest(input: SuggestInput): Suggestion[] {
  const q = input.q.trim().toLowerCase()
  const limit = Math.max(1, Math.min(MAX_SUGGESTIONS, input.limit))
  const onDisk = (repo: string) => input.onDisk.some((r) => sameRepo(r, repo))
  const pool: Suggestion[] = []
  const add = (repo: string, source: SuggestionSource, note: string | null) => {
    if (pool.some((s) => sameRepo(s.repo, repo))) return
    pool.push({ repo, source, on_disk: onDisk(repo), note })
  }
  for (const r of input.recipes) add(r, 'recipe', null)
  for (const r of input.onDisk) add(r, 'on_disk', null)
  for (const r of input.custom) add(r, 'custom', null)
  for (const k of KNOWN_SPARK_MODELS) add(k.repo, 'known', k.note)
  if (q === '') return pool.slice(0, limit)
  const lower = (s: Suggestion) => s.repo.toLowerCase()
  // `qwen3` should find `Qwen/Qwen3-…`: a prefix of the repo or of its name part ranks first.
  const prefix = pool.filter((s) => lower(s).startsWith(q) || (lower(s).split('/')[1] ?? '').startsWith(q))
  const inside = pool.filter((s) => !prefix.includes(s) && lower(s).includes(q))
  return [...prefix, ...inside].slice(0, limit)
}
