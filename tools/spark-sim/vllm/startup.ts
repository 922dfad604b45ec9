/**
 * The start-up timeline of a vLLM V1 server, scaled to `loadTimeMs`: each step fires at a fraction
 * of the total and writes the lines a real server prints at that point. `bind` is where the HTTP
 * port starts accepting connections ("Starting vLLM API server"), `ready` where `/health` turns 200.
 */
import { graphBar, progressBar, ROUTES, type VllmLog } from './log-lines.ts'

export interface StartupFacts {
  model: string
  /** What the model's config.json names (vLLM logs it as it resolves the model class). */
  architecture: string
  servedModelName: string
  version: string
  maxModelLen: number
  tensorParallel: number
  weightsGiB: number
  kvCacheGiB: number
  kvCacheTokens: number
  shards: number
  advertisedHost: string
  advertisedPort: number
  nonDefaultArgs: Record<string, unknown>
}

export interface StartupStep {
  at: number
  kind?: 'bind' | 'ready'
  write: (log: VllmLog, elapsedS: number) => void
}

const pyRepr = (v: unknown): string => {
  if (typeof v === 'string') return `'${v}'`
  if (typeof v === 'boolean') return v ? 'True' : 'False'
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  if (v === null || v === undefined) return 'None'
  return String(v)
}

const GRAPH_SIZES = { mixed: 67, decode: 35 }

