import { describe, expect, it } from 'vitest'
import { VllmMetrics } from '../../../../tools/spark-sim/vllm/metrics.ts'
import { BoundedQueue } from './bounded-queue.ts'
import { bucketDelta, histogramQuantile } from './histogram.ts'
import { NODE_SAMPLE_KEYS, nodeSample, toColumns, vllmSample } from './history.ts'
import {
  decodeThrottleReasons,
  diskArgv,
  gpuTelemetryArgv,
  isUnknownFieldError,
  parseDf,
  parseGpuTelemetry,
} from './node.ts'
import { parsePrometheusText } from './prometheus.ts'
import { RingBuffer } from './ring-buffer.ts'
import { summarizeVllmMetrics } from './vllm-metrics.ts'

describe('parsePrometheusText', () => {
  it('reads samples with labels, escapes, special values and timestamps; skips comments and junk', () => {
    const text = [
      '# HELP vllm:num_requests_running Number of requests.',
      '# TYPE vllm:num_requests_running gauge',
      'vllm:num_requests_running{engine="0",model_name="org/m"} 3.0',
      'odd{label="a \\"quoted\\" \\\\ value\\nnext"} +Inf 1712345678000',
      'plain 4e-3',
      'nan_metric NaN',
      'broken{label="unterminated} 1',
      'no_value{a="b"}',
      '{} 1',
    ].join('\n')
    const samples = parsePrometheusText(text)
    expect(samples.map((s) => s.name)).toEqual(['vllm:num_requests_running', 'odd', 'plain', 'nan_metric'])
    expect(samples[0]).toEqual({
      name: 'vllm:num_requests_running',
      labels: { engine: '0', model_name: 'org/m' },
      value: 3,
    })
    expect(samples[1]!.labels.label).toBe('a "quoted" \\ value\nnext')
    expect(samples[1]!.value).toBe(Number.POSITIVE_INFINITY)
    expect(samples[2]!.value).toBe(0.004)
  })
})

describe('histogramQuantile', () => {
  const b = (pairs: Array<[number, number]>) => pairs.map(([le, count]) => ({ le, count }))

  it('interpolates inside the bucket holding the rank', () => {
    const buckets = b([
      [0.1, 10],
      [0.5, 90],
      [1, 100],
      [Infinity, 100],
    ])
    expect(histogramQuantile(0.5, buckets)).toBeCloseTo(0.3)
    expect(histogramQuantile(0.95, buckets)).toBeCloseTo(0.75)
    expect(histogramQuantile(0.05, buckets)).toBeCloseTo(0.05)
  })

  it('answers the last finite bound past it, null without observations', () => {
    expect(
      histogramQuantile(
        0.99,
        b([
          [1, 1],
          [Infinity, 10],
        ]),
      ),
    ).toBe(1)
    expect(
      histogramQuantile(
        0.5,
        b([
          [1, 0],
          [Infinity, 0],
        ]),
      ),
    ).toBeNull()
    expect(histogramQuantile(0.5, b([[1, 3]]))).toBeNull()
  })

  it('takes deltas between scrapes, and the whole value after a reset', () => {
    const before = b([
      [1, 5],
      [Infinity, 8],
    ])
    expect(
      bucketDelta(
        b([
          [1, 7],
          [Infinity, 12],
        ]),
        before,
      ),
    ).toEqual(
      b([
        [1, 2],
        [Infinity, 4],
      ]),
    )
    expect(
      bucketDelta(
        b([
          [1, 1],
          [Infinity, 1],
        ]),
        before,
      ),
    ).toEqual(
      b([
        [1, 1],
        [Infinity, 1],
      ]),
    )
  })
})

/** The simulator renders vLLM's real exposition (new and old names side by side). */
function simScrape(metrics: VllmMetrics, atMs: number, gauges = { running: 2, waiting: 1, kvUsage: 0.4213 }) {
  return { at_ms: atMs, samples: parsePrometheusText(metrics.render(gauges)) }
}

