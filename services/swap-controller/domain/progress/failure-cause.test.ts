import { describe, expect, it } from 'vitest'
import {
  engineDeath,
  noFreeMemory,
  oomTraceback,
  VllmLog,
} from '../../../../tools/spark-sim/vllm/log-lines.ts'
import { classifyFailure, classifyLog } from './failure-cause.ts'

/** What the simulated vLLM prints for one failure, as a container log. */
function simulated(write: (log: VllmLog) => void, workers: { pid: number; ip: string }[] = []): string[] {
  const lines: string[] = []
  write(new VllmLog({ apiPid: 97, corePid: 312, workers }, (l) => lines.push(l)))
  return lines
}

const core = (msg: string) => `(EngineCore_DP0 pid=312) ERROR 12-06 04:12:09 [core.py:708] ${msg}`
const api = (msg: string) => `(APIServer pid=97) ERROR 12-06 04:12:10 [core_client.py:564] ${msg}`

describe('classifyFailure', () => {
  it('names an OOM from the torch line, not the traceback or the engine death that follow it', () => {
    const log = [
      core('EngineCore failed to start.'),
      core('Traceback (most recent call last):'),
      core(
        '  File "/usr/local/lib/python3.12/dist-packages/vllm/v1/engine/core.py", line 699, in run_engine_core',
      ),
      core(
        'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.50 GiB. GPU 0 has a total capacity of 119.70 GiB of which 1.21 GiB is free.',
      ),
      api('Engine core proc EngineCore_DP0 died unexpectedly, shutting down client.'),
      'RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}',
    ]
    const got = classifyFailure(log)
    expect(got?.cause).toBe('out of GPU memory')
    expect(got?.line).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 2\.50 GiB/)
  })

  it('names a start-up that finds too little free memory as out of GPU memory', () => {
    const line = core(
      'ValueError: Free memory on device (12.31/119.70 GiB) on startup is less than desired GPU memory utilization (0.7, 83.79 GiB). Decrease GPU memory utilization or reduce GPU memory used by other processes.',
    )
    expect(classifyFailure([line])?.cause).toBe('out of GPU memory')
  })

  it('names an unsupported architecture from vLLM wording', () => {
    const line =
      "(APIServer pid=1) ValueError: Model architectures ['FancyNewForCausalLM'] are not supported for now. Supported architectures: dict_keys(['LlamaForCausalLM', ...])"
    expect(classifyFailure([line])).toEqual({
      cause: 'unsupported architecture',
      line: expect.stringMatching(/^\(APIServer pid=1\) ValueError: Model architectures/),
    })
  })

  it('names a missing image from docker wording', () => {
    const pull = [
      "Unable to find image 'vllm-node:latest' locally",
      "docker: Error response from daemon: pull access denied for vllm-node, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.",
    ]
    expect(classifyFailure(pull)?.cause).toBe('image not found')
  })

  it('names missing weights from Hugging Face wording', () => {
    const missing = [
      'huggingface_hub.errors.RepositoryNotFoundError: 404 Client Error. (Request ID: Root=1-6752)',
      'Repository Not Found for url: https://huggingface.co/api/models/nobody/no-such-model/revision/main.',
    ]
    expect(classifyFailure(missing)?.cause).toBe('weights not found')
    const noFile = 'OSError: Qwen/Qwen3-8B does not appear to have a file named config.json.'
    expect(classifyFailure([noFile])?.cause).toBe('weights not found')
  })

  it('names a dead Ray worker before the engine death it causes', () => {
    const log = [
      '(EngineCore_DP0 pid=312) ERROR 12-06 04:15:00 [ray_distributed_executor.py:410] RayWorkerProc rank=1 (pid=77, ip=<spark-2-ip>) died unexpectedly',
      core('EngineCore encountered a fatal error.'),
      api(
        'vllm.v1.engine.exceptions.EngineDeadError: EngineCore encountered an issue. See stack trace (above) for the root cause.',
      ),
    ]
    expect(classifyFailure(log)?.cause).toBe('worker died')
  })

  it('names the engine core when nothing more specific is said', () => {
    const line =
      'RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}'
    expect(classifyFailure([line])).toEqual({ cause: 'engine core failed', line })
  })

  it('names a taken port', () => {
    const line = api(
      "OSError: [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use",
    )
    expect(classifyFailure([line])?.cause).toBe('port in use')
  })

  it('finds nothing in a clean start-up or in the echoed configuration', () => {
    const log = [
      "(APIServer pid=97) INFO 12-06 04:10:00 [utils.py:233] non-default args: {'model': 'x', 'served_model_name': ['OutOfMemoryError']}",
      '(APIServer pid=97) INFO 12-06 04:11:00 [api_server.py:1400] Starting vLLM API server 0 on http://0.0.0.0:8000',
      'INFO:     Application startup complete.',
    ]
    expect(classifyFailure(log)).toBeNull()
    expect(classifyLog(null)).toBeNull()
  })

  it('splits an excerpt into lines', () => {
    expect(classifyLog('a\r\nRuntimeError: CUDA error: out of memory\nb')?.cause).toBe('out of GPU memory')
  })

  it("names the simulator's failures as it names vLLM's", () => {
    const oom = classifyFailure(simulated((log) => oomTraceback(log, 2.5, 119.7, 1.21)))
    expect(oom?.cause).toBe('out of GPU memory')
    expect(oom?.line).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 2\.50 GiB/)
    const short = classifyFailure(simulated((log) => noFreeMemory(log, 12.3, 119.7, 0.7, 83.8)))
    expect(short?.cause).toBe('out of GPU memory')
    expect(classifyFailure(simulated(engineDeath))?.cause).toBe('engine core failed')
    const ray = classifyFailure(simulated(engineDeath, [{ pid: 77, ip: '192.0.2.11' }]))
    expect(ray?.cause).toBe('worker died')
  })
})
