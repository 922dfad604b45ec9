/**
 * The redaction routes that stream, through the gateway over real sockets: `/rehydrate/stream`
 * answers while its body is still arriving, and the scrub-proxy works as an OpenAI base URL on the
 * gateway's one public port (`…/scrub-proxy/v1`), streamed, with no planted value reaching the cloud.
 */
import { Readable } from 'node:stream'
import OpenAI from 'openai'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { startGateway } from '../../services/gateway/testing/harness.ts'
import { createCloudChat } from '../../services/redaction-gateway/adapters/cloud-chat.ts'
import {
  type FakeCloud,
  startFakeCloud,
} from '../../services/redaction-gateway/routes/scrub-proxy-testing.ts'
import {
  type RedactionHarness,
  redactionHarness,
} from '../../services/redaction-gateway/routes/scrub-testing.ts'
import { Secret } from '../../shared/secret.ts'
import { type FakeUpstream, startFake } from '../../shared/testing/fake-upstream.ts'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

async function stack(): Promise<{ gateway: string; redaction: RedactionHarness; cloud: FakeCloud }> {
  const cloud = await startFakeCloud()
  closers.push(() => cloud.close())
  const chat = createCloudChat({ baseUrl: cloud.url, apiKey: new Secret('sk-test'), timeoutMs: 5000 })
  const redaction = await redactionHarness({ cloud: chat })
  closers.push(() => redaction.close())
  const backend: FakeUpstream = await startFake(redaction.app as never)
  closers.push(() => backend.close())
  const gw = await startGateway({ 'redaction-gateway': backend.url })
  closers.push(() => gw.close())
  return { gateway: gw.url, redaction, cloud }
}

const enc = new TextEncoder()
const content = (text: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n`

describe('streaming redaction routes through the gateway', () => {
  it('/rehydrate/stream: the restored first event arrives before the request body ends', async () => {
    const { gateway, redaction } = await stack()
    const handle = redaction.store.create('t').handle
    const token = redaction.store.tokenFor(handle, 'PERSON', 'Sarah Johnson')
    let sendRest!: () => void
    const rest = new Promise<void>((r) => (sendRest = r))
    async function* body() {
      yield enc.encode(content(`Dear ${token.slice(0, 3)}`))
      yield enc.encode(content(`${token.slice(3)}, see you on Monday at ten.`))
      await rest
      yield enc.encode('data: [DONE]\n\n')
    }
    const res = await request(`${gateway}/rehydrate/stream?map_handle=${handle}`, {
      method: 'POST',
      headers: { 'content-type': 'text/event-stream' },
      body: Readable.from(body()),
    })
    expect(res.statusCode).toBe(200)
    let seen = ''
    for await (const piece of res.body) {
      seen += piece.toString()
      if (seen.includes('Monday at ten.')) sendRest()
    }
    const restored = seen
      .split('\n\n')
      .map((event) => event.slice('data: '.length))
      .filter((data) => data.startsWith('{'))
      .map((data) => JSON.parse(data).choices[0].delta.content)
      .join('')
    expect(restored).toBe('Dear Sarah Johnson, see you on Monday at ten.')
    expect(seen).toMatch(/data: \[DONE\]\n\n$/)
  })

  it('the scrub-proxy is an OpenAI base URL on the gateway: streamed, restored, nothing planted sent', async () => {
    const { gateway, cloud } = await stack()
    const client = new OpenAI({ baseURL: `${gateway}/scrub-proxy/v1`, apiKey: 'x', maxRetries: 0 })
    const said = 'Please email sarah.johnson@example.com about Sarah Johnson.'
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'echo', stream: true, messages: [{ role: 'user', content: said }] })
      .withResponse()
    let text = ''
    for await (const part of stream) text += part.choices[0]?.delta.content ?? ''
    expect(text).toBe(`Noted: ${said}`)
    expect(cloud.calls).toHaveLength(1)
    expect(cloud.calls[0]!.raw).not.toMatch(/sarah|johnson/i)
    // The conversation's map crosses the gateway both ways.
    const handle = response.headers.get('x-redaction-map')!
    const next = await client.chat.completions
      .create(
        { model: 'echo', messages: [{ role: 'user', content: 'And Sarah Johnson again.' }] },
        { headers: { 'X-Redaction-Map': handle } },
      )
      .withResponse()
    expect(next.response.headers.get('x-redaction-map')).toBe(handle)
    expect(JSON.parse(cloud.calls[1]!.raw).messages.at(-1).content).toBe('And [PERSON_1] again.')
  })
})