describe('summarizeVllmMetrics', () => {
  it('reads gauges at once and rates and latencies from the second scrape on', () => {
    const m = new VllmMetrics('Qwen/Qwen3-8B', {
      gpuMemoryUtilization: 0.7,
      blockSize: 16,
      numGpuBlocks: 1000,
    })
    const first = simScrape(m, 0)
    expect(summarizeVllmMetrics(first)).toEqual([
      {
        model_name: 'Qwen/Qwen3-8B',
        running: 2,
        waiting: 1,
        kv_cache_pct: 42.13,
        prompt_tokens_per_s: null,
        generation_tokens_per_s: null,
        ttft_s: { p50: null, p95: null },
        itl_s: { p50: null, p95: null },
      },
    ])
    m.promptTokens += 400
    m.generationTokens += 100
    for (let i = 0; i < 20; i++) m.ttft.observe(i < 17 ? 0.03 : 0.7)
    for (let i = 0; i < 100; i++) m.itl.observe(0.02)
    const [second] = summarizeVllmMetrics(simScrape(m, 2000), first)
    expect(second).toMatchObject({ prompt_tokens_per_s: 200, generation_tokens_per_s: 50 })
    expect(second!.ttft_s.p50).toBeGreaterThan(0.02)
    expect(second!.ttft_s.p50).toBeLessThanOrEqual(0.04)
    expect(second!.ttft_s.p95).toBeGreaterThan(0.5)
    expect(second!.itl_s.p50).toBeGreaterThan(0.01)
    expect(second!.itl_s.p50).toBeLessThanOrEqual(0.025)
  })

  it('treats a counter that went down as a restart (the new value is all new)', () => {
    const old = new VllmMetrics('m', { gpuMemoryUtilization: 0.7, blockSize: 16, numGpuBlocks: 1 })
    old.generationTokens = 10_000
    const fresh = new VllmMetrics('m', { gpuMemoryUtilization: 0.7, blockSize: 16, numGpuBlocks: 1 })
    fresh.generationTokens = 30
    const [s] = summarizeVllmMetrics(simScrape(fresh, 3000), simScrape(old, 0))
    expect(s!.generation_tokens_per_s).toBe(10)
  })

  it('accepts the older names alone and keeps models apart', () => {
    const old = (model: string, kv: number, tokens: number, itl: [number, number]) =>
      [
        `vllm:num_requests_running{model_name="${model}"} 1.0`,
        `vllm:num_requests_waiting{model_name="${model}"} 0.0`,
        `vllm:gpu_cache_usage_perc{model_name="${model}"} ${kv}`,
        `vllm:generation_tokens_total{model_name="${model}"} ${tokens}`,
        `vllm:time_per_output_token_seconds_bucket{le="0.05",model_name="${model}"} ${itl[0]}`,
        `vllm:time_per_output_token_seconds_bucket{le="+Inf",model_name="${model}"} ${itl[1]}`,
      ].join('\n')
    const a = {
      at_ms: 0,
      samples: parsePrometheusText(`${old('a', 0.1, 0, [0, 0])}\n${old('b', 0.5, 0, [0, 0])}`),
    }
    const b = {
      at_ms: 1000,
      samples: parsePrometheusText(`${old('a', 0.1, 5, [10, 10])}\n${old('b', 0.5, 9, [0, 4])}`),
    }
    const [ma, mb] = summarizeVllmMetrics(b, a)
    expect(ma).toMatchObject({
      model_name: 'a',
      kv_cache_pct: 10,
      generation_tokens_per_s: 5,
      prompt_tokens_per_s: null,
    })
    expect(ma!.itl_s.p50).toBeCloseTo(0.025)
    expect(mb).toMatchObject({
      model_name: 'b',
      kv_cache_pct: 50,
      generation_tokens_per_s: 9,
      itl_s: { p50: 0.05, p95: 0.05 },
    })
    expect(vllmSample(1000, [ma!, mb!])).toMatchObject({
      running: 2,
      kv_cache_pct: 50,
      generation_tokens_per_s: 14,
    })
  })
})

