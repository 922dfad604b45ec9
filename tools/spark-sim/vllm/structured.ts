/**
 * vLLM's structured output as the emulator gives it: OpenAI's `response_format` (`text`,
 * `json_object`, `json_schema`). Real vLLM constrains decoding with a grammar (xgrammar or
 * guidance), so its output always parses and always matches the schema; this stand-in writes a
 * small, deterministic document that does — it does no real extraction (tools/spark-sim/README.md).
 * Only a subset of JSON Schema is understood (`object` with `properties`/`required`, `array` with
 * `items`/`minItems`, `string` with `enum`/`const`/`minLength`, `number`, `integer`, `boolean`,
 * `null`, `anyOf`/`oneOf` (the first), `type` lists (the first)); a schema outside it is refused
 * with 400, never answered with text that might not match.
 */
import { z } from 'zod'
import { seededRandom } from '../../../shared/random.ts'

const ResponseFormat = z.looseObject({
  type: z.enum(['text', 'json_object', 'json_schema']),
  json_schema: z
    .looseObject({
      name: z.string(),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    })
    .nullish(),
})

/** What the engine must write instead of free text: a JSON document, or nothing special. */
export type OutputFormat = { kind: 'text' } | { kind: 'json'; schema: JsonSchema | null }

type JsonSchema = Record<string, unknown>

export class SchemaError extends Error {}

/** The request's `response_format`, checked; throws `SchemaError` (a 400) when it cannot be honoured. */
export function outputFormat(raw: unknown): OutputFormat {
  if (raw === undefined || raw === null) return { kind: 'text' }
  const parsed = ResponseFormat.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SchemaError(
      `response_format.${issue?.path.join('.') || 'type'}: ${issue?.message ?? 'invalid'}`,
    )
  }
  const format = parsed.data
  if (format.type === 'text') return { kind: 'text' }
  if (format.type === 'json_object') return { kind: 'json', schema: null }
  const schema = format.json_schema?.schema
  if (!schema) throw new SchemaError('response_format.json_schema.schema is required for type json_schema')
  valueFor(schema, seededRandom(0)) // refuses what the generator cannot honour, before any token
  return { kind: 'json', schema }
}

/** The document the "model" writes for `format` and this prompt: always valid against the schema. */
export function structuredText(format: Extract<OutputFormat, { kind: 'json' }>, seed: number): string {
  if (format.schema === null) return '{}'
  return JSON.stringify(valueFor(format.schema, seededRandom(seed)))
}

const WORDS = ['spark', 'cluster', 'token', 'stream', 'model', 'memory', 'quiet', 'lab']

function valueFor(schema: JsonSchema, rand: () => number, depth = 0): unknown {
  if (depth > 16) throw new SchemaError('the schema nests deeper than the simulator follows')
  if ('const' in schema) return schema.const
  if (Array.isArray(schema.enum)) {
    if (schema.enum.length === 0) throw new SchemaError('an empty enum has no valid value')
    return schema.enum[0]
  }
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined
  if (Array.isArray(alternatives) && alternatives.length > 0)
    return valueFor(alternatives[0]!, rand, depth + 1)
  if ('$ref' in schema || 'allOf' in schema || 'not' in schema || 'pattern' in schema)
    throw new SchemaError('$ref, allOf, not and pattern are not supported by the simulated vLLM')
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'object':
      return objectFor(schema, rand, depth)
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0
      const items = (schema.items ?? {}) as JsonSchema
      return Array.from({ length: count }, () => valueFor(items, rand, depth + 1))
    }
    case 'string': {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 0
      let word = WORDS[Math.floor(rand() * WORDS.length)]!
      while (word.length < min) word += word
      const max = typeof schema.maxLength === 'number' ? schema.maxLength : word.length
      return word.slice(0, Math.max(min, max))
    }
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 0
    case 'boolean':
      return false
    case 'null':
      return null
    case undefined:
      return {}
    default:
      throw new SchemaError(`type ${JSON.stringify(type)} is not supported by the simulated vLLM`)
  }
}

function objectFor(schema: JsonSchema, rand: () => number, depth: number): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : []
  const out: Record<string, unknown> = {}
  for (const key of required) out[key] = valueFor(properties[key] ?? {}, rand, depth + 1)
  return out
}
