import OpenAI from 'openai'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Secret } from '../../../shared/secret.ts'
import { type FakeUpstream, refusedUrl, startFake } from '../../../shared/testing/fake-upstream.ts'
import { createCloudChat } from '../adapters/cloud-chat.ts'
import type { LocalLlm } from '../app.ts'
import { PLACEHOLDER_INSTRUCTION } from '../domain/proxy/instruction.ts'
import { type FakeCloud, startFakeCloud } from './scrub-proxy-testing.ts'
import { type RedactionHarness, redactionHarness } from './scrub-testing.ts'

const CLOUD_KEY = 'sk-cloud-test-0123456789'
const PLANTED = {
  name: 'Sarah Johnson',
  email: 'sarah.johnson@example.com',
  phone: '+1 415 555 0134',
  btc: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
}
const SSN = '123-45-6789'
const USER_TEXT = `Write to ${PLANTED.name} at ${PLANTED.email} or ${PLANTED.phone}; pay ${PLANTED.btc}.`

let cloud: FakeCloud
let h: RedactionHarness
let server: FakeUpstream

async function setup(
  env: Record<string, string> = {},
  cloudUrl?: string,
  timeoutMs = 5000,
  localLlm?: LocalLlm,
) {
  const chat = createCloudChat({
    baseUrl: cloudUrl ?? cloud.url,
    apiKey: new Secret(CLOUD_KEY),
    timeoutMs,
  })
  h = await redactionHarness({ env, cloud: chat, localLlm })
  server = await startFake(h.app as never)
}

beforeEach(async () => {
  cloud = await startFakeCloud()
})
afterEach(async () => {
  await server?.close()
  await h?.close()
  await cloud.close()
})

const sdk = (headers: Record<string, string> = {}) =>
  new OpenAI({
    baseURL: `${server.url}/scrub-proxy/v1`,
    apiKey: 'client-key',
    defaultHeaders: headers,
    maxRetries: 0,
  })

/** No planted value (nor the Tier-1 number) in anything the cloud received. */
function expectNothingLeaked() {
  expect(cloud.calls.length).toBeGreaterThan(0)
  for (const call of cloud.calls) {
    for (const value of [...Object.values(PLANTED), SSN]) expect(call.raw).not.toContain(value)
  }
}

describe('scrub-proxy with the OpenAI SDK as the client', () => {
  it('whole answers: the cloud sees placeholders only, the client gets its values back', async () => {
    await setup()
    const { data, response } = await sdk()
      .chat.completions.create({
        model: 'echo',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: `${USER_TEXT} My SSN is ${SSN}.` },
        ],
      })
      .withResponse()
    expectNothingLeaked()
    const sent = JSON.parse(cloud.calls[0]!.raw)
    expect(sent.messages[0]).toEqual({ role: 'system', content: `Be brief.\n\n${PLACEHOLDER_INSTRUCTION}` })
    expect(sent.messages[1].content).toMatch(/\[PERSON_1\].*\[EMAIL_1\].*\[REDACTED\]/)
    expect(cloud.calls[0]!.headers.authorization).toBe(`Bearer ${CLOUD_KEY}`)
    expect(data.choices[0]!.message.content).toBe(`Noted: ${USER_TEXT} My SSN is [REDACTED].`)
    const call = data.choices[0]!.message.tool_calls![0] as { function: { arguments: string } }
    const args = JSON.parse(call.function.arguments)
    expect(args).toEqual({ about: PLANTED.name })
    expect(response.headers.get('x-redaction-map')).toMatch(/.+/)
    expect(Date.parse(response.headers.get('x-redaction-map-expires-at')!)).toBeGreaterThan(Date.now())
  })

  it('streamed answers: placeholders split across chunks come back whole, tool-call JSON stays valid', async () => {
    await setup()
    const { data: stream, response } = await sdk()
      .chat.completions.create({
        model: 'echo',
        stream: true,
        messages: [{ role: 'user', content: USER_TEXT }],
      })
      .withResponse()
    let text = ''
    let args = ''
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? ''
      args += part.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? ''
    }
    expectNothingLeaked()
    expect(text).toBe(`Noted: ${USER_TEXT}`)
    expect(JSON.parse(args)).toEqual({ about: PLANTED.name })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(response.headers.get('x-redaction-map')).toMatch(/.+/)
  })
})

