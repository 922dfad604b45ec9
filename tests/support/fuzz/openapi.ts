/**
 * The routes of the merged OpenAPI document, with their schemas resolved: what the fuzzer builds
 * its requests from, so a new route is fuzzed without a change here.
 */

export type Schema = Record<string, unknown>

interface Param {
  name: string
  in: 'path' | 'query' | 'header'
  required: boolean
  schema: Schema
}

export interface Route {
  method: string
  /** OpenAPI path template, `{name}` for a path parameter. */
  template: string
  params: Param[]
  /** Declared request body media type and schema, if any. */
  body?: { type: string; schema: Schema }
}

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>
  requestBody?: { content?: Record<string, { schema?: Schema }> }
}

interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, Schema> }
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete'])

/** Inlines every `$ref` (cycles stop at the depth limit as an open object). */
function resolveSchema(doc: OpenApiDoc, schema: unknown, depth = 0): Schema {
  if (!schema || typeof schema !== 'object' || depth > 12) return {}
  if (Array.isArray(schema)) return schema.map((s) => resolveSchema(doc, s, depth + 1)) as unknown as Schema
  const ref = (schema as { $ref?: string }).$ref
  if (ref) return resolveSchema(doc, doc.components?.schemas?.[ref.split('/').pop()!], depth + 1)
  const out: Schema = {}
  for (const [key, value] of Object.entries(schema)) {
    out[key] = value && typeof value === 'object' ? resolveSchema(doc, value, depth + 1) : value
  }
  return out
}

/** Prefers JSON, then multipart, then whatever else the route declares. */
function pickBody(doc: OpenApiDoc, op: Operation): Route['body'] {
  const content = op.requestBody?.content
  if (!content) return undefined
  const type =
    ['application/json', 'multipart/form-data'].find((t) => t in content) ?? Object.keys(content)[0]
  return type ? { type, schema: resolveSchema(doc, content[type]?.schema) } : undefined
}

export function routesOf(doc: OpenApiDoc): Route[] {
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops)
      .filter(([method]) => METHODS.has(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        template,
        params: (op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in as Param['in'],
          required: !!p.required,
          schema: resolveSchema(doc, p.schema),
        })),
        body: pickBody(doc, op),
      })),
  )
}
