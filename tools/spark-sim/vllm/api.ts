/**
 * vLLM's OpenAI-compatible HTTP surface as a controller meets it: `/health`, `/v1/models`, chat and
 * text completions (JSON and SSE, with `response_format` structured output), `/metrics`, plus the small extras (`/version`, `/load`, `/ping`,
 * `/tokenize`). Error bodies use vLLM's `{"error": {message, type, param, code}}` envelope.
 */
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { type Engine, EngineDeadError, type TokenEvent } from './engine.ts'
import { countPromptTokens } from './generation.ts'
import { outputFormat, SchemaError } from './structured.ts'

const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() })
const Message = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(ContentPart), z.null()]).optional(),
})
const Common = {
  model: z.string().nullish(),
  stream: z.boolean().nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  /** Checked in `structured.ts`, which answers a 400 naming the field. */
  response_format: z.unknown().optional(),
}
const ChatBody = z.looseObject({
  ...Common,
  messages: z.array(Message).min(1),
  max_completion_tokens: z.number().int().min(1).nullish(),
})
const CompletionBody = z.looseObject({ ...Common, prompt: z.union([z.string(), z.array(z.string()).min(1)]) })

type ErrorType = 'BadRequestError' | 'NotFoundError' | 'InternalServerError' | 'ServiceUnavailableError'

