import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { untilAborted } from '../../../shared/testing/deferred.ts'
import { type FakeUpstream, refusedUrl, startFake } from '../../../shared/testing/fake-upstream.ts'
import { startBgeM3 } from '../../../tools/spark-sim/embeddings/bge-m3.ts'
import type { EmulatorHandle } from '../../../tools/spark-sim/speech/emulator-server.ts'
import { EmbedderError } from '../domain/embed/ports.ts'
import { createEmbedder, type EmbedderOptions } from './embedder.ts'

const DIM = 4
let sim: EmulatorHandle
const fakes: FakeUpstream[] = []
let teardown = new AbortController()

beforeAll(async () => {
  sim = await startBgeM3({ host: '127.0.0.1', port: 0 })
})
afterAll(() => sim.close())
afterEach(async () => {
  teardown.abort()
  teardown = new AbortController()
  await Promise.all(fakes.splice(0).map((f) => f.close()))
})

async function fake(app: Hono) {
  const f = await startFake(app)
  fakes.push(f)
  return f.url
}

const options = (baseUrl: string | null, more: Partial<EmbedderOptions> = {}): EmbedderOptions => ({
  baseUrl,
  api: 'auto',
  model: 'BAAI/bge-m3',
  batch: 32,
  concurrency: 4,
  timeoutMs: 5000,
  ...more,
})

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0))
const both = { dense: true, sparse: true }
const texts = (n: number) => Array.from({ length: n }, (_, i) => `text number ${i} about subject ${i % 7}`)

async function failure(p: Promise<unknown>): Promise<EmbedderError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(EmbedderError)
  return err as EmbedderError
}

describe('embedder over the simulated FastAPI bge-m3 server', () => {
  it('finds the /embed shape, and answers 1024-d unit vectors and clean sparse vectors in input order', async () => {
    const embedder = createEmbedder(options(sim.url))
    const input = texts(5)
    const out = await embedder.embed(input, both)
    expect(embedder.api()).toBe('bge-m3')
    expect(out.dense).toHaveLength(5)
    for (const v of out.dense!) {
      expect(v).toHaveLength(1024)
      expect(norm(v)).toBeCloseTo(1, 6)
    }
    for (const s of out.sparse!) {
      expect(s.indices.length).toBeGreaterThan(0)
      expect(s.indices).toEqual([...new Set(s.indices)].sort((a, b) => a - b))
      expect(s.values.every((x) => x > 0)).toBe(true)
    }
    // Batching keeps the order: one text alone gives the vector it had in the batch.
    const third = await embedder.embed([input[2]!], { dense: true, sparse: false })
    expect(third.dense![0]).toEqual(out.dense![2])
    expect(third.sparse).toBeUndefined()
  })

  it('splits batches the server refuses as too large (the simulator takes 64) and keeps the smaller size', async () => {
    const embedder = createEmbedder(options(sim.url, { api: 'bge-m3', batch: 100, concurrency: 2 }))
    const before = sim.requestCount('/embed')
    const input = texts(150)
    const out = await embedder.embed(input, { dense: true, sparse: false })
    expect(out.dense).toHaveLength(150)
    const alone = await embedder.embed([input[149]!], { dense: true, sparse: false })
    expect(alone.dense![0]).toEqual(out.dense![149])
    const calls = sim.requestCount('/embed') - before
    // 100 refused, then 50 + 50 + 50 (the 150-100 tail is split the same way): 2 refusals at most.
    expect(calls).toBeLessThanOrEqual(6)
    const again = sim.requestCount('/embed')
    await embedder.embed(texts(100), { dense: true, sparse: false })
    expect(sim.requestCount('/embed') - again).toBe(2)
  })

  it('reports an input the server refuses (too long) as rejected', async () => {
    const embedder = createEmbedder(options(sim.url, { api: 'bge-m3' }))
    const err = await failure(embedder.embed(['x'.repeat(40_000)], both))
    expect(err.code).toBe('rejected')
  })
})

describe('embedder over a FastAPI server that names the texts `inputs`', () => {
  it('is found by the second probe and sent `inputs` from then on', async () => {
    const app = new Hono()
    app.post('/embed', async (c) => {
      const body = (await c.req.json()) as Record<string, unknown>
      const extra = Object.keys(body).filter((k) => !k.startsWith('return_') && k !== 'inputs')
      if (extra.length > 0 || !Array.isArray(body.inputs))
        return c.json({ detail: 'extra fields not permitted' }, 422)
      return c.json({
        dense_vectors: body.inputs.map(() => [0, 0, 2, 0]),
        lexical_weights: body.inputs.map(() => ({ '17': 0.25, '5': 0.5 })),
      })
    })
    const embedder = createEmbedder(options(await fake(app), { dim: DIM }))
    const out = await embedder.embed(['a', 'b'], both)
    expect(embedder.api()).toBe('bge-m3')
    expect(out.dense![1]).toEqual([0, 0, 1, 0])
    expect(out.sparse![0]).toEqual({ indices: [5, 17], values: [0.5, 0.25] })
  })
})

