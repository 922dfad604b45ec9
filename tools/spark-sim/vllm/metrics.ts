/**
 * Prometheus exposition in the shape vLLM's V1 engine serves (python prometheus_client text format):
 * `# HELP`/`# TYPE`, `_total` counters, `_bucket/_sum/_count` histograms, floats printed like Python
 * (`3.0`), labels `engine` and `model_name`. Both the new and the old metric names are emitted because
 * controllers in the field scrape builds of either age.
 */

// Bucket edges follow vLLM's own choices closely enough that p50/p95 from bucket deltas behave alike.
const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640,
  2560,
]
const ITL_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
]
const REQUEST_BUCKETS = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
]

/** Python's float repr for the values we produce: integers keep a `.0`. */
export const pyFloat = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n))

export class Histogram {
  readonly counts: number[]
  sum = 0
  count = 0

  constructor(readonly buckets: number[]) {
    this.counts = buckets.map(() => 0)
  }

  observe(value: number): void {
    this.sum += value
    this.count++
    this.buckets.forEach((edge, i) => {
      if (value <= edge) this.counts[i] = (this.counts[i] ?? 0) + 1
    })
  }
}

export type FinishReason = 'stop' | 'length' | 'abort'

export interface GaugeSnapshot {
  running: number
  waiting: number
  kvUsage: number
}

export class VllmMetrics {
  promptTokens = 0
  generationTokens = 0
  prefixQueries = 0
  prefixHits = 0
  readonly success: Record<FinishReason, number> = { stop: 0, length: 0, abort: 0 }
  readonly ttft = new Histogram(TTFT_BUCKETS)
  readonly itl = new Histogram(ITL_BUCKETS)
  readonly e2e = new Histogram(REQUEST_BUCKETS)
  readonly queue = new Histogram(REQUEST_BUCKETS)

  constructor(
    private readonly modelName: string,
    private readonly cacheInfo: { gpuMemoryUtilization: number; blockSize: number; numGpuBlocks: number },
  ) {}

  render(g: GaugeSnapshot): string {
    const base = `engine="0",model_name="${escapeLabel(this.modelName)}"`
    const out: string[] = []
    const gauge = (name: string, help: string, value: number) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}{${base}} ${pyFloat(value)}`)
    }
    const counter = (name: string, help: string, value: number) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name}{${base}} ${pyFloat(value)}`)
    }
    const histogram = (name: string, help: string, h: Histogram) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`)
      for (const [i, edge] of h.buckets.entries())
        out.push(`${name}_bucket{${base},le="${pyFloat(edge)}"} ${pyFloat(h.counts[i] ?? 0)}`)
      out.push(`${name}_bucket{${base},le="+Inf"} ${pyFloat(h.count)}`)
      out.push(`${name}_count{${base}} ${pyFloat(h.count)}`, `${name}_sum{${base}} ${pyFloat(round6(h.sum))}`)
    }
    gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', g.running)
    gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', g.waiting)
    gauge('vllm:kv_cache_usage_perc', 'KV-cache usage. 1 means 100 percent usage.', round6(g.kvUsage))
    gauge('vllm:gpu_cache_usage_perc', 'GPU KV-cache usage. 1 means 100 percent usage.', round6(g.kvUsage))
    counter('vllm:num_preemptions_total', 'Cumulative number of preemption from the engine.', 0)
    counter(
      'vllm:prefix_cache_queries_total',
      'Prefix cache queries, in terms of number of queried tokens.',
      this.prefixQueries,
    )
    counter(
      'vllm:prefix_cache_hits_total',
      'Prefix cache hits, in terms of number of cached tokens.',
      this.prefixHits,
    )
    counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', this.promptTokens)
    counter('vllm:generation_tokens_total', 'Number of generation tokens processed.', this.generationTokens)
    out.push(
      '# HELP vllm:request_success_total Count of successfully processed requests.',
      '# TYPE vllm:request_success_total counter',
    )
    for (const reason of ['stop', 'length', 'abort'] as const) {
      out.push(
        `vllm:request_success_total{${base},finished_reason="${reason}"} ${pyFloat(this.success[reason])}`,
      )
    }
    histogram('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', this.ttft)
    histogram('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', this.itl)
    histogram(
      'vllm:time_per_output_token_seconds',
      'Histogram of time per output token in seconds.',
      this.itl,
    )
    histogram('vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.', this.e2e)
    histogram(
      'vllm:request_queue_time_seconds',
      'Histogram of time spent in WAITING phase for request.',
      this.queue,
    )
    const c = this.cacheInfo
    out.push(
      '# HELP vllm:cache_config_info Information of the LLMEngine CacheConfig',
      '# TYPE vllm:cache_config_info gauge',
      `vllm:cache_config_info{block_size="${c.blockSize}",cache_dtype="auto",enable_prefix_caching="True",` +
        `engine="0",gpu_memory_utilization="${c.gpuMemoryUtilization}",num_gpu_blocks="${c.numGpuBlocks}"} 1.0`,
    )
    return `${out.join('\n')}\n`
  }
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6
const escapeLabel = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
