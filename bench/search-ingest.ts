/**
 * (b) Ingestion throughput through `POST /api/search/collections/{name}/documents`, chunks per
 * second, with the embeddings server alone as the baseline: the same chunk texts (cut by the
 * service's own chunker with its configured sizes) embedded dense + sparse by the service's own
 * embedder adapter in the same calls (INGEST_EMBED_BATCH per call, one after the other). The service runs as its own process (as deployed);
 * the simulated embeddings server runs in this one. Rounds alternate baseline and route, each
 * round with new document ids.
 */
import { type BatchLimits, batchesOf, textBytes } from '../services/vector-search/domain/documents/batches.ts'
import { chunkDocument } from '../services/vector-search/domain/documents/chunking.ts'
import type { Embedder } from '../services/vector-search/domain/embed/ports.ts'
import type { EvalDocument, SearchClient } from '../tools/search-eval/client.ts'
import { cpuSecondsOf } from './children.ts'

export interface IngestRound {
  documents: number
  chunks: number
  routeSeconds: number
  embedSeconds: number
  /** The service's own timings summed over the round's requests (IngestResponse.timings), ms. */
  service: Record<string, number>
  /** CPU time the service process used during the route's part of the round (null: not started here). */
  serviceCpuSeconds: number | null
}

export interface IngestThroughput {
  rounds: IngestRound[]
  /** Chunks per CPU-second of the service process: the throughput it would reach with a core to itself. */
  chunksPerServiceCpuS: number | null
  /** The service's stage timings summed over every round, ms (chunk, plan, embed, write, total). */
  service: Record<string, number>
  chunks: number
  routeChunksPerS: number
  embedChunksPerS: number
  /** Route throughput as a share of the embedder's alone (1 = the service costs nothing on top). */
  ratio: number
}

export interface IngestOptions {
  client: SearchClient
  embedder: Embedder
  collection: string
  /** One list of documents per round (fresh ids each). */
  rounds: EvalDocument[][]
  chunking: { sizeTokens: number; overlapTokens: number }
  /** The service's INGEST_EMBED_BATCH(_BYTES): how it splits a request's chunks into embed calls. */
  embedBatch: BatchLimits
  documentsPerRequest: number
  /** Ingested (unmeasured) before the rounds, so the service's code is warm. */
  warmUp: EvalDocument[]
  /** The service's process, for its CPU time. */
  servicePid?: number
  log: (line: string) => void
}

async function viaRoute(options: IngestOptions, documents: EvalDocument[]) {
  let chunks = 0
  const service: Record<string, number> = {}
  const started = performance.now()
  for (let i = 0; i < documents.length; i += options.documentsPerRequest) {
    const batch = documents.slice(i, i + options.documentsPerRequest)
    const answer = await options.client.ingest(options.collection, batch)
    chunks += answer.chunks
    for (const [stage, ms] of Object.entries(answer.timings ?? {}))
      service[stage] = (service[stage] ?? 0) + ms
  }
  return { chunks, service, seconds: (performance.now() - started) / 1000 }
}

/** The embedder alone: the same calls, one after the other, as the route makes for the same requests. */
async function embedderAlone(options: IngestOptions, documents: EvalDocument[]) {
  const started = performance.now()
  let chunks = 0
  for (let i = 0; i < documents.length; i += options.documentsPerRequest) {
    const texts = documents
      .slice(i, i + options.documentsPerRequest)
      .flatMap((d) => chunkDocument(d.text, options.chunking).map((c) => c.text))
    chunks += texts.length
    for (const batch of batchesOf(texts, options.embedBatch, textBytes))
      await options.embedder.embed(batch, { dense: true, sparse: true })
  }
  return { chunks, seconds: (performance.now() - started) / 1000 }
}

export async function measureIngest(options: IngestOptions): Promise<IngestThroughput> {
  const rounds: IngestRound[] = []
  await viaRoute(options, options.warmUp)
  await embedderAlone(options, options.warmUp)
  const cpu = async () => (options.servicePid ? await cpuSecondsOf([options.servicePid]) : null)
  for (const [n, documents] of options.rounds.entries()) {
    // Half the rounds start with the baseline, half with the route.
    const first = n % 2 === 0
    const base1 = first ? await embedderAlone(options, documents) : null
    const cpuBefore = await cpu()
    const route = await viaRoute(options, documents)
    const cpuAfter = await cpu()
    const base = base1 ?? (await embedderAlone(options, documents))
    if (base.chunks !== route.chunks)
      options.log(
        `round ${n + 1}: the service made ${route.chunks} chunks, the bench's chunker ${base.chunks}`,
      )
    rounds.push({
      documents: documents.length,
      chunks: route.chunks,
      routeSeconds: route.seconds,
      embedSeconds: base.seconds,
      service: route.service,
      serviceCpuSeconds: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    })
    options.log(
      `ingest round ${n + 1}/${options.rounds.length}: ${route.chunks} chunks, route ${route.seconds.toFixed(2)} s, embedder alone ${base.seconds.toFixed(2)} s`,
    )
  }
  const chunks = rounds.reduce((s, r) => s + r.chunks, 0)
  const service: Record<string, number> = {}
  for (const r of rounds)
    for (const [stage, ms] of Object.entries(r.service)) service[stage] = (service[stage] ?? 0) + ms
  const cpuSeconds = rounds.every((r) => r.serviceCpuSeconds !== null)
    ? rounds.reduce((s, r) => s + r.serviceCpuSeconds!, 0)
    : null
  const routeChunksPerS = chunks / rounds.reduce((s, r) => s + r.routeSeconds, 0)
  const embedChunksPerS = chunks / rounds.reduce((s, r) => s + r.embedSeconds, 0)
  return {
    rounds,
    chunksPerServiceCpuS: cpuSeconds ? chunks / cpuSeconds : null,
    service,
    chunks,
    routeChunksPerS,
    embedChunksPerS,
    ratio: routeChunksPerS / embedChunksPerS,
  }
}
