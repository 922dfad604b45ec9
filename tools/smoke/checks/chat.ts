/**
 * chat: the model discovery says is loaded answers a short completion, once whole and once streamed
 * (server-sent events ending in `[DONE]`). A reasoning model's text may arrive as
 * `reasoning_content` before any `content`; either counts as an answer.
 */
import { type Check, type CheckContext, fail } from '../check.ts'

const PROMPT = 'Reply with the single word: ready.'
const MAX_TOKENS = 16

interface ChoiceText {
  content?: string | null
  reasoning_content?: string | null
}
interface Completion {
  choices?: { message?: ChoiceText; finish_reason?: string | null }[]
}
interface Chunk {
  choices?: { delta?: ChoiceText }[]
}

export const chatCheck: Check = {
  name: 'chat',
  needs: ['vllm'],
  async run(ctx) {
    const model = loadedModel(ctx)
    const body = { model, messages: [{ role: 'user', content: PROMPT }], max_tokens: MAX_TOKENS }
    const whole = await ctx.client.request('/v1/chat/completions', { json: { ...body, stream: false } })
    completionVerdict(whole.json<Completion>())
    const streamed = await ctx.client.request('/v1/chat/completions', { json: { ...body, stream: true } })
    const chunks = streamVerdict(streamed.contentType, streamed.text())
    return `${model}: answered, and streamed ${chunks} chunks`
  },
}

function loadedModel(ctx: CheckContext): string {
  if (!ctx.endpoints)
    return fail(`the loaded model is unknown: ${ctx.endpointsProblem ?? '/api/endpoints did not answer'}`)
  const model = ctx.endpoints.vllm?.model
  if (!model) return fail('no chat model is loaded (/api/endpoints: vllm.model is null)')
  return model
}

const textOf = (t: ChoiceText | undefined) => `${t?.content ?? ''}${t?.reasoning_content ?? ''}`

/** Fails when the completion carries no text. */
export function completionVerdict(body: Completion): void {
  const choice = body.choices?.[0]
  if (!choice) fail('the completion has no choices')
  if (!textOf(choice?.message).trim())
    fail(`the completion has no text (finish_reason ${choice?.finish_reason ?? 'missing'})`)
}

/** The number of chunks that carried text; fails on a stream that is not SSE, errs, or never ends. */
export function streamVerdict(contentType: string, body: string): number {
  if (!contentType.includes('text/event-stream'))
    fail(`the streamed completion came as ${contentType || 'no content type'}, not text/event-stream`)
  let event = 'message'
  let withText = 0
  let done = false
  for (const line of body.split(/\r?\n/)) {
    if (line.startsWith('event:')) event = line.slice(6).trim()
    if (!line.startsWith('data:')) continue
    const data = line.slice(5).trim()
    if (event === 'error') fail(`the stream ended with an error event: ${data}`)
    if (data === '[DONE]') done = true
    else if (textOf(parseChunk(data).choices?.[0]?.delta)) withText++
    event = 'message'
  }
  if (withText === 0) fail('the stream carried no text')
  if (!done) fail('the stream ended without its closing [DONE]')
  return withText
}

function parseChunk(data: string): Chunk {
  try {
    return JSON.parse(data) as Chunk
  } catch {
    return fail(`a stream event is not JSON: ${data.slice(0, 120)}`)
  }
}
