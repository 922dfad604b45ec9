/**
 * What a smoke check is: a name, the upstreams it needs (when `/api/endpoints` says one of them is
 * disabled on this installation the check is skipped, not failed), and a `run` that answers a
 * one-line summary on success or throws `CheckFailed` with the reason in plain words.
 */
import type { EndpointEntry } from '../../shared/contracts/gateway.ts'
import type { CheckName } from './args.ts'
import type { SmokeClient } from './http.ts'

export class CheckFailed extends Error {}

export const fail = (reason: string): never => {
  throw new CheckFailed(reason)
}

export interface CheckContext {
  client: SmokeClient
  /** `/api/endpoints` as read before the checks, or null when it did not answer … */
  endpoints: Record<string, EndpointEntry> | null
  /** … and then why not. */
  endpointsProblem?: string
  /** The audio file to transcribe. */
  audio(): Promise<string>
  /** What one check learnt that a later one uses (the embedding width for the search collection). */
  facts: { embeddingDimension?: number }
}

export interface Check {
  name: CheckName
  needs: string[]
  run(ctx: CheckContext): Promise<string>
}
