/**
 * The bge-m3 server as the domain sees it, whatever shape the real server answers in (the adapters
 * in `adapters/embedder*.ts` turn OpenAI, the small FastAPI bge-m3 servers, TEI and vLLM pooling into
 * this). Batching, timeouts and "down ⇒ 503 + Retry-After" live in the adapter.
 */
import type { SparseVector } from '../store/ports.ts'

export interface Embeddings {
  /** One per input, in input order; L2-normalised. Present when asked for. */
  dense?: number[][]
  /** One per input: token ids ascending and unique, weights > 0. Present when asked for. */
  sparse?: SparseVector[]
}

export interface Embedder {
  /** The model the server serves (e.g. `BAAI/bge-m3`) and its dense size (1024). */
  readonly model: string
  readonly dim: number
  embed(texts: string[], want: { dense: boolean; sparse: boolean }, signal?: AbortSignal): Promise<Embeddings>
}

export interface Reranker {
  readonly model: string
  /** Raw relevance logits, one per document in document order (not sorted, not squashed). */
  score(query: string, documents: string[], signal?: AbortSignal): Promise<number[]>
}

/** The embeddings server failed; `unavailable` maps to 503 + Retry-After, nothing half-written. */
export class EmbedderError extends Error {
  constructor(
    readonly code: 'unavailable' | 'timeout' | 'rejected' | 'malformed',
    message: string,
    readonly retryAfterS?: number,
  ) {
    super(message)
    this.name = 'EmbedderError'
  }
}
