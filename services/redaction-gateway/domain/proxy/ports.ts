import type { DependencyReport } from '../../../../shared/readiness.ts'
import type { ByteSource } from '../stream/restored-body.ts'

/** A cloud answer that arrived with a 2xx status: whole JSON, or an event stream still arriving. */
export type CloudAnswer = { kind: 'json'; body: unknown } | { kind: 'stream'; source: ByteSource }

/**
 * The OpenAI-compatible endpoint the scrub-proxy forwards to (adapters/cloud-chat.ts). It receives
 * scrubbed bodies only; a failure is thrown as the AppError the client is answered with.
 */
export interface CloudChat {
  complete(body: unknown, options: { signal: AbortSignal; requestId?: string }): Promise<CloudAnswer>
  /** `/ready`'s `cloud_chat`: whether the endpoint answers with this key. */
  check(signal: AbortSignal): Promise<DependencyReport>
  close(): Promise<void>
}