describe('embedder over TEI', () => {
  function tei(seen: { embed: number[]; sparse: unknown[] }, maxBatch = 4) {
    const app = new Hono()
    const refuse = (n: number) => ({
      error: `batch size ${n} > maximum allowed batch size ${maxBatch}`,
      error_type: 'Validation',
    })
    app.post('/embed', async (c) => {
      const body = (await c.req.json()) as { inputs?: string[]; normalize?: boolean }
      // TEI's JSON extractor refuses a body without `inputs` (as the auto probe's `texts` is).
      if (!body.inputs) return c.text('Failed to deserialize the JSON body: missing field `inputs`', 422)
      if (body.inputs.length > maxBatch) return c.json(refuse(body.inputs.length), 422)
      seen.embed.push(body.inputs.length)
      return c.json(body.inputs.map((t) => [t.length, 0, 0, 0]))
    })
    app.post('/embed_sparse', async (c) => {
      const body = (await c.req.json()) as { inputs: string[] }
      if (body.inputs.length > maxBatch) return c.json(refuse(body.inputs.length), 422)
      seen.sparse.push(body)
      return c.json(
        body.inputs.map((t) => [
          { index: 900, value: 0.5 },
          { index: 7, value: t.length / 100 },
          { index: 900, value: 0.75 },
          { index: 3, value: 0 },
        ]),
      )
    })
    return fake(app)
  }

  it('finds TEI, merges /embed and /embed_sparse, and normalises both', async () => {
    const seen = { embed: [] as number[], sparse: [] as unknown[] }
    const embedder = createEmbedder(options(await tei(seen), { dim: DIM, batch: 10 }))
    const out = await embedder.embed(['ab', 'abcd', 'abcdef', 'a', 'b', 'c'], both)
    expect(embedder.api()).toBe('tei')
    expect(out.dense![0]).toEqual([1, 0, 0, 0])
    expect(out.sparse![2]).toEqual({ indices: [7, 900], values: [0.06, 0.75] })
    // 10 was refused (422, TEI's wording) and split down to the server's 4.
    expect(Math.max(...seen.embed.slice(1))).toBeLessThanOrEqual(4)
  })
})

describe('embedder over vLLM pooling', () => {
  it('max-pools token_classify weights by token id and drops special tokens', async () => {
    const app = new Hono()
    app.get('/v1/models', (c) => c.json({ object: 'list', data: [{ id: 'BAAI/bge-m3', owned_by: 'vllm' }] }))
    app.post('/v1/embeddings', async (c) => {
      const body = (await c.req.json()) as { input: string[] }
      return c.json({
        object: 'list',
        data: body.input
          .map((_, index) => ({ object: 'embedding', index, embedding: [0, 3, 4, 0] }))
          .reverse(),
      })
    })
    // "<s> hello world hello </s>": 0 … 2, the weights after <s>.
    app.post('/tokenize', (c) => c.json({ tokens: [0, 33, 44, 33, 2], count: 5 }))
    app.post('/pooling', async (c) => {
      const body = (await c.req.json()) as { input: string[]; task: string }
      expect(body.task).toBe('token_classify')
      return c.json({
        object: 'list',
        data: body.input.map((_, index) => ({
          index,
          object: 'pooling',
          data: [[0.2], [0.1], [0.3], [0.9]],
        })),
      })
    })
    const embedder = createEmbedder(options(await fake(app), { dim: DIM }))
    const out = await embedder.embed(['hello world hello', 'again'], both)
    expect(embedder.api()).toBe('vllm')
    expect(out.dense).toEqual([
      [0, 0.6, 0.8, 0],
      [0, 0.6, 0.8, 0],
    ])
    expect(out.sparse![0]).toEqual({ indices: [33, 44], values: [0.3, 0.1] })
  })
})

