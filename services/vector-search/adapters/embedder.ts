/**
 * The Embedder the routes and the ingestion use (domain/embed/ports.ts), over whichever server shape
 * `EMBED_API` names (`auto` asks the server once: embedder-probe.ts). Inputs go in batches of
 * `EMBED_BATCH`, `EMBED_CONCURRENCY` calls at once, each with its own `EMBED_TIMEOUT_MS`; what comes
 * back is checked and normalised (embedder-normalise.ts) before anyone sees it.
 */
import type { Dispatcher } from 'undici'
import { type Embedder, EmbedderError, type Embeddings } from '../domain/embed/ports.ts'
import type { SparseVector } from '../domain/store/ports.ts'
import { type BatchLimit, runBatches } from './embedder-batches.ts'
import { probeShape } from './embedder-probe.ts'
import { type EmbedApi, type ServerShape, SHAPES } from './embedder-shapes.ts'
import type { Wire } from './embedder-wire.ts'

export const BGE_M3_DIM = 1024

export interface EmbedderOptions {
  baseUrl: string | null
  api: EmbedApi | 'auto'
  model: string
  dim?: number
  batch: number
  concurrency: number
  timeoutMs: number
  dispatcher?: Dispatcher
}

export interface HttpEmbedder extends Embedder {
  /** The shape in use: the configured one, or what `auto` found (null until it asked). */
  api(): EmbedApi | null
}

interface Row {
  dense?: number[]
  sparse?: SparseVector
}

export function createEmbedder(options: EmbedderOptions): HttpEmbedder {
  const wire: Wire = {
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    dispatcher: options.dispatcher,
  }
  const dim = options.dim ?? BGE_M3_DIM
  const limit: BatchLimit = { size: options.batch }
  let known: ServerShape | null = options.api === 'auto' ? null : SHAPES[options.api]
  let probing: Promise<ServerShape> | null = null

  const shape = (): Promise<ServerShape> => {
    if (known) return Promise.resolve(known)
    // Not tied to one caller's signal: the answer serves every call after it.
    probing ??= probeShape(wire, options.model).then(
      (found) => {
        known = found
        return found
      },
      (err: unknown) => {
        probing = null
        throw err
      },
    )
    return probing
  }

  return {
    model: options.model,
    dim,
    api: () => known?.api ?? null,
    async embed(texts, want, signal): Promise<Embeddings> {
      const server = texts.length > 0 ? await shape() : null
      if (want.sparse && server && !server.sparse)
        throw new EmbedderError(
          'rejected',
          `The embeddings server (${server.api} API) gives dense vectors only; sparse vectors need a bge-m3 /embed, TEI or vLLM server.`,
        )
      const rows = server
        ? await runBatches<string, Row>(
            texts,
            { limit, concurrency: options.concurrency, signal },
            async (slice, batchSignal) => {
              const got = await server.embed(
                { wire, model: options.model, dim, signal: batchSignal },
                slice,
                want,
              )
              return slice.map((_, i) => ({ dense: got.dense?.[i], sparse: got.sparse?.[i] }))
            },
          )
        : []
      return {
        ...(want.dense ? { dense: rows.map((r) => r.dense!) } : {}),
        ...(want.sparse ? { sparse: rows.map((r) => r.sparse!) } : {}),
      }
    },
  }
}
