/**
 * vLLM V1 log wording. Lines carry the process prefix (`(APIServer pid=…)`, `(EngineCore_DP0 pid=…)`,
 * `(RayWorkerWrapper pid=…, ip=…)`) and the `LEVEL MM-DD HH:MM:SS [file.py:line]` header the real
 * server prints, because controllers parse these lines to report progress and detect failures.
 */

export interface LogIds {
  apiPid: number
  corePid: number
  workers: Array<{ pid: number; ip: string }>
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

function stamp(d = new Date()): string {
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
}

export type Level = 'INFO' | 'WARNING' | 'ERROR'

export class VllmLog {
  constructor(
    readonly ids: LogIds,
    private readonly emit: (line: string) => void,
  ) {}

  api(level: Level, src: string, msg: string): void {
    this.emit(`(APIServer pid=${this.ids.apiPid}) ${level} ${stamp()} [${src}] ${msg}`)
  }

  core(level: Level, src: string, msg: string): void {
    this.emit(`(EngineCore_DP0 pid=${this.ids.corePid}) ${level} ${stamp()} [${src}] ${msg}`)
  }

  /** Ray forwards worker output to the driver with this prefix; in solo mode there are no workers. */
  workers(level: Level, src: string, msg: string): void {
    for (const w of this.ids.workers) {
      this.emit(
        `(EngineCore_DP0 pid=${this.ids.corePid}) (RayWorkerWrapper pid=${w.pid}, ip=${w.ip}) ${level} ${stamp()} [${src}] ${msg}`,
      )
    }
  }

  /** uvicorn's own access/lifecycle lines (`INFO:     …`). */
  uvicorn(msg: string): void {
    this.emit(`(APIServer pid=${this.ids.apiPid}) INFO:     ${msg}`)
  }

