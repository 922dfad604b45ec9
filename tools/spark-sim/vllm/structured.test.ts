/** The emulator's structured output: `response_format` honoured over HTTP, JSON and SSE alike. */
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startVllmEmulator, type VllmEmulatorHandle } from './index.ts'
import { outputFormat, SchemaError, structuredText } from './structured.ts'

const ENTITIES = {
  type: 'object',
  properties: {
    entities: {
      type: 'array',
      items: {
        type: 'object',
        properties: { text: { type: 'string' }, type: { type: 'string', enum: ['person', 'organization'] } },
        required: ['text', 'type'],
        additionalProperties: false,
      },
    },
  },
  required: ['entities'],
  additionalProperties: false,
}
const jsonSchema = (schema: unknown) => ({
  type: 'json_schema',
  json_schema: { name: 'x', schema, strict: true },
})

describe('structured output documents', () => {
  it('writes a document valid against the schema: required fields, minItems, enums, numbers, nesting', () => {
    const schema = {
      type: 'object',
      properties: {
        entities: ENTITIES.properties.entities,
        people: { ...ENTITIES.properties.entities, minItems: 2 },
        count: { type: 'integer', minimum: 3 },
        score: { type: 'number' },
        ok: { type: 'boolean' },
        tag: { type: 'string', minLength: 12 },
        kind: { anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'null' }] },
        skipped: { type: 'string' },
      },
      required: ['entities', 'people', 'count', 'score', 'ok', 'tag', 'kind'],
    }
    const text = structuredText(outputFormat(jsonSchema(schema)) as never, 42)
    const doc = z
      .object({
        entities: z.array(z.unknown()).length(0),
        people: z
          .array(z.object({ text: z.string(), type: z.enum(['person', 'organization']) }).strict())
          .length(2),
        count: z.number().int().min(3),
        score: z.number(),
        ok: z.boolean(),
        tag: z.string().min(12),
        kind: z.literal('a'),
      })
      .strict()
      .parse(JSON.parse(text))
    expect(doc.people[0]!.type).toBe('person')
    // Deterministic: the same prompt seed gives the same document.
    expect(structuredText(outputFormat(jsonSchema(schema)) as never, 42)).toBe(text)
  })

  it('json_object is a JSON object; text or no format is free text', () => {
    expect(structuredText(outputFormat({ type: 'json_object' }) as never, 1)).toBe('{}')
    expect(outputFormat({ type: 'text' })).toEqual({ kind: 'text' })
    expect(outputFormat(undefined)).toEqual({ kind: 'text' })
  })

  it('refuses what it cannot honour rather than write text that might not match', () => {
    expect(() => outputFormat({ type: 'yaml' })).toThrow(SchemaError)
    expect(() => outputFormat({ type: 'json_schema' })).toThrow(/schema is required/)
    expect(() => outputFormat(jsonSchema({ $ref: '#/$defs/x' }))).toThrow(/not supported/)
    expect(() => outputFormat(jsonSchema({ type: 'string', enum: [] }))).toThrow(/empty enum/)
  })
})

describe('structured output over the emulated vLLM API', () => {
  let h: VllmEmulatorHandle | undefined
  afterEach(async () => {
    await h?.kill()
  })
  async function ready() {
    h = startVllmEmulator({
      host: '127.0.0.1',
      port: 0,
      model: 'Qwen/Qwen3-30B-A3B',
      servedModelName: 'qwen3',
      loadTimeMs: 50,
      tokensPerSecond: 2000,
      onLog: () => {},
    })
    await h.ready
    return h.url() as string
  }
  const chat = (url: string, body: Record<string, unknown>) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'qwen3',
        messages: [{ role: 'user', content: 'Call Ana in Porto.' }],
        ...body,
      }),
    })

  it('answers json_schema with content that parses and matches, whole and streamed', async () => {
    const url = await ready()
    const whole = await (await chat(url, { temperature: 0, response_format: jsonSchema(ENTITIES) })).json()
    expect(JSON.parse(whole.choices[0].message.content)).toEqual({ entities: [] })
    expect(whole.choices[0].finish_reason).toBe('stop')
    const res = await chat(url, { stream: true, response_format: { type: 'json_object' } })
    const text = await res.text()
    const deltas = text
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => JSON.parse(e.slice(6)).choices[0]?.delta?.content ?? '')
    expect(JSON.parse(deltas.join(''))).toEqual({})
  })

  it('cuts a structured answer at max_tokens like vLLM (finish_reason length), and 400s a bad response_format', async () => {
    const url = await ready()
    const cut = await (await chat(url, { max_tokens: 2, response_format: jsonSchema(ENTITIES) })).json()
    expect(cut.choices[0].finish_reason).toBe('length')
    expect(() => JSON.parse(cut.choices[0].message.content)).toThrow()
    const bad = await chat(url, { response_format: { type: 'json_schema', json_schema: { name: 'x' } } })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatchObject({ type: 'BadRequestError', param: 'response_format' })
  })
})
