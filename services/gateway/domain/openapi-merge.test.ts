import { describe, expect, it } from 'vitest'
import { renderDocsHtml, schemaHtml } from './docs-html.ts'
import { mergeOpenApi, type OpenApiDoc } from './openapi-merge.ts'
import { resolveRoute } from './route-table.ts'

const own: OpenApiDoc = {
  openapi: '3.1.0',
  info: { title: 'Spark Control API', version: '1', description: 'All routes.' },
  paths: {
    '/api/status': {
      get: { tags: ['gateway'], summary: 'Status', responses: { 200: { description: 'ok' } } },
    },
  },
  components: { schemas: { Error: { type: 'object', properties: { gateway: { type: 'string' } } } } },
}

const speechDoc = {
  openapi: '3.1.0',
  info: { title: 'speech-proxy', version: '1' },
  paths: {
    '/v1/audio/speech': {
      post: {
        summary: 'Speak',
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/SpeechRequest' } } },
        },
        responses: {
          422: {
            description: 'bad',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
          },
        },
      },
    },
    '/health': { get: { summary: 'liveness' } },
    '/v1/models': { get: { summary: 'the gateway owns this one' } },
    '/api/swap': { post: { summary: 'not routed to speech-proxy' } },
  },
  components: {
    schemas: {
      SpeechRequest: {
        type: 'object',
        required: ['input'],
        properties: { input: { type: 'string' }, err: { $ref: '#/components/schemas/Error' } },
      },
      Error: { type: 'object', properties: { speech: { type: 'string' } } },
      'Odd/Name': { type: 'string' },
    },
  },
}

const swapDoc = {
  openapi: '3.1.0',
  info: { title: 'swap-controller', version: '1' },
  paths: {
    '/api/swap': {
      post: { tags: ['swap'], summary: 'Start a swap', responses: { 200: { description: 'job' } } },
    },
  },
  components: { schemas: { Error: { type: 'object' } } },
}

const routeOf = (path: string) => resolveRoute(path)?.service ?? null

describe('OpenAPI merge', () => {
  const merged = mergeOpenApi(
    own,
    [
      { service: 'speech-proxy', doc: speechDoc },
      { service: 'swap-controller', doc: swapDoc },
      { service: 'vector-search', doc: null },
    ],
    routeOf,
  )

  it('keeps the gateway routes and adds each backend route it proxies', () => {
    expect(Object.keys(merged.paths!).sort()).toEqual(['/api/status', '/api/swap', '/v1/audio/speech'])
    expect(merged.paths!['/api/swap']!.post).toMatchObject({
      summary: 'Start a swap',
      tags: ['swap'],
      'x-service': 'swap-controller',
    })
    expect(merged.paths!['/v1/audio/speech']!.post).toMatchObject({ tags: ['speech-proxy'] })
  })

  it('prefixes component names so same-named schemas do not clash, and rewrites the refs', () => {
    const schemas = merged.components!.schemas!
    expect(Object.keys(schemas).sort()).toEqual([
      'Error',
      'speech-proxy.Error',
      'speech-proxy.Odd_Name',
      'speech-proxy.SpeechRequest',
      'swap-controller.Error',
    ])
    expect(schemas.Error).toEqual(own.components!.schemas!.Error)
    type Json = { 'application/json': { schema: { $ref: string } } }
    const op = merged.paths!['/v1/audio/speech']!.post as {
      requestBody: { content: Json }
      responses: { 422: { content: Json } }
    }
    expect(op.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/speech-proxy.SpeechRequest',
    )
    expect(op.responses[422].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/speech-proxy.Error',
    )
    const request = schemas['speech-proxy.SpeechRequest'] as { properties: { err: { $ref: string } } }
    expect(request.properties.err.$ref).toBe('#/components/schemas/speech-proxy.Error')
  })

  it('says which backends were missing and leaves its inputs alone', () => {
    expect(merged['x-missing-services']).toEqual(['vector-search'])
    expect(String(merged.info!.description)).toContain('vector-search')
    expect(speechDoc.paths['/v1/audio/speech'].post.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/SpeechRequest',
    )
  })

  it('lists a tag per backend', () => {
    expect(merged.tags!.map((t) => t.name)).toEqual(
      expect.arrayContaining(['speech-proxy', 'swap-controller']),
    )
  })
})

describe('docs page', () => {
  it('renders tags, methods, paths, summaries and schemas as escaped HTML', () => {
    const doc = mergeOpenApi(own, [{ service: 'speech-proxy', doc: speechDoc }], routeOf)
    doc.paths!['/api/status']!.get = { tags: ['gateway'], summary: '<script>alert(1)</script>' }
    const html = renderDocsHtml(doc)
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('<code>/v1/audio/speech</code>')
    expect(html).toContain('>POST</span>')
    expect(html).toContain('id="schema-speech-proxy.SpeechRequest"')
    expect(html).toContain('href="#schema-speech-proxy.Error"')
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;')
  })

  it('sketches schemas: objects, arrays, enums, unions', () => {
    const sketch = schemaHtml({
      type: 'object',
      required: ['a'],
      properties: {
        a: { type: 'array', items: { type: 'string' } },
        b: { enum: ['x', 'y'] },
        c: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      },
    })
    expect(sketch).toContain(
      '<code>a</code> <abbr title="required">*</abbr>: array of <span class="type">string</span>',
    )
    expect(sketch).toContain('one of <code>&quot;x&quot;</code>, <code>&quot;y&quot;</code>')
    expect(sketch).toContain('<span class="type">string</span> | <span class="type">null</span>')
  })
})
