/**
 * `/docs`: the merged OpenAPI document as one plain, server-rendered HTML page. No CDN and no
 * script: the cluster lives on a LAN that may have no internet, and a readable list of routes with
 * their fields is what a developer of a downstream app needs. Every value from a document is
 * escaped. Pure.
 */
import type { OpenApiDoc } from './openapi-merge.ts'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options']

export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const anchor = (kind: string, name: string) => `${kind}-${name.replace(/[^\w.-]/g, '_')}`

interface Operation {
  method: string
  path: string
  op: Obj
}

export function renderDocsHtml(doc: OpenApiDoc): string {
  const title = escapeHtml(doc.info?.title ?? 'API')
  const groups = groupByTag(doc)
  const nav = [...groups.keys()]
    .map((t) => `<li><a href="#${anchor('tag', t)}">${escapeHtml(t)}</a></li>`)
    .join('')
  const sections = [...groups.entries()].map(([tag, ops]) => tagSection(tag, ops, doc)).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head>
<body><header><h1>${title}</h1>
<p>${escapeHtml(doc.info?.description ?? '')}</p>
<p>Machine-readable document: <a href="/openapi.json">/openapi.json</a>. Clients call every route on this one address.</p>
<nav aria-label="Groups"><ul>${nav}<li><a href="#schemas">Schemas</a></li></ul></nav></header>
<main>${sections}
${schemasSection(doc)}</main></body></html>`
}

function groupByTag(doc: OpenApiDoc): Map<string, Operation[]> {
  const groups = new Map<string, Operation[]>()
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    if (!isObj(item)) continue
    for (const method of METHODS) {
      const op = item[method]
      if (!isObj(op)) continue
      const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : 'gateway'
      const list = groups.get(tag) ?? []
      list.push({ method, path, op })
      groups.set(tag, list)
    }
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)))
}

function tagSection(tag: string, ops: Operation[], doc: OpenApiDoc): string {
  const about = doc.tags?.find((t) => t.name === tag)?.description
  const items = ops.map(operationHtml).join('\n')
  return `<section id="${anchor('tag', tag)}"><h2>${escapeHtml(tag)}</h2>${
    about ? `<p>${escapeHtml(about)}</p>` : ''
  }
${items}</section>`
}

function operationHtml({ method, path, op }: Operation): string {
  const summary = escapeHtml(op.summary ?? '')
  const description = op.description ? `<p>${escapeHtml(op.description)}</p>` : ''
  return `<details class="op"><summary><span class="method m-${method}">${method.toUpperCase()}</span> <code>${escapeHtml(
    path,
  )}</code> ${summary}</summary>
${description}${parametersHtml(op.parameters)}${requestBodyHtml(op.requestBody)}${responsesHtml(
  op.responses,
)}</details>`
}

function parametersHtml(parameters: unknown): string {
  if (!Array.isArray(parameters) || parameters.length === 0) return ''
  const rows = parameters
    .filter(isObj)
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code>${
          p.required ? ' <abbr title="required">*</abbr>' : ''
        }</td><td>${escapeHtml(p.in)}</td><td>${schemaHtml(p.schema)}</td><td>${escapeHtml(
          p.description ?? '',
        )}</td></tr>`,
    )
    .join('')
  return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>about</th></tr></thead><tbody>${rows}</tbody></table>`
}

function contentHtml(content: unknown): string {
  if (!isObj(content)) return ''
  return Object.entries(content)
    .map(
      ([type, media]) =>
        `<div class="media"><code>${escapeHtml(type)}</code>: ${schemaHtml(
          isObj(media) ? media.schema : undefined,
        )}</div>`,
    )
    .join('')
}

function requestBodyHtml(body: unknown): string {
  if (!isObj(body)) return ''
  return `<h4>Request body${body.required ? ' (required)' : ''}</h4>${contentHtml(body.content)}`
}

function responsesHtml(responses: unknown): string {
  if (!isObj(responses)) return ''
  const items = Object.entries(responses)
    .map(([status, r]) => {
      const res = isObj(r) ? r : {}
      return `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(res.description ?? '')}${contentHtml(
        res.content,
      )}</li>`
    })
    .join('')
  return `<h4>Responses</h4><ul>${items}</ul>`
}

/** A compact, readable sketch of a schema: types, fields, enums, links to named schemas. */
export function schemaHtml(schema: unknown, depth = 0): string {
  if (!isObj(schema)) return '<em>any</em>'
  if (depth > 6) return '…'
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop() ?? ''
    return `<a href="#${anchor('schema', name)}">${escapeHtml(name)}</a>`
  }
  for (const [key, joiner] of [
    ['anyOf', ' | '],
    ['oneOf', ' | '],
    ['allOf', ' &amp; '],
  ] as const) {
    const parts = schema[key]
    if (Array.isArray(parts)) return parts.map((p) => schemaHtml(p, depth + 1)).join(joiner)
  }
  if (Array.isArray(schema.enum)) {
    return `one of ${schema.enum.map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(', ')}`
  }
  if (schema.type === 'array') return `array of ${schemaHtml(schema.items, depth + 1)}`
  if (isObj(schema.properties)) return objectHtml(schema, schema.properties, depth)
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any')
  const format = schema.format ? ` (${escapeHtml(schema.format)})` : ''
  return `<span class="type">${escapeHtml(type)}</span>${format}`
}

function objectHtml(schema: Obj, properties: Obj, depth: number): string {
  const required = new Set(Array.isArray(schema.required) ? schema.required : [])
  const fields = Object.entries(properties)
    .map(([name, prop]) => {
      const about = isObj(prop) && prop.description ? ` — ${escapeHtml(prop.description)}` : ''
      const star = required.has(name) ? ' <abbr title="required">*</abbr>' : ''
      return `<li><code>${escapeHtml(name)}</code>${star}: ${schemaHtml(prop, depth + 1)}${about}</li>`
    })
    .join('')
  return `object<ul class="fields">${fields}</ul>`
}

function schemasSection(doc: OpenApiDoc): string {
  const schemas = doc.components?.schemas
  const items = isObj(schemas)
    ? Object.entries(schemas)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(
          ([name, s]) =>
            `<div class="schema" id="${anchor('schema', name)}"><h3>${escapeHtml(name)}</h3>${schemaHtml(
              s,
            )}</div>`,
        )
        .join('\n')
    : ''
  return `<section id="schemas"><h2>Schemas</h2>${items || '<p>None.</p>'}</section>`
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b}
code{font-family:ui-monospace,monospace;font-size:.92em}h2{border-bottom:1px solid #ccc;margin-top:2rem}
nav ul{display:flex;flex-wrap:wrap;gap:.4rem 1rem;list-style:none;padding:0}
details.op{border:1px solid #ddd;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}
summary{cursor:pointer}.method{display:inline-block;min-width:4.5rem;font-weight:700;font-family:ui-monospace,monospace}
.m-get{color:#1f6f3f}.m-post{color:#1d4f91}.m-put,.m-patch{color:#8a5a00}.m-delete{color:#a11}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
ul.fields{margin:.2rem 0}.schema{border-top:1px solid #eee;padding:.3rem 0}.type{color:#555}`
