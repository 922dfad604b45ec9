/**
 * `EMBED_API=auto`: which shape the server speaks, asked once with a one-word input and remembered
 * (a failure to reach it is not remembered, so the next call asks again):
 *
 * 1. `POST /embed {texts}` — an object with dense/sparse fields is a FastAPI bge-m3 server. Then
 *    `POST /embed {inputs}` (each field alone: a server that forbids unknown fields refuses a mix) —
 *    a bare list of vectors is TEI, which gives sparse only if `/embed_sparse` answers.
 * 2. Otherwise `GET /v1/models` — `owned_by: "vllm"` is vLLM, with sparse if `/pooling` token_classify
 *    answers.
 * 3. Otherwise the plain OpenAI `/v1/embeddings`, dense only.
 */
import { EmbedderError } from '../domain/embed/ports.ts'
import { denseOnly, fastapiBgeM3, type ServerShape, SHAPES } from './embedder-shapes.ts'
import { getJson, postJson, type Wire } from './embedder-wire.ts'

const PROBE_TEXT = 'probe'

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Whether the call answered at all; a refusal (4xx, no such route) is a "no", an outage is thrown. */
async function answers(call: () => Promise<unknown>): Promise<unknown | undefined> {
  try {
    return await call()
  } catch (err) {
    if (err instanceof EmbedderError && (err.code === 'unavailable' || err.code === 'timeout')) throw err
    if (!(err instanceof EmbedderError) && !(err instanceof Error && err.name === 'BatchTooLarge')) throw err
    return undefined
  }
}

export async function probeShape(wire: Wire, model: string, signal?: AbortSignal): Promise<ServerShape> {
  const fastapi = await answers(() =>
    postJson(wire, '/embed', { texts: [PROBE_TEXT], return_dense: true, return_sparse: true }, signal),
  )
  if (isObject(fastapi)) return SHAPES['bge-m3']
  const embed = await answers(() => postJson(wire, '/embed', { inputs: [PROBE_TEXT] }, signal))
  if (Array.isArray(embed)) {
    const sparse = await answers(() => postJson(wire, '/embed_sparse', { inputs: [PROBE_TEXT] }, signal))
    return Array.isArray(sparse) ? SHAPES.tei : denseOnly(SHAPES.tei)
  }
  if (isObject(embed)) return fastapiBgeM3('inputs')
  const models = (await answers(() => getJson(wire, '/v1/models', signal))) as { data?: unknown } | undefined
  const ownedByVllm =
    Array.isArray(models?.data) && models.data.some((m) => (m as { owned_by?: unknown })?.owned_by === 'vllm')
  if (ownedByVllm) {
    const pooled = await answers(() =>
      postJson(wire, '/pooling', { model, input: [PROBE_TEXT], task: 'token_classify' }, signal),
    )
    return pooled ? SHAPES.vllm : denseOnly(SHAPES.vllm)
  }
  return SHAPES.openai
}
