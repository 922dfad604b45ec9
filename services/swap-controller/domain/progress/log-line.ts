/**
 * One vLLM container log line → a milestone or a failure, following the real V1 wording
 * (docs/UPSTREAMS.md#vllm-start-up-log) rather than any one build's exact text: matches are
 * searches, so the process prefixes (`(APIServer pid=…)`, `(EngineCore_DP0 pid=…)`,
 * `(RayWorkerWrapper pid=…, ip=…)`), the `INFO MM-DD HH:MM:SS [file.py:N]` header and colour codes
 * around the message do not matter.
 * Loader variants (default, Fastsafetensor, Runai streamer, InstantTensor) all print
 * `Loading … N% Completed | a/b`, which is what the shard pattern keys on.
 */
import type { FailureKind, Phase } from './phases.ts'

export type LogEvent =
  | { kind: 'milestone'; phase: Phase; percent?: number; detail?: string }
  | { kind: 'failure'; failure: FailureKind; detail: string }

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g
/** Lines that echo the whole configuration: any word may appear in them, so they are settled first. */
const ENGINE_CONFIG = /vLLM API server version|non-default args:|Initializing a V1 LLM engine/
const MAX_DETAIL = 240

/** Failures are checked first: a failure line may also mention loading or the KV cache. */
const FAILURES: Array<[FailureKind, RegExp]> = [
  ['oom', /CUDA out of memory|OutOfMemoryError|CUDA error: out of memory/i],
  [
    'not-enough-memory',
    /is less than desired GPU memory utilization|No available memory for the cache blocks|larger than the available KV cache memory|larger than the maximum number of tokens that can be stored in KV cache/i,
  ],
  ['port-in-use', /\[Errno 98\]|address already in use/i],
  [
    'engine-dead',
    /EngineDeadError|Engine core initialization failed|EngineCore failed to start|EngineCore encountered a fatal error|died unexpectedly/i,
  ],
  [
    'crash',
    /Traceback \(most recent call last\)|\b(?:RuntimeError|SafetensorError|ValueError|AssertionError|ImportError|ModuleNotFoundError):|Segmentation fault|core dumped|\bexit(?:ed)? with (?:code|status) [1-9]/i,
  ],
]

/** Milestones whose wording carries no percentage; checked from the latest phase backwards. */
const MILESTONES: Array<[Phase, RegExp]> = [
  ['ready', /Application startup complete/],
  [
    'api-starting',
    /Starting vLLM API server|init engine \(profile, create kv cache, warmup model\) took|Started server process|Waiting for application startup|Available routes are/,
  ],
  [
    'kv-cache',
    /Available KV cache memory|GPU KV cache size|Maximum concurrency for|# GPU blocks:|Memory profiling takes/,
  ],
  [
    'compiling',
    /Dynamo bytecode transform time|torch\.compile takes|Compiling a graph for|for vLLM's torch\.compile|Directly load the compiled graph|Start compiling|compile range/i,
  ],
  ['weights-loaded', /Loading weights took|Model loading took/],
  ['loading-weights', /Starting to load model|Loading model from scratch|Loading model weights/],
  [
    'engine-init',
    /Resolved architecture|Using max model len|placement group|is assigned as DP rank|Waiting for init message|use_ray_spmd_worker/,
  ],
  [
    'container',
    /Ray runtime started|Started a local Ray instance|Local node IP|Connected to Ray cluster|Starting head node|Starting worker node/i,
  ],
]

/** `Loading safetensors checkpoint shards:  50% Completed | 2/4 [00:05<00:05, 2.6s/it]` and its variants. */
const SHARDS = /\bLoading\b[^|]*?:\s*(\d{1,3})%\s*Completed\s*\|\s*(\d+)\/(\d+)/
/** `Capturing CUDA graphs (mixed prefill-decode, PIECEWISE):  25%|██▌ | 17/67 […]`; older `Capturing CUDA graph shapes: …`. */
const GRAPHS = /Capturing CUDA graph(?:s| shapes)?\s*(\(([^)]*)\))?[^:%]*:\s*(\d{1,3})%/
const GRAPHS_DONE = /Graph capturing finished/

const clampPct = (n: number) => Math.max(0, Math.min(100, n))

/** The message without colour codes, trimmed and bounded (details end up in API bodies). */
export function cleanLine(line: string): string {
  return line.replace(ANSI, '').trim()
}

const detailOf = (text: string) => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text)

/** The part of the line after the last `] ` of the log header, or the whole line. */
function messageOf(text: string): string {
  const m = /\[[\w.]+:\d+\]\s+(.*)$/.exec(text)
  return m ? m[1]! : text
}

export function parseLogLine(line: string): LogEvent | null {
  const text = cleanLine(line)
  if (text === '') return null
  if (ENGINE_CONFIG.test(text)) {
    return { kind: 'milestone', phase: 'engine-init', detail: detailOf(messageOf(text)) }
  }
  for (const [failure, re] of FAILURES) {
    if (re.test(text)) return { kind: 'failure', failure, detail: detailOf(messageOf(text)) }
  }
  const shards = SHARDS.exec(text)
  if (shards) {
    const done = Number(shards[2])
    const total = Number(shards[3])
    const percent = total > 0 ? clampPct((done / total) * 100) : clampPct(Number(shards[1]))
    return {
      kind: 'milestone',
      phase: 'loading-weights',
      percent: Math.round(percent * 10) / 10,
      detail: `shard ${done}/${total}`,
    }
  }
  const graphs = GRAPHS.exec(text)
  if (graphs) {
    return {
      kind: 'milestone',
      phase: 'cuda-graphs',
      percent: clampPct(Number(graphs[3])),
      detail: graphs[2] ?? 'CUDA graphs',
    }
  }
  if (GRAPHS_DONE.test(text)) {
    return { kind: 'milestone', phase: 'cuda-graphs', percent: 100, detail: detailOf(messageOf(text)) }
  }
  for (const [phase, re] of MILESTONES) {
    if (re.test(text)) return { kind: 'milestone', phase, detail: detailOf(messageOf(text)) }
  }
  return null
}

/**
 * Which rank printed the line: Ray forwards every worker's output into the head's log with a
 * `(RayWorkerWrapper pid=…, ip=…)` prefix, and each rank loads its own shards, so progress is
 * tracked per rank. Null for the node's own process.
 */
export function rayWorkerOf(line: string): string | null {
  const m = /\(Ray\w*(?:Wrapper|Proc)[^)]*?ip=([^,)\s]+)/.exec(line)
  return m ? m[1]! : null
}