export function startupSteps(f: StartupFacts): StartupStep[] {
  const steps: StartupStep[] = []
  const add = (at: number, write: StartupStep['write'], kind?: StartupStep['kind']) =>
    steps.push({ at, write, kind })
  const cluster = f.tensorParallel > 1

  add(0, (log) => {
    log.api('INFO', 'api_server.py:1896', `vLLM API server version ${f.version}`)
    const args = Object.entries({ model_tag: f.model, ...f.nonDefaultArgs, model: f.model })
      .map(([k, v]) => `'${k}': ${pyRepr(v)}`)
      .join(', ')
    log.api('INFO', 'utils.py:253', `non-default args: {${args}}`)
  })
  add(0.03, (log) => {
    log.api('INFO', 'model.py:547', `Resolved architecture: ${f.architecture}`)
    log.api('INFO', 'model.py:1510', `Using max model len ${f.maxModelLen}`)
    log.api('INFO', 'scheduler.py:205', 'Chunked prefill is enabled with max_num_batched_tokens=8192.')
    log.core(
      'INFO',
      'core.py:77',
      `Initializing a V1 LLM engine (v${f.version}) with config: model='${f.model}', speculative_config=None, ` +
        `tokenizer='${f.model}', skip_tokenizer_init=False, tokenizer_mode=auto, trust_remote_code=False, ` +
        `dtype=torch.bfloat16, max_seq_len=${f.maxModelLen}, download_dir=None, load_format=auto, ` +
        `tensor_parallel_size=${f.tensorParallel}, pipeline_parallel_size=1, data_parallel_size=1, ` +
        `served_model_name=${f.servedModelName}, enable_prefix_caching=True`,
    )
    if (cluster) {
      log.core(
        'INFO',
        'ray_utils.py:345',
        'No current placement group found. Creating a new placement group.',
      )
      log.core('INFO', 'ray_distributed_executor.py:171', 'use_ray_spmd_worker: True')
    }
    const rank = `rank 0 in world size ${f.tensorParallel} is assigned as DP rank 0, PP rank 0, TP rank 0, EP rank 0`
    log.core('INFO', 'parallel_state.py:1208', rank)
  })
  add(0.06, (log) => {
    log.core('INFO', 'gpu_model_runner.py:2602', `Starting to load model ${f.model}...`)
    log.workers('INFO', 'gpu_model_runner.py:2602', `Starting to load model ${f.model}...`)
    log.core('INFO', 'cuda.py:366', 'Using Flash Attention backend on V1 engine.')
  })
  for (let k = 0; k <= f.shards; k++) {
    add(0.08 + (0.36 * k) / f.shards, (log, s) =>
      log.raw(progressBar('Loading safetensors checkpoint shards', k, f.shards, s)),
    )
  }
  add(0.46, (log, s) => {
    log.core('INFO', 'default_loader.py:267', `Loading weights took ${(s * 0.85).toFixed(2)} seconds`)
    log.workers('INFO', 'default_loader.py:267', `Loading weights took ${(s * 0.86).toFixed(2)} seconds`)
    log.core(
      'INFO',
      'gpu_model_runner.py:2653',
      `Model loading took ${f.weightsGiB.toFixed(4)} GiB and ${s.toFixed(6)} seconds`,
    )
  })
  add(0.5, (log) => {
    const cache = '/root/.cache/vllm/torch_compile_cache/3f9c2a71d4/rank_0_0/backbone'
    log.core('INFO', 'backends.py:548', `Using cache directory: ${cache} for vLLM's torch.compile`)
    log.core('INFO', 'backends.py:559', 'Dynamo bytecode transform time: 6.42 s')
  })
  add(0.6, (log) => log.core('INFO', 'backends.py:197', 'Compiling a graph for dynamic shape takes 18.37 s'))
  add(0.66, (log) => log.core('INFO', 'monitor.py:34', 'torch.compile takes 24.79 s in total'))
  add(0.7, (log) => {
    log.core('INFO', 'gpu_worker.py:298', `Available KV cache memory: ${f.kvCacheGiB.toFixed(2)} GiB`)
    log.core(
      'INFO',
      'kv_cache_utils.py:1087',
      `GPU KV cache size: ${f.kvCacheTokens.toLocaleString('en-US')} tokens`,
    )
    const conc = f.kvCacheTokens / f.maxModelLen
    const perRequest = f.maxModelLen.toLocaleString('en-US')
    log.core(
      'INFO',
      'kv_cache_utils.py:1091',
      `Maximum concurrency for ${perRequest} tokens per request: ${conc.toFixed(2)}x`,
    )
  })
  const graphStart = 0.74
  for (const [i, pct] of [0, 25, 50, 75, 100].entries()) {
    add(graphStart + i * 0.03, (log, s) => {
      const done = Math.round((pct / 100) * GRAPH_SIZES.mixed)
      log.raw(
        graphBar(
          'Capturing CUDA graphs (mixed prefill-decode, PIECEWISE)',
          done,
          GRAPH_SIZES.mixed,
          s * 0.05,
        ),
      )
    })
  }
  add(0.88, (log, s) =>
    log.raw(
      graphBar('Capturing CUDA graphs (decode, FULL)', GRAPH_SIZES.decode, GRAPH_SIZES.decode, s * 0.03),
    ),
  )
  add(0.9, (log, s) => {
    log.core(
      'INFO',
      'gpu_model_runner.py:3480',
      `Graph capturing finished in ${Math.max(1, Math.round(s * 0.15))} secs, took 0.84 GiB`,
    )
    log.core(
      'INFO',
      'core.py:210',
      `init engine (profile, create kv cache, warmup model) took ${(s * 0.5).toFixed(2)} seconds`,
    )
    log.api('INFO', 'api_server.py:1634', "Supported_tasks: ['generate']")
  })
  add(
    0.95,
    (log) => {
      log.api(
        'INFO',
        'api_server.py:1912',
        `Starting vLLM API server 0 on http://${f.advertisedHost}:${f.advertisedPort}`,
      )
      log.api('INFO', 'launcher.py:34', 'Available routes are:')
      for (const [path, methods] of ROUTES)
        log.api('INFO', 'launcher.py:42', `Route: ${path}, Methods: ${methods}`)
    },
    'bind',
  )
  add(0.97, (log) => {
    log.uvicorn(`Started server process [${log.ids.apiPid}]`)
    log.uvicorn('Waiting for application startup.')
  })
  add(1, (log) => log.uvicorn('Application startup complete.'), 'ready')
  return steps
}
