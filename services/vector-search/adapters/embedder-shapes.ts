/**
 * The server shapes bge-m3 is served in, one batch each (docs/UPSTREAMS.md#bge-m3-embeddings-server):
 *
 * - `openai` — `POST /v1/embeddings`, dense only.
 * - `bge-m3` — the small FastAPI servers: `POST /embed {texts, return_dense, return_sparse}` →
 *   `dense | dense_vectors` and `sparse | sparse_vectors | lexical_weights`.
 * - `tei` — Hugging Face text-embeddings-inference: `POST /embed {inputs}` → `number[][]`, and
 *   `POST /embed_sparse {inputs}` → `[[{index, value}]]` per input (only for models with a sparse head).
 * - `vllm` — `vllm serve BAAI/bge-m3 --hf-overrides '{"architectures":["BgeM3EmbeddingModel"]}'`:
 *   dense from `/v1/embeddings`; sparse from `POST /pooling {task: "token_classify"}` (one weight per
 *   token, after the leading `<s>`) joined with `POST /tokenize` ids, max-pooled by token id, special
 *   tokens dropped — what FlagEmbedding's `lexical_weights` are.
 */
import type { Embeddings } from '../domain/embed/ports.ts'
import type { SparseVector } from '../domain/store/ports.ts'
import { byIndex, listOf, malformed, parseSparse, sparseFromPairs, unitDense } from './embedder-normalise.ts'
import { postJson, type Wire } from './embedder-wire.ts'

export type EmbedApi = 'openai' | 'bge-m3' | 'tei' | 'vllm'

export interface Want {
  dense: boolean
  sparse: boolean
}

export interface ShapeCall {
  wire: Wire
  model: string
  dim: number
  signal?: AbortSignal
}

export interface ServerShape {
  api: EmbedApi
  /** Whether this server gives sparse vectors. */
  sparse: boolean
  embed(call: ShapeCall, texts: string[], want: Want): Promise<Embeddings>
}

/** XLM-RoBERTa's `<s>`, `<pad>`, `</s>`, `<unk>`: FlagEmbedding drops them from the lexical weights. */
const SPECIAL_TOKENS = new Set([0, 1, 2, 3])

async function openaiDense(call: ShapeCall, texts: string[]): Promise<number[][]> {
  const body = (await postJson(
    call.wire,
    '/v1/embeddings',
    { input: texts, model: call.model, encoding_format: 'float' },
    call.signal,
  )) as { data?: unknown }
  return byIndex<{ embedding?: unknown }>(body?.data, texts.length, 'embeddings').map((d) =>
    unitDense(d.embedding, call.dim),
  )
}

const openai: ServerShape = {
  api: 'openai',
  sparse: false,
  embed: async (call, texts) => ({ dense: await openaiDense(call, texts) }),
}

/** The FastAPI servers name the texts `texts` (FlagEmbedding's word) or `inputs`; `auto` finds which. */
export const fastapiBgeM3 = (field: 'texts' | 'inputs'): ServerShape => ({
  api: 'bge-m3',
  sparse: true,
  async embed(call, texts, want) {
    const body = (await postJson(
      call.wire,
      '/embed',
      { [field]: texts, return_dense: want.dense, return_sparse: want.sparse, return_colbert_vecs: false },
      call.signal,
    )) as Record<string, unknown> | null
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed('no JSON object')
    const out: Embeddings = {}
    if (want.dense)
      out.dense = listOf(
        body.dense ?? body.dense_vectors ?? body.dense_vecs,
        texts.length,
        'dense vectors',
      ).map((v) => unitDense(v, call.dim))
    if (want.sparse)
      out.sparse = listOf(
        body.sparse ?? body.sparse_vectors ?? body.lexical_weights,
        texts.length,
        'sparse vectors',
      ).map(parseSparse)
    return out
  },
})

const tei: ServerShape = {
  api: 'tei',
  sparse: true,
  async embed(call, texts, want) {
    const [dense, sparse] = await Promise.all([
      want.dense ? postJson(call.wire, '/embed', { inputs: texts, normalize: true }, call.signal) : undefined,
      want.sparse ? postJson(call.wire, '/embed_sparse', { inputs: texts }, call.signal) : undefined,
    ])
    return {
      ...(want.dense
        ? { dense: listOf(dense, texts.length, 'dense vectors').map((v) => unitDense(v, call.dim)) }
        : {}),
      ...(want.sparse ? { sparse: listOf(sparse, texts.length, 'sparse vectors').map(parseSparse) } : {}),
    }
  },
}

async function vllmSparse(call: ShapeCall, texts: string[]): Promise<SparseVector[]> {
  const [ids, pooled] = await Promise.all([
    Promise.all(
      texts.map(async (prompt) => {
        const body = (await postJson(call.wire, '/tokenize', { model: call.model, prompt }, call.signal)) as {
          tokens?: unknown
        }
        if (!Array.isArray(body?.tokens)) throw malformed('a tokenization without tokens')
        return body.tokens as unknown[]
      }),
    ),
    postJson(call.wire, '/pooling', { model: call.model, input: texts, task: 'token_classify' }, call.signal),
  ])
  const rows = byIndex<{ data?: unknown }>((pooled as { data?: unknown })?.data, texts.length, 'pooling rows')
  return rows.map((row, i) => tokenWeights(ids[i]!, row.data))
}

/** Per-token weights joined with the token ids; the weights may leave out the leading `<s>`. */
function tokenWeights(tokens: unknown[], weights: unknown): SparseVector {
  if (!Array.isArray(weights)) throw malformed('token weights that are not a list')
  const ids = weights.length === tokens.length - 1 && tokens[0] === 0 ? tokens.slice(1) : tokens
  if (ids.length !== weights.length)
    throw malformed(`${weights.length} token weights for ${ids.length} tokens`)
  const pairs = ids.map((id, i) => {
    const w = weights[i]
    return [id, Array.isArray(w) && w.length === 1 ? w[0] : w] as const
  })
  return sparseFromPairs(pairs.filter(([id]) => !SPECIAL_TOKENS.has(id as number)))
}

const vllm: ServerShape = {
  api: 'vllm',
  sparse: true,
  async embed(call, texts, want) {
    const [dense, sparse] = await Promise.all([
      want.dense ? openaiDense(call, texts) : undefined,
      want.sparse ? vllmSparse(call, texts) : undefined,
    ])
    return { ...(dense ? { dense } : {}), ...(sparse ? { sparse } : {}) }
  },
}

export const SHAPES: Record<EmbedApi, ServerShape> = {
  openai,
  'bge-m3': fastapiBgeM3('texts'),
  tei,
  vllm,
}

/** The same server answering dense only (TEI or vLLM serving a model without a sparse head). */
export const denseOnly = (shape: ServerShape): ServerShape => ({ ...shape, sparse: false })