describe('scrub-proxy: what is scrubbed, and one map per conversation', () => {
  it('scrubs text parts, tool-call arguments and tool results, keeping the arguments JSON', async () => {
    await setup()
    const messages = [
      { role: 'user', content: [{ type: 'text', text: `Call ${PLANTED.name}.` }] },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'c1',
            type: 'function',
            function: { name: 'lookup', arguments: JSON.stringify({ q: [PLANTED.email] }) },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: `Found ${PLANTED.phone} and ${PLANTED.btc}` },
      { role: 'user', content: 'Thanks' },
    ]
    const res = await post({ model: 'echo', messages })
    expect(res.status).toBe(200)
    expectNothingLeaked()
    const sent = JSON.parse(cloud.calls[0]!.raw)
    expect(sent.messages[0]).toEqual({ role: 'system', content: PLACEHOLDER_INSTRUCTION })
    expect(sent.messages[1].content[0].text).toBe('Call [PERSON_1].')
    expect(JSON.parse(sent.messages[2].tool_calls[0].function.arguments)).toEqual({ q: ['[EMAIL_1]'] })
    expect(sent.messages[3]).toMatchObject({ role: 'tool', tool_call_id: 'c1' })
  })

  it('X-Redaction-Map keeps a value on its token across turns; an unknown map is a 404', async () => {
    await setup()
    const first = await post({ model: 'echo', messages: [{ role: 'user', content: `Hi ${PLANTED.email}` }] })
    const handle = first.headers.get('x-redaction-map')!
    const second = await post(
      { model: 'echo', messages: [{ role: 'user', content: `Also ${PLANTED.name} and ${PLANTED.email}` }] },
      { 'x-redaction-map': handle },
    )
    expect(second.headers.get('x-redaction-map')).toBe(handle)
    const sent = JSON.parse(cloud.calls[1]!.raw)
    expect(sent.messages[1].content).toBe('Also [PERSON_1] and [EMAIL_1]')
    const unknown = await post(
      { model: 'echo', messages: [{ role: 'user', content: 'x' }] },
      { 'x-redaction-map': 'nope' },
    )
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error).toMatchObject({ code: 'map_not_found' })
    expect(cloud.calls).toHaveLength(2)
  })
})

async function post(body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${server.url}/scrub-proxy/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  })
}

