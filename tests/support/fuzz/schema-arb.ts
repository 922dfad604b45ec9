/**
 * A JSON schema (as the OpenAPI document publishes it) to a fast-check arbitrary of values that
 * mostly satisfy it. "Mostly": patterns the generator cannot follow fall back to plain strings,
 * which is fuzzing too. Sizes are bounded so a case stays small.
 */
import fc from 'fast-check'
import type { Schema } from './openapi.ts'

type Arb = fc.Arbitrary<unknown>

const MAX_DEPTH = 5

function stringArb(schema: Schema): Arb {
  const max = Math.min(Number(schema.maxLength ?? 40), 40)
  const min = Math.min(Number(schema.minLength ?? 0), max)
  if (typeof schema.pattern === 'string') {
    try {
      const pattern = new RegExp(schema.pattern)
      return fc.stringMatching(pattern).filter((s) => s.length <= Math.max(max, 1) * 4)
    } catch {
      // A pattern JavaScript cannot compile: plain strings instead.
    }
  }
  return fc.string({ minLength: min, maxLength: max })
}

function numberArb(schema: Schema, integer: boolean): Arb {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1e6
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1e6
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
}

function objectArb(schema: Schema, depth: number): Arb {
  const properties = (schema.properties ?? {}) as Record<string, Schema>
  const required = new Set((schema.required ?? []) as string[])
  const model: Record<string, Arb> = {}
  for (const [name, property] of Object.entries(properties)) model[name] = arbFor(property, depth + 1)
  const record = fc.record(model, { requiredKeys: Object.keys(model).filter((k) => required.has(k)) })
  const extra = schema.additionalProperties
  if (!extra || typeof extra !== 'object' || Object.keys(properties).length > 0) return record
  return fc.dictionary(fc.string({ maxLength: 12 }), arbFor(extra as Schema, depth + 1), { maxKeys: 4 })
}

function merged(all: Schema[]): Schema {
  const out: Schema = { type: 'object', properties: {}, required: [] }
  for (const s of all) {
    Object.assign(out.properties as object, s.properties ?? {})
    ;(out.required as string[]).push(...((s.required ?? []) as string[]))
  }
  return out
}

export function arbFor(schema: Schema, depth = 0): Arb {
  if (depth > MAX_DEPTH) return fc.constant(null)
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]))
  if ('const' in schema) return fc.constant(schema.const)
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key] as Schema[] | undefined
    if (options?.length) return fc.oneof(...options.map((s) => arbFor(s, depth + 1)))
  }
  if (Array.isArray(schema.allOf)) return objectArb(merged(schema.allOf as Schema[]), depth)
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined]
  const arbs = types.map((type) => arbForType(type, schema, depth))
  const nullable = schema.nullable === true ? [fc.constant(null)] : []
  return arbs.length + nullable.length === 1 ? arbs[0]! : fc.oneof(...arbs, ...nullable)
}

function arbForType(type: string | undefined, schema: Schema, depth: number): Arb {
  switch (type) {
    case 'string':
      return stringArb(schema)
    case 'integer':
      return numberArb(schema, true)
    case 'number':
      return numberArb(schema, false)
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array': {
      const maxLength = Math.min(Number(schema.maxItems ?? 4), 4)
      const minLength = Math.min(Number(schema.minItems ?? 0), maxLength)
      return fc.array(arbFor((schema.items ?? {}) as Schema, depth + 1), { minLength, maxLength })
    }
    case 'object':
      return objectArb(schema, depth)
    default:
      return schema.properties ? objectArb(schema, depth) : fc.jsonValue({ maxDepth: 2 })
  }
}