const errorBody = (message: string, type: ErrorType, code: number, param: string | null = null) => ({
  error: { message, type, param, code },
})

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID().replace(/-/g, '')}`

export function buildVllmApp(engine: Engine): Hono {
  const app = new Hono()
  const cfg = engine.config
  const created = Math.floor(Date.now() / 1000)

  app.use('*', async (c, next) => {
    await next()
    const sock = (
      c.env as { incoming?: { socket?: { remoteAddress?: string; remotePort?: number } } } | undefined
    )?.incoming?.socket
    const peer = `${sock?.remoteAddress ?? '127.0.0.1'}:${sock?.remotePort ?? 0}`
    if (c.req.path !== '/metrics' && c.req.path !== '/health') {
      engine.log.uvicorn(
        `${peer} - "${c.req.method} ${c.req.path} HTTP/1.1" ${c.res.status} ${statusText(c.res.status)}`,
      )
    }
  })

  const health = (c: Context) => c.body(null, engine.state === 'ready' ? 200 : 503)
  app.get('/health', health)
  app.get('/ping', health)
  app.post('/ping', health)
  app.get('/version', (c) => c.json({ version: cfg.version }))
  app.get('/load', (c) => c.json({ server_load: engine.inFlight() }))
  app.get('/metrics', (c) =>
    c.text(engine.metricsText(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
  )

  app.get('/v1/models', (c) =>
    c.json({
      object: 'list',
      data: [
        {
          id: cfg.servedModelName,
          object: 'model',
          created,
          owned_by: 'vllm',
          root: cfg.model,
          parent: null,
          max_model_len: cfg.maxModelLen,
          permission: [
            {
              id: `modelperm-${created.toString(16)}`,
              object: 'model_permission',
              created,
              allow_create_engine: false,
              allow_sampling: true,
              allow_logprobs: true,
              allow_search_indices: false,
              allow_view: true,
              allow_fine_tuning: false,
              organization: '*',
              group: null,
              is_blocking: false,
            },
          ],
        },
      ],
    }),
  )

  app.post('/tokenize', async (c) => {
    const body = await readJson(c)
    if (!body.ok) return body.res
    const b = body.value as { prompt?: unknown; messages?: unknown }
    const text = typeof b.prompt === 'string' ? b.prompt : JSON.stringify(b.messages ?? '')
    const count = countPromptTokens(text)
    return c.json({
      count,
      max_model_len: cfg.maxModelLen,
      tokens: Array.from({ length: count }, (_, i) => 1000 + i),
    })
  })

  app.post('/v1/chat/completions', (c) => complete(c, engine, 'chat'))
  app.post('/v1/completions', (c) => complete(c, engine, 'text'))

  app.notFound((c) => c.json({ detail: 'Not Found' }, 404))
  app.onError((err, c) => c.json(errorBody(err.message, 'InternalServerError', 500), 500))
  return app
}

async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; res: Response }> {
  try {
    return { ok: true, value: await c.req.json() }
  } catch {
    return {
      ok: false,
      res: c.json(
        errorBody('Invalid JSON body: could not parse the request body.', 'BadRequestError', 400),
        400,
      ),
    }
  }
}

async function complete(c: Context, engine: Engine, kind: 'chat' | 'text'): Promise<Response> {
  const cfg = engine.config
  if (engine.state === 'dead') {
    return c.json(errorBody(new EngineDeadError().message, 'InternalServerError', 500), 500)
  }
  if (engine.state !== 'ready') {
    return c.json(
      errorBody('The server is not ready to accept requests.', 'ServiceUnavailableError', 503),
      503,
    )
  }
  const raw = await readJson(c)
  if (!raw.ok) return raw.res
  const parsed = (kind === 'chat' ? ChatBody : CompletionBody).safeParse(raw.value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.join('.') || 'body'
    return c.json(
      errorBody(`Invalid request: ${where}: ${issue?.message ?? 'invalid'}`, 'BadRequestError', 400, where),
      400,
    )
  }
  const body = parsed.data as z.infer<typeof ChatBody> & z.infer<typeof CompletionBody>
  if (body.model && body.model !== cfg.servedModelName) {
    return c.json(
      errorBody(`The model \`${body.model}\` does not exist.`, 'NotFoundError', 404, 'model'),
      404,
    )
  }
  const prompt =
    kind === 'chat'
      ? chatPrompt(body.messages)
      : Array.isArray(body.prompt)
        ? body.prompt.join('\n')
        : body.prompt
  let output: ReturnType<typeof outputFormat>
  try {
    output = outputFormat(body.response_format)
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err
    return c.json(errorBody(err.message, 'BadRequestError', 400, 'response_format'), 400)
  }
  const maxTokens = body.max_completion_tokens ?? body.max_tokens ?? undefined
  const promptTokens = countPromptTokens(prompt)
  if (promptTokens + (maxTokens ?? 0) > cfg.maxModelLen) {
    const msg =
      `This model's maximum context length is ${cfg.maxModelLen} tokens. However, you requested ` +
      `${promptTokens + (maxTokens ?? 0)} tokens (${promptTokens} in the messages, ${maxTokens ?? 0} in the ` +
      'completion). Please reduce the length of the messages or completion.'
    return c.json(errorBody(msg, 'BadRequestError', 400, 'max_tokens'), 400)
  }
  const abort = new AbortController()
  const reqSignal = c.req.raw.signal
  const onClientGone = () => abort.abort(new Error('client disconnected'))
  reqSignal.addEventListener('abort', onClientGone, { once: true })
  const events = engine.generate(prompt, maxTokens, abort.signal, output)
  const shape = new Shape(kind, cfg.servedModelName)
  if (body.stream) {
    const includeUsage = body.stream_options?.include_usage === true
    return sseResponse(shape.sse(events, includeUsage), () => abort.abort(new Error('stream cancelled')))
  }
  try {
    let text = ''
    for await (const ev of events) {
      if (ev.kind === 'token') text += ev.text
      else return c.json(shape.full(text, ev))
    }
    return c.json(errorBody('generation ended early', 'InternalServerError', 500), 500)
  } catch (err) {
    if (err instanceof EngineDeadError) return c.json(errorBody(err.message, 'InternalServerError', 500), 500)
    // The client is gone; nobody reads this response.
    return c.json(errorBody('Request aborted', 'BadRequestError', 400), 400)
  } finally {
    reqSignal.removeEventListener('abort', onClientGone)
  }
}