describe('embedder over a plain OpenAI server', () => {
  async function openaiOnly() {
    const app = new Hono()
    app.get('/v1/models', (c) => c.json({ object: 'list', data: [{ id: 'bge-m3', owned_by: 'someone' }] }))
    app.post('/v1/embeddings', async (c) => {
      const body = (await c.req.json()) as { input: string[] }
      return c.json({
        object: 'list',
        data: body.input.map((_, index) => ({ index, embedding: [1, 1, 1, 1] })),
      })
    })
    return fake(app)
  }

  it('is found when /embed does not exist, gives dense, and refuses sparse', async () => {
    const embedder = createEmbedder(options(await openaiOnly(), { dim: DIM }))
    const out = await embedder.embed(['a'], { dense: true, sparse: false })
    expect(embedder.api()).toBe('openai')
    expect(out.dense).toEqual([[0.5, 0.5, 0.5, 0.5]])
    const err = await failure(embedder.embed(['a'], both))
    expect(err.code).toBe('rejected')
    expect(err.message).toContain('dense vectors only')
  })
})

describe('embedder failures', () => {
  const fixed = (answer: (c: import('hono').Context) => Response | Promise<Response>) => {
    const app = new Hono()
    app.post('/embed', answer)
    return fake(app)
  }

  it.each([
    ['a dense vector of the wrong size', { dense: [[1, 2, 3]], sparse: [{}] }],
    ['lexical weights keyed by token text', { dense: [[1, 0, 0, 0]], lexical_weights: [{ hello: 0.5 }] }],
    ['fewer vectors than inputs', { dense: [], sparse: [] }],
    ['a non-number in a vector', { dense: [[1, 'x', 0, 0]], sparse: [{ indices: [], values: [] }] }],
  ])('refuses %s as malformed', async (_, body) => {
    const url = await fixed((c) => c.json(body))
    const err = await failure(createEmbedder(options(url, { api: 'bge-m3', dim: DIM })).embed(['a'], both))
    expect(err.code).toBe('malformed')
  })

  it('refuses an answer that is not JSON as malformed', async () => {
    const url = await fixed((c) => c.text('<html>proxy error</html>', 200))
    const err = await failure(createEmbedder(options(url, { api: 'bge-m3', dim: DIM })).embed(['a'], both))
    expect(err.code).toBe('malformed')
  })

  it('reports a 5xx as unavailable with the default Retry-After, and a 503 with its own', async () => {
    const crash = await fixed((c) => c.json({ detail: 'CUDA error: out of memory' }, 500))
    const err = await failure(createEmbedder(options(crash, { api: 'bge-m3' })).embed(['a'], both))
    expect(err).toMatchObject({ code: 'unavailable', retryAfterS: 5 })
    const busy = await fixed((c) => c.json({ error: 'loading' }, 503, { 'Retry-After': '30' }))
    expect(await failure(createEmbedder(options(busy, { api: 'bge-m3' })).embed(['a'], both))).toMatchObject({
      code: 'unavailable',
      retryAfterS: 30,
    })
  })

  it('reports nobody listening, and no server configured, as unavailable', async () => {
    const refused = await refusedUrl()
    expect((await failure(createEmbedder(options(refused)).embed(['a'], both))).code).toBe('unavailable')
    expect((await failure(createEmbedder(options(null)).embed(['a'], both))).code).toBe('unavailable')
  })

  it('gives up on a call after EMBED_TIMEOUT_MS', async () => {
    const url = await fixed(async (c) => {
      await untilAborted(teardown.signal)
      return c.json({})
    })
    const started = performance.now()
    const err = await failure(
      createEmbedder(options(url, { api: 'bge-m3', timeoutMs: 200 })).embed(['a'], both),
    )
    expect(err.code).toBe('timeout')
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('keeps at most EMBED_CONCURRENCY calls in flight, and one failed batch fails the whole call', async () => {
    let inFlight = 0
    let most = 0
    let calls = 0
    const url = await fixed(async (c) => {
      const body = (await c.req.json()) as { texts: string[] }
      calls += 1
      inFlight += 1
      most = Math.max(most, inFlight)
      await new Promise((r) => setImmediate(r))
      inFlight -= 1
      if (body.texts.includes('poison')) return c.json({ detail: 'boom' }, 500)
      return c.json({ dense: body.texts.map(() => [1, 0, 0, 0]) })
    })
    const embedder = createEmbedder(options(url, { api: 'bge-m3', dim: DIM, batch: 2, concurrency: 3 }))
    const ok = await embedder.embed(texts(20), { dense: true, sparse: false })
    expect(ok.dense).toHaveLength(20)
    expect(calls).toBe(10)
    expect(most).toBeLessThanOrEqual(3)
    const err = await failure(embedder.embed([...texts(9), 'poison'], { dense: true, sparse: false }))
    expect(err.code).toBe('unavailable')
  })

  it('asks an auto server its shape again after it could not be reached', async () => {
    const embedder = createEmbedder(options(await refusedUrl()))
    await failure(embedder.embed(['a'], both))
    expect(embedder.api()).toBeNull()
  })
})
