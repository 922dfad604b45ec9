/**
 * The simulated Parakeet's behaviour switches: options win over the environment, the environment
 * over the defaults. The defaults are the Spark-hosted Parakeet's behaviour (words without leading
 * spaces, `/health` late while it works) with failures off, so a test opts into them.
 *
 *   SPARK_SIM_TRUTH_DIR                    ground-truth registry (truth-registry.ts); unset: none
 *   SPARK_SIM_PARAKEET_LEADING_SPACES      1: words as " hello" (Whisper-style); 0 (default): "hello"
 *   SPARK_SIM_PARAKEET_FAIL_RATE           share of work requests answered 500 (default 0)
 *   SPARK_SIM_PARAKEET_FAIL_SEED           seed of those draws (default 1)
 *   SPARK_SIM_PARAKEET_BUSY_HEALTH_MS      how late GETs answer while a request runs (default 1000)
 *   SPARK_SIM_PARAKEET_WORD_ERROR_RATE     share of ground-truth words misheard (default 0)
 *   SPARK_SIM_SORTFORMER_ORDER             shuffled (default) | arrival
 */
import type { EmulatorOptions } from './emulator-server.ts'
import type { LabelOrder } from './sortformer.ts'

export const DEFAULT_BUSY_HEALTH_MS = 1000

export interface ParakeetBehaviour {
  truthDir?: string
  leadingSpaces?: boolean
  labelOrder?: LabelOrder
  /** Share (0–1) of ground-truth words dropped or replaced, as recognition errors. */
  wordErrorRate?: number
}

export interface ParakeetOptions extends EmulatorOptions, ParakeetBehaviour {
  /** Parent of the per-request temp dirs (default: the OS temp dir). */
  tmpDir?: string
}

function number(env: NodeJS.ProcessEnv, key: string): number | undefined {
  const raw = env[key]?.trim()
  if (!raw) return undefined
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${key} must be a non-negative number, got '${raw}'`)
  return n
}

function flag(env: NodeJS.ProcessEnv, key: string): boolean | undefined {
  const raw = env[key]?.trim()
  if (!raw) return undefined
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new Error(`${key} must be 1 or 0, got '${raw}'`)
}

function order(env: NodeJS.ProcessEnv): LabelOrder | undefined {
  const raw = env.SPARK_SIM_SORTFORMER_ORDER?.trim()
  if (!raw) return undefined
  if (raw === 'shuffled' || raw === 'arrival') return raw
  throw new Error(`SPARK_SIM_SORTFORMER_ORDER must be shuffled or arrival, got '${raw}'`)
}

export function resolveParakeetOptions(
  options: ParakeetOptions,
  env: NodeJS.ProcessEnv = process.env,
): Required<ParakeetBehaviour> & ParakeetOptions {
  const failRate = options.failRate ?? number(env, 'SPARK_SIM_PARAKEET_FAIL_RATE') ?? 0
  if (failRate > 1) throw new Error(`the Parakeet fail rate must be between 0 and 1, got ${failRate}`)
  const wordErrorRate = options.wordErrorRate ?? number(env, 'SPARK_SIM_PARAKEET_WORD_ERROR_RATE') ?? 0
  if (wordErrorRate > 1) throw new Error(`the word error rate must be between 0 and 1, got ${wordErrorRate}`)
  return {
    ...options,
    truthDir: options.truthDir ?? env.SPARK_SIM_TRUTH_DIR?.trim() ?? '',
    leadingSpaces: options.leadingSpaces ?? flag(env, 'SPARK_SIM_PARAKEET_LEADING_SPACES') ?? false,
    labelOrder: options.labelOrder ?? order(env) ?? 'shuffled',
    wordErrorRate,
    failRate,
    failSeed: options.failSeed ?? number(env, 'SPARK_SIM_PARAKEET_FAIL_SEED') ?? 1,
    busyHealthDelayMs:
      options.busyHealthDelayMs ?? number(env, 'SPARK_SIM_PARAKEET_BUSY_HEALTH_MS') ?? DEFAULT_BUSY_HEALTH_MS,
  }
}
