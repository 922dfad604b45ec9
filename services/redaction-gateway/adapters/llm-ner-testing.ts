/**
 * A stand-in for the swap-controller's chat proxy on a real local port, for the name pass tests:
 * `/v1/models`, `/v1/chat/completions` (answers from a handler the test sets) and `/api/swap/state`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ChatCall {
  // biome-ignore lint/suspicious/noExplicitAny: tests read the request body field by field
  body: any
  req: IncomingMessage
}
export interface Reply {
  status?: number
  body: unknown
}

export interface FakeChatProxy {
  url: string
  models: Reply
  swapState: string
  /** Answers each chat call; may wait (a slow model) or never answer. */
  chat: (call: ChatCall) => Promise<Reply> | Reply
  calls: ChatCall[]
  /** Chat calls being answered right now, and the most seen at once. */
  inFlight: number
  maxInFlight: number
  close(): Promise<void>
}

/** vLLM's model list; `alias=root` gives a served alias and the model behind it. */
export const modelList = (...ids: string[]): Reply => ({
  body: {
    object: 'list',
    data: ids.map((spec) => {
      const [id, root = id] = spec.split('=')
      return { id, object: 'model', owned_by: 'vllm', root }
    }),
  },
})

/** A chat completion whose content is `content` (a string, or JSON of an object). */
export const completion = (content: unknown, finish = 'stop'): Reply => ({
  body: {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: typeof content === 'string' ? content : JSON.stringify(content),
        },
        finish_reason: finish,
      },
    ],
  },
})

export async function fakeChatProxy(): Promise<FakeChatProxy> {
  const sockets = new Set<import('node:net').Socket>()
  const fake: FakeChatProxy = {
    url: '',
    models: modelList('Qwen/Qwen3-30B-A3B'),
    swapState: 'idle',
    chat: () => completion({ entities: [] }),
    calls: [],
    inFlight: 0,
    maxInFlight: 0,
    close: async () => {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    const send = (reply: Reply) => {
      if (res.destroyed) return
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(reply.body))
    }
    if (req.url === '/v1/models') return send(fake.models)
    if (req.url === '/api/swap/state') return send({ body: { state: fake.swapState, job: null } })
    if (req.url !== '/v1/chat/completions') return send({ status: 404, body: { detail: 'Not Found' } })
    const call = { body: JSON.parse(text), req }
    fake.calls.push(call)
    fake.inFlight++
    fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight)
    try {
      send(await fake.chat(call))
    } finally {
      fake.inFlight--
    }
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}
