/**
 * The phases a vLLM start-up goes through, as its own log shows them, in order
 * (docs/UPSTREAMS.md#vllm-start-up-log).
 * Each phase starts at its first milestone line and ends where the next phase starts:
 *
 * | phase             | starts at (log wording)                                              | weight | default s |
 * | ----------------- | -------------------------------------------------------------------- | ------ | --------- |
 * | `container`       | the launch itself; Ray start-up lines in cluster mode                |      4 |        10 |
 * | `engine-init`     | `vLLM API server version`, `non-default args:`, `Initializing a V1 …` |      6 |        15 |
 * | `loading-weights` | `Starting to load model`, `Loading safetensors … N% Completed | a/b`  |     35 |        60 |
 * | `weights-loaded`  | `Loading weights took X seconds`, `Model loading took X GiB …`       |      3 |         5 |
 * | `compiling`       | `… for vLLM's torch.compile`, `Dynamo bytecode transform time`       |     25 |        45 |
 * | `kv-cache`        | `Available KV cache memory`, `GPU KV cache size: N tokens`           |      4 |         5 |
 * | `cuda-graphs`     | `Capturing CUDA graphs … N%`, `Graph capturing finished`              |     18 |        30 |
 * | `api-starting`    | `init engine (…) took`, `Starting vLLM API server … on http://…`     |      5 |        10 |
 * | `ready`           | `Application startup complete.`                                      |      0 |         0 |
 *
 * Weights are the share of the progress bar a phase fills; they follow the generic start-up budget
 * of a large model on a Spark with warm caches (weights ~1 min, compile ~45 s, graphs ~30 s;
 * docs/UPSTREAMS.md#vllm-load-times), so the bar moves at a roughly even pace. The default
 * durations (≈ 3 min in all, the middle of the "1.5–4 min warm" rule of thumb) are the ETA profile
 * used before a recipe has any load history of its own.
 */

export const PHASES = [
  'container',
  'engine-init',
  'loading-weights',
  'weights-loaded',
  'compiling',
  'kv-cache',
  'cuda-graphs',
  'api-starting',
  'ready',
] as const

export type Phase = (typeof PHASES)[number]

export type PhaseWeights = Record<Phase, number>

export const DEFAULT_PHASE_WEIGHTS: Readonly<PhaseWeights> = {
  container: 4,
  'engine-init': 6,
  'loading-weights': 35,
  'weights-loaded': 3,
  compiling: 25,
  'kv-cache': 4,
  'cuda-graphs': 18,
  'api-starting': 5,
  ready: 0,
}

/** Seconds per phase when a recipe has no history yet. */
export const DEFAULT_PHASE_SECONDS: Readonly<PhaseWeights> = {
  container: 10,
  'engine-init': 15,
  'loading-weights': 60,
  'weights-loaded': 5,
  compiling: 45,
  'kv-cache': 5,
  'cuda-graphs': 30,
  'api-starting': 10,
  ready: 0,
}

/**
 * Failures, most specific first: a crash's `Traceback` line comes before the `CUDA out of memory`
 * line that explains it, so a later, more specific kind replaces an earlier, vaguer one.
 */
export const FAILURE_KINDS = ['oom', 'not-enough-memory', 'port-in-use', 'engine-dead', 'crash'] as const

export type FailureKind = (typeof FAILURE_KINDS)[number]

export const phaseIndex = (phase: Phase): number => PHASES.indexOf(phase)
