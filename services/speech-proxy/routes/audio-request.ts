/**
 * What the audio routes share: who is asking (for the admission lanes' fairness and quotas), the
 * upload with its cleanup, the form's plain fields, and the timing headers of a finished job.
 */
import type { Context } from 'hono'
import { ACTOR_HEADER } from '../../../shared/auth/credentials.ts'
import { receiveUpload, type Upload } from '../adapters/upload.ts'
import type { TranscribeOutcome } from '../domain/transcribe/pipeline.ts'

export interface UploadLimits {
  /** Parent of each upload's temp directory. */
  tmpDir: string
  maxBytes: number
}

/**
 * The client a request counts against: `X-Spark-Actor` as the gateway forwards it (the API key's
 * name when keys are required), else the client address the gateway appended to `X-Forwarded-For`,
 * else the peer (a direct caller).
 */
export function clientOf(c: Context): string {
  const actor = c.req.header(ACTOR_HEADER)?.trim()
  if (actor) return `key:${actor}`
  // The last entry is the one the gateway added; earlier ones are whatever the client claimed.
  const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
  if (forwarded) return `ip:${forwarded}`
  const env = c.env as {
    incoming?: { socket?: { remoteAddress?: string } }
    remoteAddr?: { hostname?: string }
  }
  const peer = env?.incoming?.socket?.remoteAddress ?? env?.remoteAddr?.hostname
  return peer ? `ip:${peer}` : 'anonymous'
}

/** Receives the multipart upload, runs `work` with it, and removes its files however `work` ends. */
export async function withUpload<T>(
  c: Context,
  limits: UploadLimits,
  fileFields: readonly string[],
  work: (upload: Upload) => Promise<T>,
): Promise<T> {
  const upload = await receiveUpload(c.req.raw, {
    dir: limits.tmpDir,
    maxBytes: limits.maxBytes,
    fileFields,
    signal: c.req.raw.signal,
  })
  try {
    return await work(upload)
  } finally {
    await upload.cleanup()
  }
}

/** One value of a form field (the last, if it was sent more than once); undefined when blank. */
export function formField(fields: Upload['fields'], name: string): string | undefined {
  const value = fields[name]
  const last = Array.isArray(value) ? value.at(-1) : value
  const trimmed = last?.trim()
  return trimmed ? trimmed : undefined
}

/** Every value of a repeatable field (`timestamp_granularities[]`), comma lists split. */
export function formList(fields: Upload['fields'], ...names: string[]): string[] {
  return names
    .flatMap((n) => [fields[n] ?? []].flat())
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean)
}

/** `X-Queue-Position` and `Server-Timing` (ms per phase, summed over chunks) for a finished job. */
export function timingHeaders(outcome: TranscribeOutcome, renderMs: number): Record<string, string> {
  const t = outcome.timings
  const phases: [string, number][] = [
    ['queue', t.queue],
    ['decode', t.decode],
    ['asr', t.asr],
    ['diar', t.diar],
    ['merge', t.merge + renderMs],
  ]
  return {
    'X-Queue-Position': String(outcome.queuePosition),
    'Server-Timing': phases.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', '),
  }
}
