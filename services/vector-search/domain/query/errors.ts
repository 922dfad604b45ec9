/**
 * Store and embedder failures as the HTTP errors the routes answer (shared/errors.ts renders them
 * in the path's style). Anything else is passed on unchanged: an AppError already says its status.
 */
import {
  AppError,
  conflict,
  notFound,
  upstreamFailed,
  upstreamUnavailable,
} from '../../../../shared/errors.ts'
import { embedderFailure } from '../embed/errors.ts'
import { EmbedderError } from '../embed/ports.ts'
import { StoreError } from '../store/ports.ts'

const RETRY_AFTER_S = 5

export function asAppError(err: unknown): unknown {
  if (err instanceof StoreError) return fromStore(err)
  if (err instanceof EmbedderError) return embedderFailure(err)
  return err
}

function fromStore(err: StoreError): AppError {
  switch (err.code) {
    case 'collection_not_found':
      return notFound(err.message)
    case 'collection_exists':
      return conflict(err.message)
    case 'tenant_required':
    case 'bad_vector':
      return new AppError(400, err.code, err.message)
    case 'too_large':
      return new AppError(413, 'too_large', err.message)
    case 'unavailable':
      return upstreamUnavailable(
        'The vector store',
        err.retryAfterS ?? RETRY_AFTER_S,
        'is not reachable',
        err,
      )
    case 'timeout':
      return new AppError(504, 'upstream_timeout', `The vector store did not answer in time: ${err.message}`)
    default:
      return upstreamFailed('The vector store', err.message)
  }
}

/** Runs `work`, turning a store or embedder failure into the AppError the route answers. */
export async function mapped<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    throw asAppError(err)
  }
}

/** A 400 with its own code, the way the contract names it (`bad_vector`, `bad_filter`, …). */
export const invalid = (code: string, message: string) => new AppError(400, code, message)
