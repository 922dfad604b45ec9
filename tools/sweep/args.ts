/**
 * The command line of `npm run sweep`: which backend (directly by `--url`, or through the admin API
 * with `--gateway`), which levels, how long each, and `--yes-live` for a backend that is neither on
 * this machine nor simulated. Bad arguments are a `UsageError`: the CLI prints the usage, exits 2.
 */
import { SWEEP_LEVELS, SweepTarget } from '../../shared/contracts/swap-controller.ts'
import { apiKeyFlag, httpUrlFlag, parseFlags, UsageError } from '../cli/args.ts'

export { UsageError }

export const DEFAULT_CELL_S = 60
export const DEFAULT_WARMUP_S = 10

export interface SweepCliOptions {
  target: SweepTarget
  /** The backend itself (exactly one of `url` and `gateway`). */
  url?: string
  /** A Spark Control gateway: the sweep runs in the swap-controller and is saved and shown there. */
  gateway?: string
  key?: string
  levels: number[]
  cellS: number
  warmupS: number
  yesLive: boolean
  /** Where the JSON result goes (direct runs). */
  outDir: string
  help: boolean
}

export const USAGE = `usage: npm run sweep -- --target <asr|tts|embeddings> (--url <backend-url> | --gateway <gateway-url>) [options]

Loads one speech or embeddings backend at concurrency ${SWEEP_LEVELS.join(', ')} (closed loop, fixed
input), measures throughput, p50/p95/p99 latency, errors and /health latency at each level, finds
the knee and recommends the lane limit (SPEECH_LANE_ASR, SPEECH_LANE_TTS or EMBED_CONCURRENCY).

  --target <t>       asr (Parakeet), tts (Kokoro) or embeddings (bge-m3)
  --url <url>        the backend, e.g. http://<spark-2-ip>:8000; the result is written to --out
  --gateway <url>    run it in Spark Control instead (saved, shown on the dashboard's ops page)
  --key <api-key>    with --gateway: an admin key, as "Authorization: Bearer" (default $SPARK_CONTROL_KEY)
  --levels <a,b,…>   concurrency levels (default ${SWEEP_LEVELS.join(',')})
  --cell-s <N>       seconds measured at each level (default ${DEFAULT_CELL_S})
  --warmup-s <N>     seconds of warm-up before each level's measurement (default ${DEFAULT_WARMUP_S})
  --yes-live         sweep a real backend: it loads the GPU and slows everyone using it
  --out <dir>        where the JSON result goes (default .data/sweeps)
  --help             this text

Exit code: 0 when the sweep ran, 1 when it could not, 2 for bad arguments or a refused live target.`

export function parseSweepArgs(argv: string[], env: Record<string, string | undefined>): SweepCliOptions {
  const v = parseFlags(argv, {
    target: { type: 'string' },
    url: { type: 'string' },
    gateway: { type: 'string' },
    key: { type: 'string' },
    levels: { type: 'string' },
    'cell-s': { type: 'string' },
    'warmup-s': { type: 'string' },
    'yes-live': { type: 'boolean' },
    out: { type: 'string' },
    help: { type: 'boolean' },
  })
  const base = {
    levels: [...SWEEP_LEVELS],
    cellS: DEFAULT_CELL_S,
    warmupS: DEFAULT_WARMUP_S,
    outDir: '.data/sweeps',
  }
  if (v.help) return { ...base, target: 'asr', yesLive: false, help: true }
  const target = SweepTarget.safeParse(v.target)
  if (!target.success) throw new UsageError('--target must be asr, tts or embeddings')
  if (Boolean(v.url) === Boolean(v.gateway)) throw new UsageError('give exactly one of --url and --gateway')
  return {
    target: target.data,
    url: v.url ? httpUrlFlag('--url', v.url) : undefined,
    gateway: v.gateway ? httpUrlFlag('--gateway', v.gateway) : undefined,
    key: apiKeyFlag(v.key, env),
    levels: v.levels === undefined ? base.levels : levels(v.levels),
    cellS: v['cell-s'] === undefined ? base.cellS : seconds('--cell-s', v['cell-s'], 0.5),
    warmupS: v['warmup-s'] === undefined ? base.warmupS : seconds('--warmup-s', v['warmup-s'], 0),
    yesLive: v['yes-live'] ?? false,
    outDir: v.out?.trim() || base.outDir,
    help: false,
  }
}

function levels(raw: string): number[] {
  const list = raw.split(',').map((s) => Number(s.trim()))
  if (list.length === 0 || list.length > 12 || list.some((n) => !Number.isInteger(n) || n < 1 || n > 64))
    throw new UsageError('--levels must be up to 12 whole numbers from 1 to 64, e.g. 1,2,3,4,6,8')
  return [...new Set(list)].sort((a, b) => a - b)
}

function seconds(flag: string, raw: string, min: number): number {
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min || n > 3600)
    throw new UsageError(`${flag} must be a number of seconds from ${min} to 3600`)
  return n
}
