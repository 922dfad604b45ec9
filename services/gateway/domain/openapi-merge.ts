/**
 * One OpenAPI document for the whole API: the gateway's own routes plus every backend's, limited to
 * the paths the gateway actually sends to that backend. Component names are prefixed with the
 * service name (`speech-proxy.Segment`) because two services may well both call a schema `Error`.
 * Pure: the documents come in, one document goes out, inputs are not modified.
 */
import type { BackendName } from './route-table.ts'

export type OpenApiDoc = Record<string, unknown> & {
  paths?: Record<string, Record<string, unknown>>
  components?: Record<string, Record<string, unknown>>
  tags?: Array<{ name: string; description?: string }>
  info?: Record<string, unknown>
}

export interface BackendDoc {
  service: BackendName
  /** Null when the backend did not answer; the merged document says so. */
  doc: unknown
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export function mergeOpenApi(
  own: OpenApiDoc,
  backends: BackendDoc[],
  routeOf: (path: string) => BackendName | null,
): OpenApiDoc {
  const paths: Record<string, Record<string, unknown>> = { ...own.paths }
  const components: Record<string, Record<string, unknown>> = {}
  for (const [section, entries] of Object.entries(own.components ?? {})) components[section] = { ...entries }
  const tags = new Map((own.tags ?? []).map((t) => [t.name, t]))
  const missing: string[] = []

  for (const { service, doc } of backends) {
    if (!isObject(doc) || !isObject(doc.paths)) {
      missing.push(service)
      continue
    }
    const renamed = prefixRefs(doc, service) as OpenApiDoc
    for (const [section, entries] of Object.entries(renamed.components ?? {})) {
      if (!isObject(entries)) continue
      const target = components[section] ?? {}
      components[section] = target
      for (const [name, value] of Object.entries(entries)) target[prefixed(service, name)] = value
    }
    for (const [path, item] of Object.entries(renamed.paths ?? {})) {
      // Only what the gateway routes to this service is reachable; the gateway's own routes win.
      if (!isObject(item) || routeOf(path) !== service || paths[path]) continue
      paths[path] = tagOperations(item, service)
    }
    for (const tag of Array.isArray(renamed.tags) ? renamed.tags : []) {
      if (isObject(tag) && typeof tag.name === 'string' && !tags.has(tag.name)) {
        tags.set(tag.name, tag as { name: string })
      }
    }
    if (!tags.has(service)) tags.set(service, { name: service, description: `Served by ${service}.` })
  }

  const note = missing.length ? `\n\nNot included right now (not answering): ${missing.join(', ')}.` : ''
  const info = { ...own.info, description: `${String(own.info?.description ?? '')}${note}`.trim() }
  return { ...own, info, paths, components, tags: [...tags.values()], 'x-missing-services': missing }
}

/** Component keys allow `[A-Za-z0-9._-]`; anything else in a backend's name becomes `_`. */
function prefixed(service: string, name: string): string {
  return `${service}.${name.replace(/[^\w.-]/g, '_')}`
}

function tagOperations(item: Record<string, unknown>, service: BackendName): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(item)) {
    if (!METHODS.has(key) || !isObject(value)) {
      out[key] = value
      continue
    }
    const tags = Array.isArray(value.tags) && value.tags.length ? value.tags : [service]
    out[key] = { ...value, tags, 'x-service': service }
  }
  return out
}

const REF_PREFIX = '#/components/'

/** A copy of `value` with every local component `$ref` pointing at the prefixed name. */
function prefixRefs(value: unknown, service: string, depth = 0): unknown {
  // Documents are ours, but a runaway nesting must not take the gateway down.
  if (depth > 64) return null
  if (Array.isArray(value)) return value.map((v) => prefixRefs(v, service, depth + 1))
  if (!isObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    if (key === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) out[key] = renameRef(v, service)
    else out[key] = prefixRefs(v, service, depth + 1)
  }
  return out
}

function renameRef(ref: string, service: string): string {
  const [section, token, ...deeper] = ref.slice(REF_PREFIX.length).split('/')
  if (!section || !token) return ref
  // JSON pointer escapes: `~1` is `/`, `~0` is `~`.
  const name = token.replace(/~1/g, '/').replace(/~0/g, '~')
  const tail = deeper.length ? `/${deeper.join('/')}` : ''
  return `${REF_PREFIX}${section}/${prefixed(service, name)}${tail}`
}
