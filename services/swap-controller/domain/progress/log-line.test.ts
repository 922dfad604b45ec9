import { describe, expect, it } from 'vitest'
import {
  engineDeath,
  noFreeMemory,
  oomTraceback,
  VllmLog,
} from '../../../../tools/spark-sim/vllm/log-lines.ts'
import { simStartupLines } from './fixtures/sim-startup.ts'
import { parseLogLine, rayWorkerOf } from './log-line.ts'

const api = (msg: string) => `(APIServer pid=1) INFO 04-18 10:00:00 [api_server.py:1896] ${msg}`
const core = (msg: string) => `(EngineCore_DP0 pid=312) INFO 04-18 10:00:05 [gpu_model_runner.py:2602] ${msg}`

/** Real vLLM wording (V1 0.10–0.11, older V0 0.8), written by hand: docs/UPSTREAMS.md#vllm-start-up-log. */
const REAL: Array<[string, string | null, number?]> = [
  [api('vLLM API server version 0.11.0'), 'engine-init'],
  [
    api(
      "non-default args: {'model_tag': 'Qwen/Qwen3-30B-A3B-FP8', 'port': 8888, 'gpu_memory_utilization': 0.7}",
    ),
    'engine-init',
  ],
  ['INFO 03-01 10:00:00 [api_server.py:1043] vLLM API server version 0.8.5', 'engine-init'],
  [core('No current placement group found. Creating a new placement group.'), 'engine-init'],
  [core('Starting to load model Qwen/Qwen3-30B-A3B-FP8...'), 'loading-weights'],
  ['Loading safetensors checkpoint shards:   0% Completed | 0/4 [00:00<?, ?it/s]', 'loading-weights', 0],
  [
    'Loading safetensors checkpoint shards:  25% Completed | 1/4 [00:02<00:07,  2.43s/it]',
    'loading-weights',
    25,
  ],
  [
    'Loading safetensors using Fastsafetensor loader:  33% Completed | 14/42 [00:41<01:23,  2.98s/it]',
    'loading-weights',
    33.3,
  ],
  [
    'Loading safetensors using Runai Model Streamer: 100% Completed | 435/435 [00:09<00:00, 44.1it/s]',
    'loading-weights',
    100,
  ],
  [core('Loading weights took 9.81 seconds'), 'weights-loaded'],
  [core('Model loading took 29.0380 GiB and 10.658 seconds'), 'weights-loaded'],
  [
    'INFO 03-01 10:00:09 [model_runner.py:1140] Model loading took 14.9889 GiB memory and 3.5 seconds',
    'weights-loaded',
  ],
  [
    core(
      "Using cache directory: /root/.cache/vllm/torch_compile_cache/ab12/rank_0_0/backbone for vLLM's torch.compile",
    ),
    'compiling',
  ],
  [core('Dynamo bytecode transform time: 7.12 s'), 'compiling'],
  [core('Directly load the compiled graph(s) for dynamic shape from the cache, took 2.110 s'), 'compiling'],
  [core('torch.compile takes 9.23 s in total'), 'compiling'],
  [core('Available KV cache memory: 57.62 GiB'), 'kv-cache'],
  [core('GPU KV cache size: 629,376 tokens'), 'kv-cache'],
  [core('Maximum concurrency for 32,768 tokens per request: 19.21x'), 'kv-cache'],
  ['INFO 03-01 10:00:20 [executor_base.py:112] # GPU blocks: 2048, # CPU blocks: 512', 'kv-cache'],
  [
    'Capturing CUDA graphs (mixed prefill-decode, PIECEWISE): 100%|██████████| 67/67 [00:04<00:00, 14.52it/s]',
    'cuda-graphs',
    100,
  ],
  [
    'Capturing CUDA graphs (decode, FULL):  51%|█████▏    | 18/35 [00:01<00:01, 15.10it/s]',
    'cuda-graphs',
    51,
  ],
  ['Capturing CUDA graph shapes:  40%|████      | 14/35 [00:05<00:07,  2.73it/s]', 'cuda-graphs', 40],
  [core('Graph capturing finished in 7 secs, took 0.84 GiB'), 'cuda-graphs', 100],
  [core('init engine (profile, create kv cache, warmup model) took 35.71 seconds'), 'api-starting'],
  [api('Starting vLLM API server 0 on http://0.0.0.0:8888'), 'api-starting'],
  [
    'INFO 03-01 10:00:40 [api_server.py:1090] Starting vLLM API server on http://0.0.0.0:8000',
    'api-starting',
  ],
  ['(APIServer pid=1) INFO:     Started server process [1]', 'api-starting'],
  ['(APIServer pid=1) INFO:     Application startup complete.', 'ready'],
  ['\x1b[32mINFO\x1b[0m:     Application startup complete.', 'ready'],
  ['2026-04-18 10:00:00,000\tINFO worker.py:1917 -- Started a local Ray instance.', 'container'],
  [
    api(
      'Engine 000: Avg prompt throughput: 0.0 tokens/s, Avg generation throughput: 12.1 tokens/s, Running: 1 reqs',
    ),
    null,
  ],
  [api('Route: /v1/chat/completions, Methods: POST'), null],
  ['', null],
]