  raw(line: string): void {
    this.emit(line)
  }
}

/** tqdm-like progress text, as vLLM's loaders print it (one line per update in `docker logs`). */
export function progressBar(label: string, done: number, total: number, elapsedS: number): string {
  const pct = total === 0 ? 100 : Math.floor((done / total) * 100)
  const rate = done > 0 ? elapsedS / done : 0
  const remaining = done > 0 ? rate * (total - done) : 0
  const clock = (s: number) => `${pad(Math.floor(s / 60))}:${pad(Math.floor(s % 60))}`
  const tail = done > 0 ? `${clock(remaining)}, ${rate.toFixed(2)}s/it` : '?, ?it/s'
  return `${label}: ${String(pct).padStart(3)}% Completed | ${done}/${total} [${clock(elapsedS)}<${tail}]`
}

export function graphBar(label: string, done: number, total: number, elapsedS: number): string {
  const pct = Math.floor((done / total) * 100)
  const filled = Math.round(pct / 10)
  const bar = '█'.repeat(filled) + ' '.repeat(10 - filled)
  const rate = elapsedS > 0 ? (done / elapsedS).toFixed(2) : '0.00'
  return `${label}: ${String(pct).padStart(3)}%|${bar}| ${done}/${total} [00:${pad(Math.floor(elapsedS))}<00:00, ${rate}it/s]`
}

/** The OOM traceback PyTorch raises on a failed allocation inside EngineCore start-up. */
export function oomTraceback(log: VllmLog, tryGiB: number, totalGiB: number, freeGiB: number): void {
  const src = 'core.py:708'
  log.core('ERROR', src, 'EngineCore failed to start.')
  log.core('ERROR', src, 'Traceback (most recent call last):')
  const frames = [
    '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/engine/core.py", line 699, in run_engine_core',
    '    engine_core = EngineCoreProc(*args, **kwargs)',
    '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/engine/core.py", line 498, in __init__',
    '    super().__init__(vllm_config, executor_class, log_stats,',
    '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/worker/gpu_model_runner.py", line 2653, in load_model',
    '    self.model = model_loader.load_model(',
    '  File "/usr/local/lib/python3.12/dist-packages/torch/utils/_device.py", line 104, in __torch_function__',
    '    return func(*args, **kwargs)',
  ]
  for (const f of frames) log.core('ERROR', src, f)
  const usedGiB = totalGiB - freeGiB
  log.core(
    'ERROR',
    src,
    `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ${tryGiB.toFixed(2)} GiB. GPU 0 has a total ` +
      `capacity of ${totalGiB.toFixed(2)} GiB of which ${freeGiB.toFixed(2)} GiB is free. Including non-PyTorch ` +
      `memory, this process has ${usedGiB.toFixed(2)} GiB memory in use. Of the allocated memory ` +
      `${(usedGiB - 0.4).toFixed(2)} GiB is allocated by PyTorch, and 312.45 MiB is reserved by PyTorch but ` +
      'unallocated. If reserved but unallocated memory is large try setting ' +
      'PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory ' +
      'Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)',
  )
  log.api(
    'ERROR',
    'core_client.py:564',
    'Engine core proc EngineCore_DP0 died unexpectedly, shutting down client.',
  )
  log.raw(`(APIServer pid=${log.ids.apiPid}) Traceback (most recent call last):`)
  log.raw(
    `(APIServer pid=${log.ids.apiPid}) RuntimeError: Engine core initialization failed. See root cause above. ` +
      "Failed core proc(s): {'EngineCore_DP0': 1}",
  )
}

/** vLLM's start-up memory check: the requested fraction of the device is not free. */
export function noFreeMemory(
  log: VllmLog,
  freeGiB: number,
  totalGiB: number,
  util: number,
  wantGiB: number,
): void {
  const src = 'core.py:708'
  log.core('ERROR', src, 'EngineCore failed to start.')
  log.core('ERROR', src, 'Traceback (most recent call last):')
  log.core(
    'ERROR',
    src,
    '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/worker/gpu_worker.py", line 239, in init_device',
  )
  log.core(
    'ERROR',
    src,
    `ValueError: Free memory on device (${freeGiB.toFixed(2)}/${totalGiB.toFixed(2)} GiB) on startup is less than ` +
      `desired GPU memory utilization (${util}, ${wantGiB.toFixed(2)} GiB). Decrease GPU memory ` +
      'utilization or reduce GPU memory used by other processes.',
  )
  log.api(
    'ERROR',
    'core_client.py:564',
    'Engine core proc EngineCore_DP0 died unexpectedly, shutting down client.',
  )
  log.raw(
    `(APIServer pid=${log.ids.apiPid}) RuntimeError: Engine core initialization failed. See root cause above. ` +
      "Failed core proc(s): {'EngineCore_DP0': 1}",
  )
}

export function engineDeath(log: VllmLog): void {
  if (log.ids.workers.length > 0) {
    const w = log.ids.workers[0]
    log.core(
      'ERROR',
      'ray_distributed_executor.py:410',
      `RayWorkerProc rank=1 (pid=${w?.pid}, ip=${w?.ip}) died unexpectedly`,
    )
  }
  log.core('ERROR', 'core.py:792', 'EngineCore encountered a fatal error.')
  log.core('ERROR', 'core.py:792', 'RuntimeError: CUDA error: unspecified launch failure')
  log.api(
    'ERROR',
    'core_client.py:564',
    'Engine core proc EngineCore_DP0 died unexpectedly, shutting down client.',
  )
  log.api(
    'ERROR',
    'async_llm.py:480',
    'vllm.v1.engine.exceptions.EngineDeadError: EngineCore encountered an issue. See stack trace (above) for the root cause.',
  )
}

export function shutdownLines(log: VllmLog): void {
  log.api('INFO', 'launcher.py:101', 'Shutting down FastAPI HTTP server.')
  log.uvicorn('Shutting down')
  log.uvicorn('Waiting for application shutdown.')
  log.uvicorn('Application shutdown complete.')
  log.uvicorn(`Finished server process [${log.ids.apiPid}]`)
}

export const ROUTES: Array<[string, string]> = [
  ['/health', 'GET'],
  ['/ping', 'GET, POST'],
  ['/load', 'GET'],
  ['/version', 'GET'],
  ['/metrics', 'GET'],
  ['/v1/models', 'GET'],
  ['/v1/chat/completions', 'POST'],
  ['/v1/completions', 'POST'],
  ['/tokenize', 'POST'],
  ['/detokenize', 'POST'],
]
