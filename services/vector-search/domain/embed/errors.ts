/**
 * Embedder and reranker failures as the HTTP errors every vector-search route answers (the
 * embeddings, embed and rerank routes, and the ingest and query routes through
 * domain/query/errors.ts); shared/errors.ts renders them in the path's style. The adapters'
 * messages are whole sentences naming the embeddings server, so they are passed on as they are.
 */
import { AppError, upstreamFailed } from '../../../../shared/errors.ts'
import { EmbedderError } from './ports.ts'

const RETRY_AFTER_S = 5

export function embedderFailure(err: unknown): unknown {
  if (!(err instanceof EmbedderError)) return err
  switch (err.code) {
    case 'unavailable':
      return new AppError(503, 'upstream_unavailable', err.message, {
        retryAfterS: err.retryAfterS ?? RETRY_AFTER_S,
        cause: err,
      })
    case 'timeout':
      return new AppError(504, 'upstream_timeout', err.message)
    case 'rejected':
      return new AppError(400, 'upstream_rejected', err.message)
    default:
      return upstreamFailed('The embeddings server', err.message)
  }
}

/** Runs a call to the embeddings server, its failure turned into the route's HTTP error. */
export async function viaEmbedder<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    throw embedderFailure(err)
  }
}