describe('node readings', () => {
  it('decodes throttle reasons into words, [N/A] into null', () => {
    expect(decodeThrottleReasons('0x0000000000000000')).toEqual([])
    expect(decodeThrottleReasons('0x0000000000000001')).toEqual(['gpu_idle'])
    expect(decodeThrottleReasons('0x0000000000000024')).toEqual(['sw_power_cap', 'sw_thermal_slowdown'])
    expect(decodeThrottleReasons('0x0000000000001008')).toEqual(['hw_slowdown', 'unknown_0x1000'])
    for (const raw of ['[N/A]', '[Not Supported]', '', 'Active', undefined]) {
      expect(decodeThrottleReasons(raw)).toBeNull()
    }
  })

  it('parses the GB10 GPU line with or without the throttle field', () => {
    expect(parseGpuTelemetry('96, 71, 48.27, 2405, 0x0000000000000040\n', true)).toEqual({
      utilization_pct: 96,
      temperature_c: 71,
      power_w: 48.27,
      sm_clock_mhz: 2405,
      throttle_reasons: ['hw_thermal_slowdown'],
    })
    expect(parseGpuTelemetry('[N/A], 40, [N/A], 208\n', false)).toMatchObject({
      utilization_pct: null,
      throttle_reasons: null,
    })
    expect(parseGpuTelemetry('No devices were found\n', true)).toBeNull()
  })

  it('asks nvidia-smi in the C locale for the new field name first, and spots the unknown-field error', () => {
    expect(gpuTelemetryArgv('clocks_event_reasons.active')).toEqual([
      'env',
      'LC_ALL=C',
      'nvidia-smi',
      '--query-gpu=utilization.gpu,temperature.gpu,power.draw,clocks.sm,clocks_event_reasons.active',
      '--format=csv,noheader,nounits',
    ])
    expect(gpuTelemetryArgv(null)[3]).toBe('--query-gpu=utilization.gpu,temperature.gpu,power.draw,clocks.sm')
    expect(isUnknownFieldError('Field "clocks_event_reasons.active" is not a valid field to query.\n')).toBe(
      true,
    )
  })

  it('parses df -P -B1, long device names included', () => {
    const text =
      'Filesystem                 1-blocks         Used    Available Capacity Mounted on\n' +
      '/dev/mapper/ubuntu--vg-ubuntu--lv 3936878592000 472425431040 3264429162496      13% /\n'
    expect(parseDf(text, '/home/u/.cache/huggingface')).toEqual({
      path: '/home/u/.cache/huggingface',
      total_bytes: 3936878592000,
      used_bytes: 472425431040,
      available_bytes: 3264429162496,
      used_pct: 13,
    })
    expect(parseDf('df: /x: No such file or directory\n', '/x')).toBeNull()
    expect(diskArgv('/x')).toEqual(['df', '-P', '-B1', '/x'])
  })
})

describe('RingBuffer and history columns', () => {
  it('keeps the newest entries, oldest first', () => {
    const ring = new RingBuffer<number>(3)
    expect(ring.toArray()).toEqual([])
    expect(ring.latest()).toBeUndefined()
    for (let i = 1; i <= 5; i++) ring.push(i)
    expect(ring.toArray()).toEqual([3, 4, 5])
    expect(ring.toArray(2)).toEqual([4, 5])
    expect(ring.toArray(0)).toEqual([])
    expect(ring.latest()).toBe(5)
    expect(ring.size).toBe(3)
    ring.clear()
    expect(ring.size).toBe(0)
    expect(() => new RingBuffer(0)).toThrow(RangeError)
  })

  it('turns samples into one array per series', () => {
    const samples = [
      nodeSample(1, null, null),
      nodeSample(
        2,
        {
          utilization_pct: 5,
          temperature_c: 40,
          power_w: 4,
          sm_clock_mhz: 200,
          throttle_reasons: [],
        },
        null,
      ),
    ]
    const cols = toColumns(samples, NODE_SAMPLE_KEYS)
    expect(cols.at_ms).toEqual([1, 2])
    expect(cols.gpu_util_pct).toEqual([null, 5])
    expect(cols.memory_available_bytes).toEqual([null, null])
  })
})

describe('BoundedQueue', () => {
  it('hands items over in order, drops the oldest when full and says how many', async () => {
    const q = new BoundedQueue<number>(2)
    for (const n of [1, 2, 3]) q.push(n)
    expect(await q.take(10)).toEqual({ kind: 'item', item: 2, dropped: 1 })
    expect(await q.take(10)).toEqual({ kind: 'item', item: 3, dropped: 0 })
    expect(await q.take(10)).toEqual({ kind: 'idle' })
    // A take already waiting gets the next push, or hears the close.
    const waiting = q.take(1000)
    q.push(4)
    expect(await waiting).toEqual({ kind: 'item', item: 4, dropped: 0 })
    const closing = q.take(1000)
    q.close()
    expect(await closing).toEqual({ kind: 'closed' })
  })
})
