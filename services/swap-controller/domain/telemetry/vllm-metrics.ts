/**
 * vLLM's `/metrics` → what the dashboard shows, per `model_name`: requests running and waiting,
 * KV-cache use, prompt and generation tokens/s, TTFT and inter-token latency p50/p95. Rates and
 * quantiles need two scrapes (counter and bucket deltas over the time between them); the first
 * scrape after start or a restart has gauges only. Both generations of names are accepted
 * (docs/UPSTREAMS.md#vllm-metrics): the newer name wins when a build exports both.
 */
import { type Bucket, bucketDelta, histogramQuantile } from './histogram.ts'
import type { PromSample } from './prometheus.ts'

export interface VllmScrape {
  at_ms: number
  samples: PromSample[]
}

export interface LatencySummary {
  p50: number | null
  p95: number | null
}

export interface VllmModelMetrics {
  model_name: string
  running: number | null
  waiting: number | null
  /** 0–100 (vLLM exports 0–1). */
  kv_cache_pct: number | null
  prompt_tokens_per_s: number | null
  generation_tokens_per_s: number | null
  ttft_s: LatencySummary
  itl_s: LatencySummary
}

export const VLLM_METRIC_NAMES = {
  running: ['vllm:num_requests_running'],
  waiting: ['vllm:num_requests_waiting'],
  kvCache: ['vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc'],
  promptTokens: ['vllm:prompt_tokens_total'],
  generationTokens: ['vllm:generation_tokens_total'],
  ttft: ['vllm:time_to_first_token_seconds'],
  itl: ['vllm:inter_token_latency_seconds', 'vllm:time_per_output_token_seconds'],
} as const

const UNKNOWN_MODEL = 'unknown'

const modelOf = (s: PromSample) => s.labels.model_name ?? UNKNOWN_MODEL

/** Samples of the first name in `names` that this model exports (engines of one model summed). */
function pick(samples: readonly PromSample[], names: readonly string[], suffix = ''): PromSample[] {
  for (const name of names) {
    const found = samples.filter((s) => s.name === `${name}${suffix}`)
    if (found.length > 0) return found
  }
  return []
}

const sum = (samples: readonly PromSample[]) =>
  samples.length === 0 ? null : samples.reduce((a, s) => a + s.value, 0)
const mean = (samples: readonly PromSample[]) =>
  samples.length === 0 ? null : sum(samples)! / samples.length

function buckets(samples: readonly PromSample[], names: readonly string[]): Bucket[] | undefined {
  const found = pick(samples, names, '_bucket')
  if (found.length === 0) return undefined
  const byLe = new Map<number, number>()
  for (const s of found) {
    const le = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le)
    if (!Number.isNaN(le)) byLe.set(le, (byLe.get(le) ?? 0) + s.value)
  }
  return [...byLe].map(([le, count]) => ({ le, count })).sort((a, b) => a.le - b.le)
}

/** Per second between scrapes; a counter that went down restarted, so its whole value is new. */
function rate(current: number | null, previous: number | null, seconds: number): number | null {
  if (current === null || previous === null || seconds <= 0) return null
  const delta = current >= previous ? current - previous : current
  return Math.round((delta / seconds) * 10) / 10
}

function latency(
  current: Bucket[] | undefined,
  previous: Bucket[] | undefined,
  havePrevious: boolean,
): LatencySummary {
  if (!current || !havePrevious) return { p50: null, p95: null }
  const delta = bucketDelta(current, previous)
  const q = (x: number) => {
    const v = histogramQuantile(x, delta)
    return v === null ? null : Math.round(v * 10_000) / 10_000
  }
  return { p50: q(0.5), p95: q(0.95) }
}

function groupByModel(samples: readonly PromSample[]): Map<string, PromSample[]> {
  const groups = new Map<string, PromSample[]>()
  for (const s of samples) {
    if (!s.name.startsWith('vllm:')) continue
    const key = modelOf(s)
    const list = groups.get(key)
    if (list) list.push(s)
    else groups.set(key, [s])
  }
  // Info metrics such as cache_config_info carry no model_name; they are not a model.
  const unknown = groups.get(UNKNOWN_MODEL)
  if (unknown && !unknown.some((s) => s.name === VLLM_METRIC_NAMES.running[0])) groups.delete(UNKNOWN_MODEL)
  return groups
}

export function summarizeVllmMetrics(current: VllmScrape, previous?: VllmScrape): VllmModelMetrics[] {
  const seconds = previous ? (current.at_ms - previous.at_ms) / 1000 : 0
  const before = previous ? groupByModel(previous.samples) : new Map<string, PromSample[]>()
  const out: VllmModelMetrics[] = []
  for (const [model, samples] of groupByModel(current.samples)) {
    const old = before.get(model)
    const counter = (names: readonly string[], from: readonly PromSample[] | undefined) =>
      from ? sum(pick(from, names)) : null
    const kv = mean(pick(samples, VLLM_METRIC_NAMES.kvCache))
    out.push({
      model_name: model,
      running: sum(pick(samples, VLLM_METRIC_NAMES.running)),
      waiting: sum(pick(samples, VLLM_METRIC_NAMES.waiting)),
      kv_cache_pct: kv === null ? null : Math.round(kv * 10_000) / 100,
      prompt_tokens_per_s: rate(
        counter(VLLM_METRIC_NAMES.promptTokens, samples),
        counter(VLLM_METRIC_NAMES.promptTokens, old),
        seconds,
      ),
      generation_tokens_per_s: rate(
        counter(VLLM_METRIC_NAMES.generationTokens, samples),
        counter(VLLM_METRIC_NAMES.generationTokens, old),
        seconds,
      ),
      ttft_s: latency(
        buckets(samples, VLLM_METRIC_NAMES.ttft),
        old && buckets(old, VLLM_METRIC_NAMES.ttft),
        !!old && seconds > 0,
      ),
      itl_s: latency(
        buckets(samples, VLLM_METRIC_NAMES.itl),
        old && buckets(old, VLLM_METRIC_NAMES.itl),
        !!old && seconds > 0,
      ),
    })
  }
  return out
}
