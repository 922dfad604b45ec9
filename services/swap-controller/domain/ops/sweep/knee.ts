/**
 * Where more concurrency stops helping. The knee is the smallest level after which throughput grows
 * by less than ~10 % while p95 latency grows (requests only queue on the GPU), or the last level
 * before errors appear. A backend that serialises (one GPU decoder) has its knee at 1: throughput
 * flat, latency proportional to concurrency. The recommended lane limit is the knee: below it the
 * GPU idles, above it requests wait in the backend's queue instead of ours, where admission control
 * can neither see nor order them.
 */
import type { SweepCell, SweepTarget } from '../../../../../shared/contracts/swap-controller.ts'

/** Throughput must grow by at least this share from one level to the next to count as scaling. */
export const MIN_GROWTH = 0.1
/** A level with a larger share of failed requests counts as "errors appear". */
export const ERROR_SHARE = 0.01

/** The setting each target's limit goes into, and the service that reads it. */
export const SETTINGS: Record<SweepTarget, { setting: string; service: string }> = {
  asr: { setting: 'SPEECH_LANE_ASR', service: 'speech-proxy' },
  tts: { setting: 'SPEECH_LANE_TTS', service: 'speech-proxy' },
  embeddings: { setting: 'EMBED_CONCURRENCY', service: 'vector-search' },
}

export interface Recommendation {
  knee: number | null
  recommended_limit: number | null
  setting: string
  reason: string
}

const rps = (n: number) => `${n.toFixed(n >= 10 ? 0 : 1)}/s`
const pct = (share: number) => `${Math.round(share * 100)} %`
const failing = (cell: SweepCell) => cell.error_rate > ERROR_SHARE

/** The knee and why, from cells in ascending concurrency; null when nothing could be measured cleanly. */
export function findKnee(cells: readonly SweepCell[]): { knee: number | null; why: string; open: boolean } {
  const first = cells[0]
  if (!first) return { knee: null, why: 'No level was measured.', open: false }
  if (failing(first) || first.throughput_rps <= 0)
    return {
      knee: null,
      why: `Requests failed even one at a time (${pct(first.error_rate)} errors): fix the backend first.`,
      open: false,
    }
  for (let i = 0; i + 1 < cells.length; i++) {
    const cur = cells[i]!
    const next = cells[i + 1]!
    if (failing(next))
      return {
        knee: cur.concurrency,
        why: `Errors appeared at ${next.concurrency} at once (${pct(next.error_rate)} failed); ${cur.concurrency} ran clean at ${rps(cur.throughput_rps)}.`,
        open: false,
      }
    const growth = next.throughput_rps / cur.throughput_rps - 1
    const p95Growth = (next.p95_ms ?? 0) / Math.max(1, cur.p95_ms ?? 0) - 1
    if (growth < MIN_GROWTH && p95Growth > 0)
      return {
        knee: cur.concurrency,
        why:
          `Throughput reached ${rps(cur.throughput_rps)} at ${cur.concurrency} at once, then grew only ` +
          `${pct(Math.max(0, growth))} at ${next.concurrency} while p95 latency rose ${pct(p95Growth)}: ` +
          `beyond ${cur.concurrency} requests only queue on the GPU.`,
        open: false,
      }
  }
  const last = cells[cells.length - 1]!
  return {
    knee: null,
    why:
      cells.length === 1
        ? `Only concurrency ${last.concurrency} was measured (${rps(last.throughput_rps)}); no knee can be seen from one level.`
        : `Throughput still grew up to ${last.concurrency} at once (${rps(last.throughput_rps)}): the knee is higher than the levels measured.`,
    open: true,
  }
}

/** The knee, the lane limit to set, which setting, and a plain reason. */
export function recommend(
  target: SweepTarget,
  cells: readonly SweepCell[],
  stoppedEarly: string | null,
): Recommendation {
  const { setting, service } = SETTINGS[target]
  const { knee, why, open } = findKnee(cells)
  const stopped = stoppedEarly ? ` The sweep stopped early: ${stoppedEarly}.` : ''
  if (knee !== null)
    return {
      knee,
      recommended_limit: knee,
      setting,
      reason: `${why} Set ${setting}=${knee} for the ${service}.${stopped}`,
    }
  const last = cells[cells.length - 1]
  if (open && last)
    return {
      knee: null,
      recommended_limit: last.concurrency,
      setting,
      reason:
        `${why} ${setting}=${last.concurrency} is safe as measured; sweep higher levels to find the knee.` +
        stopped,
    }
  return { knee: null, recommended_limit: null, setting, reason: `${why}${stopped}` }
}