describe('scrub-proxy failures', () => {
  it.each([
    ['status-401', 502, 'cloud_auth_failed'],
    ['status-429', 429, 'cloud_rate_limited'],
    ['status-400', 400, 'cloud_rejected'],
    ['status-500', 502, 'cloud_failed'],
  ])('maps the cloud answering %s to %i %s in the OpenAI envelope', async (model, status, code) => {
    await setup()
    const res = await post({ model, stream: true, messages: [{ role: 'user', content: USER_TEXT }] })
    expect(res.status).toBe(status)
    const body = await res.json()
    expect(body.error).toMatchObject({ code })
    expect(JSON.stringify(body)).not.toContain(CLOUD_KEY)
    if (status === 429) expect(res.headers.get('retry-after')).toBe('7')
  })

  it('answers 503 when the cloud is unreachable, never a 500', async () => {
    await setup({}, `${await refusedUrl()}/v1`)
    const res = await post({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] })
    expect(res.status).toBe(503)
    expect((await res.json()).error.type).toBe('server_error')
  })

  it('fails closed under REDACTION_PROXY_NER=auto without the local LLM: 422, nothing sent', async () => {
    await setup({ REDACTION_PROXY_NER: 'auto' })
    const res = await post({ model: 'echo', messages: [{ role: 'user', content: USER_TEXT }] })
    expect(res.status).toBe(422)
    expect((await res.json()).error).toMatchObject({ code: 'ner_unavailable' })
    expect(cloud.calls).toHaveLength(0)
  })

  it('ends a stream the cloud stops feeding with one error event after the idle budget', async () => {
    await setup({}, undefined, 300)
    const res = await post({ model: 'trickle', stream: true, messages: [{ role: 'user', content: 'hi' }] })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toContain('"content":"Noted"')
    expect(text).toMatch(
      /event: error\ndata: \{"error":\{"message":"[^"]+","type":"server_error","code":502\}\}\n\n$/,
    )
  })

  it('refuses a body without messages with 422 and one that is not JSON with 400, sending nothing', async () => {
    await setup()
    const missing = await post({ model: 'echo' })
    expect(missing.status).toBe(422)
    expect((await missing.json()).error).toMatchObject({ type: 'invalid_request_error', param: 'messages' })
    const broken = await fetch(`${server.url}/scrub-proxy/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"messages": [',
    })
    expect(broken.status).toBe(400)
    expect(cloud.calls).toHaveLength(0)
  })

  it('refuses texts over REDACTION_MAX_ITEM_CHARS with 413 too_large, sending nothing', async () => {
    await setup({ REDACTION_MAX_ITEM_CHARS: '40' })
    const res = await post({ model: 'echo', messages: [{ role: 'user', content: USER_TEXT }] })
    expect(res.status).toBe(413)
    expect((await res.json()).error).toMatchObject({ code: 'too_large' })
    expect(cloud.calls).toHaveLength(0)
  })

  it('a client that goes away mid-stream ends the request to the cloud', async () => {
    await setup()
    const abort = new AbortController()
    const res = await post(
      { model: 'trickle', stream: true, messages: [{ role: 'user', content: 'hi' }] },
      {},
      abort.signal,
    )
    const reader = res.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('Noted')
    abort.abort()
    await expect.poll(() => cloud.calls[0]?.closed).toBe(true)
  })

  it('refuses past REDACTION_CLOUD_MAX_IN_FLIGHT with 503 scrub_proxy_busy instead of queueing', async () => {
    await setup({ REDACTION_CLOUD_MAX_IN_FLIGHT: '1' })
    const abort = new AbortController()
    const hanging = post(
      { model: 'hang', messages: [{ role: 'user', content: 'a' }] },
      {},
      abort.signal,
    ).catch(() => null)
    await expect.poll(() => cloud.calls.length).toBe(1)
    const res = await post({ model: 'echo', messages: [{ role: 'user', content: 'b' }] })
    expect(res.status).toBe(503)
    expect((await res.json()).error).toMatchObject({ code: 'scrub_proxy_busy' })
    abort.abort()
    await hanging
    await expect
      .poll(async () => (await post({ model: 'echo', messages: [{ role: 'user', content: 'c' }] })).status)
      .toBe(200)
  })
})

describe('scrub-proxy with REDACTION_PROXY_NER=auto', () => {
  it('adds the names the local LLM finds (which the rules miss) before anything is sent', async () => {
    const nickname = 'zephyrine quartzwood'
    const localLlm: LocalLlm = {
      entities: async (texts) =>
        texts.map((t) => (t.includes(nickname) ? [{ text: nickname, type: 'person' }] : [])),
      check: async () => ({ state: 'up' }),
    }
    await setup({ REDACTION_PROXY_NER: 'auto' }, undefined, 5000, localLlm)
    const said = `ask ${nickname} to call ${PLANTED.email}`
    const res = await post({ model: 'echo', messages: [{ role: 'user', content: said }] })
    expect(res.status).toBe(200)
    expect(cloud.calls[0]!.raw).not.toContain(nickname)
    expect(cloud.calls[0]!.raw).not.toContain(PLANTED.email)
    expect((await res.json()).choices[0].message.content).toBe(`Noted: ${said}`)
  })
})

describe('scrub-proxy off', () => {
  it('answers 503 scrub_proxy_off, and /ready says it is not configured', async () => {
    h = await redactionHarness()
    server = await startFake(h.app as never)
    const res = await post({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('300')
    expect((await res.json()).error).toMatchObject({ code: 'scrub_proxy_off' })
    const ready = await (await h.app.request('/ready')).json()
    expect(ready.dependencies.cloud_chat.state).toBe('not_configured')
    expect(ready.capabilities.scrub_proxy.state).toBe('not_configured')
    expect(ready.capabilities.redaction.state).toBe('up')
  })

  it('with a cloud configured, /ready probes it and calls the scrub-proxy up', async () => {
    await setup()
    const ready = await (await h.app.request('/ready')).json()
    expect(ready.dependencies.cloud_chat.state).toBe('up')
    expect(ready.capabilities.scrub_proxy.state).toBe('up')
    expect(JSON.stringify(ready)).not.toContain(CLOUD_KEY)
  })
})
