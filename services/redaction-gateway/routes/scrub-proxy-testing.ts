/**
 * A stand-in for the scrub-proxy's cloud endpoint: a real local HTTP server that records every
 * request it receives (raw body and headers) and answers like an OpenAI-compatible API. The model
 * name picks the behaviour: `echo` answers "Noted: <last user text>" (whole, or streamed in 3-character
 * chunks) with a tool call that carries the first placeholder it saw; `status-<n>` answers that
 * error status; `hang` never answers; `trickle` streams one chunk and then waits. Test-only code.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CloudCall {
  path: string
  headers: IncomingMessage['headers']
  raw: string
  /** Set when the client side of the connection went away before the answer ended. */
  closed: boolean
}

export interface FakeCloud {
  url: string
  calls: CloudCall[]
  close(): Promise<void>
}

type Json = Record<string, unknown>

export async function startFakeCloud(): Promise<FakeCloud> {
  const calls: CloudCall[] = []
  const open = new Set<ServerResponse>()
  const server: Server = createServer((req, res) => void answer(req, res))

  async function answer(req: IncomingMessage, res: ServerResponse) {
    let raw = ''
    for await (const piece of req) raw += piece
    if (req.method === 'GET') return void res.writeHead(200, JSON_TYPE).end('{"object":"list","data":[]}')
    const call: CloudCall = { path: req.url ?? '', headers: req.headers, raw, closed: false }
    calls.push(call)
    open.add(res)
    res.on('close', () => {
      call.closed = !res.writableFinished
      open.delete(res)
    })
    const body = JSON.parse(raw) as { model?: string; stream?: boolean; messages: Json[] }
    const model = body.model ?? 'echo'
    const status = /^status-(\d+)$/.exec(model)
    if (status) return void res.writeHead(Number(status[1]), { ...JSON_TYPE, 'retry-after': '7' }).end(ERROR)
    if (model === 'hang') return
    const text = `Noted: ${lastUserText(body.messages)}`
    const token = /\[[A-Z]+(?:_[A-Z]+)*_\d+\]/.exec(text)?.[0] ?? 'none'
    const args = JSON.stringify({ about: token })
    if (!body.stream) return void res.writeHead(200, JSON_TYPE).end(JSON.stringify(completion(text, args)))
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    if (model === 'trickle') return void res.write(sse(delta({ content: 'Noted' })))
    for (let i = 0; i < text.length; i += 3) res.write(sse(delta({ content: text.slice(i, i + 3) })))
    res.write(
      sse(
        delta({
          tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }],
        }),
      ),
    )
    for (let i = 0; i < args.length; i += 4)
      res.write(sse(delta({ tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 4) } }] })))
    res.write(sse(delta({}, 'tool_calls')))
    res.end('data: [DONE]\n\n')
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

const JSON_TYPE = { 'content-type': 'application/json' }
const ERROR = JSON.stringify({ error: { message: 'the cloud says no', type: 'invalid_request_error' } })
const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`

function lastUserText(messages: Json[]): string {
  const user = messages.filter((m) => m.role === 'user').at(-1)
  return typeof user?.content === 'string' ? user.content : ''
}

const delta = (d: Json, finish: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'echo',
  choices: [{ index: 0, delta: d, finish_reason: finish }],
})

const completion = (text: string, args: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'echo',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: text,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: args } }],
      },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
})