const FAILS: Array<[string, string]> = [
  [
    'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 119.70 GiB',
    'oom',
  ],
  [
    'ValueError: Free memory on device (30.1/119.7 GiB) on startup is less than desired GPU memory utilization (0.9, 107.7 GiB).',
    'not-enough-memory',
  ],
  [
    "ValueError: To serve at least one request with the models's max seq len (262144), (24.00 GiB KV cache is needed, which is larger than the available KV cache memory (10.16 GiB).",
    'not-enough-memory',
  ],
  ['OSError: [Errno 98] Address already in use', 'port-in-use'],
  [
    "ERROR: [Errno 98] error while attempting to bind on address ('0.0.0.0', 8888): address already in use",
    'port-in-use',
  ],
  [
    'vllm.v1.engine.exceptions.EngineDeadError: EngineCore encountered an issue. See stack trace (above) for the root cause.',
    'engine-dead',
  ],
  [
    "RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {'EngineCore_DP0': 1}",
    'engine-dead',
  ],
  [
    '(EngineCore_DP0 pid=3) ERROR [ray_distributed_executor.py:410] RayWorkerProc rank=1 (pid=77, ip=192.0.2.11) died unexpectedly',
    'engine-dead',
  ],
  ['Traceback (most recent call last):', 'crash'],
  ['safetensors_rust.SafetensorError: Error while deserializing header: MetadataIncompleteBuffer', 'crash'],
  ['RuntimeError: CUDA error: unspecified launch failure', 'crash'],
  ['vllm serve exited with code 1', 'crash'],
]

describe('parseLogLine on real vLLM wording', () => {
  it.each(REAL)('%s', (line, phase, percent) => {
    const event = parseLogLine(line)
    if (phase === null) return expect(event).toBeNull()
    expect(event).toMatchObject({ kind: 'milestone', phase })
    if (percent !== undefined) expect(event && 'percent' in event ? event.percent : undefined).toBe(percent)
  })

  it.each(FAILS)('failure: %s', (line, failure) => {
    expect(parseLogLine(`(EngineCore_DP0 pid=312) ERROR 04-18 10:01:00 [core.py:708] ${line}`)).toMatchObject(
      { kind: 'failure', failure },
    )
  })

  it('keeps details short and without the log header', () => {
    const event = parseLogLine(core(`Model loading took 29.0380 GiB and 10.658 seconds ${'x'.repeat(500)}`))
    expect(event?.kind === 'milestone' && event.detail?.startsWith('Model loading took 29.0380 GiB')).toBe(
      true,
    )
    expect(event && 'detail' in event ? event.detail!.length : 0).toBeLessThanOrEqual(241)
  })

  it('never lets a configuration echo look like a later phase or a failure', () => {
    const echo = api(
      "non-default args: {'served_model_name': ['Application startup complete'], 'enforce_eager': True}",
    )
    expect(parseLogLine(echo)).toMatchObject({ kind: 'milestone', phase: 'engine-init' })
  })

  it('names the Ray worker that printed a forwarded line', () => {
    expect(rayWorkerOf('(EngineCore_DP0 pid=3) (RayWorkerWrapper pid=412, ip=192.0.2.11) INFO x')).toBe(
      '192.0.2.11',
    )
    expect(rayWorkerOf(core('Loading weights took 1 seconds'))).toBeNull()
  })
})

describe('parseLogLine on the simulator', () => {
  it('sees every phase of a start-up, in order', () => {
    const phases = simStartupLines()
      .map(parseLogLine)
      .flatMap((e) => (e?.kind === 'milestone' ? [e.phase] : []))
    const distinct = phases.filter((p, i) => p !== phases[i - 1])
    expect(distinct).toEqual([
      'engine-init',
      'loading-weights',
      'weights-loaded',
      'compiling',
      'kv-cache',
      'cuda-graphs',
      'api-starting',
      'ready',
    ])
    expect(simStartupLines().some((l) => parseLogLine(l)?.kind === 'failure')).toBe(false)
  })

  it('recognises its OOM, memory-check and engine-death output', () => {
    const kinds = (write: (log: VllmLog) => void) => {
      const lines: string[] = []
      write(
        new VllmLog({ apiPid: 1, corePid: 2, workers: [{ pid: 3, ip: '192.0.2.11' }] }, (l) => lines.push(l)),
      )
      return new Set(lines.map(parseLogLine).flatMap((e) => (e?.kind === 'failure' ? [e.failure] : [])))
    }
    expect(kinds((log) => oomTraceback(log, 2, 119.7, 1.2))).toContain('oom')
    expect(kinds((log) => noFreeMemory(log, 30, 119.7, 0.9, 107))).toContain('not-enough-memory')
    expect(kinds((log) => engineDeath(log))).toEqual(new Set(['engine-dead', 'crash']))
  })
})