function chatPrompt(messages: z.infer<typeof ChatBody>['messages']): string {
  return messages
    .map((m) => {
      const content =
        typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text ?? '').join('')
      return `${m.role}: ${content}`
    })
    .join('\n')
}

/** Builds the OpenAI response and chunk objects for one request. */
class Shape {
  readonly id: string
  readonly created = Math.floor(Date.now() / 1000)

  constructor(
    readonly kind: 'chat' | 'text',
    readonly model: string,
  ) {
    this.id = newId(kind === 'chat' ? 'chatcmpl' : 'cmpl')
  }

  private usage(p: number, g: number) {
    return { prompt_tokens: p, total_tokens: p + g, completion_tokens: g, prompt_tokens_details: null }
  }

  full(text: string, done: Extract<TokenEvent, { kind: 'done' }>) {
    const choice =
      this.kind === 'chat'
        ? {
            index: 0,
            message: {
              role: 'assistant',
              content: text,
              refusal: null,
              annotations: null,
              audio: null,
              function_call: null,
              tool_calls: [],
              reasoning_content: null,
            },
            logprobs: null,
            finish_reason: done.finish,
            stop_reason: null,
          }
        : {
            index: 0,
            text,
            logprobs: null,
            finish_reason: done.finish,
            stop_reason: null,
            prompt_logprobs: null,
          }
    return {
      id: this.id,
      object: this.kind === 'chat' ? 'chat.completion' : 'text_completion',
      created: this.created,
      model: this.model,
      choices: [choice],
      service_tier: null,
      system_fingerprint: null,
      usage: this.usage(done.promptTokens, done.completionTokens),
      prompt_logprobs: null,
      kv_transfer_params: null,
    }
  }

  private chunk(piece: string | null, finish: string | null, role = false) {
    const choice =
      this.kind === 'chat'
        ? {
            index: 0,
            delta: piece === null ? {} : role ? { role: 'assistant', content: piece } : { content: piece },
            logprobs: null,
            finish_reason: finish,
            ...(finish ? { stop_reason: null } : {}),
          }
        : { index: 0, text: piece ?? '', logprobs: null, finish_reason: finish, stop_reason: null }
    const object = this.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion'
    return { id: this.id, object, created: this.created, model: this.model, choices: [choice] }
  }

  async *sse(events: AsyncGenerator<TokenEvent>, includeUsage: boolean): AsyncGenerator<string> {
    const data = (v: unknown) => `data: ${JSON.stringify(v)}\n\n`
    if (this.kind === 'chat') yield data(this.chunk('', null, true))
    try {
      for await (const ev of events) {
        if (ev.kind === 'token') {
          yield data(this.chunk(ev.text, null))
          continue
        }
        yield data(this.chunk(this.kind === 'chat' ? null : '', ev.finish))
        if (includeUsage) {
          const object = this.kind === 'chat' ? 'chat.completion.chunk' : 'text_completion'
          const usage = this.usage(ev.promptTokens, ev.completionTokens)
          yield data({ id: this.id, object, created: this.created, model: this.model, choices: [], usage })
        }
      }
    } catch (err) {
      if (!(err instanceof EngineDeadError)) throw err
      yield data(errorBody(err.message, 'InternalServerError', 500))
    }
    yield 'data: [DONE]\n\n'
  }
}

function sseResponse(events: AsyncGenerator<string>, onCancel: () => void): Response {
  const enc = new TextEncoder()
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await events.next()
        if (done) controller.close()
        else controller.enqueue(enc.encode(value))
      } catch (err) {
        controller.error(err)
      }
    },
    async cancel() {
      onCancel()
      await events.return(undefined).catch(() => undefined)
    },
  })
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
  })
}

function statusText(status: number): string {
  const texts: Record<number, string> = {
    200: 'OK',
    400: 'Bad Request',
    404: 'Not Found',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  }
  return texts[status] ?? ''
}
