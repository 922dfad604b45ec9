/**
 * The merged API description: `GET /api/gateway/openapi.json` (also served as `/openapi.json`, see
 * app.ts) and `GET /docs`, its HTML rendering. Backend documents are fetched in parallel with a
 * short timeout and reused for a few seconds, so reloading the docs page costs nothing.
 */

import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import { BACKEND_SERVICES } from '../../../shared/topology.ts'
import type { BackendReader } from '../adapters/backend-reader.ts'
import { renderDocsHtml } from '../domain/docs-html.ts'
import { mergeOpenApi, type OpenApiDoc } from '../domain/openapi-merge.ts'
import { resolveRoute } from '../domain/route-table.ts'

export const MERGED_DOC_PATH = '/api/gateway/openapi.json'

export interface DocsRouteDeps {
  reader: BackendReader
  /** The gateway's own document (its zod-openapi routes), generated on demand. */
  ownDoc: () => OpenApiDoc
  disabled: readonly string[]
  timeoutMs: number
  cacheMs?: number
}

export function docsRoutes(deps: DocsRouteDeps): ServiceApp {
  const router = createRouter()
  const merged = cachedMerge(deps)
  router.get(MERGED_DOC_PATH, async (c) => c.json(await merged()))
  router.get('/docs', async (c) => c.html(renderDocsHtml(await merged())))
  return router
}

function cachedMerge(deps: DocsRouteDeps): () => Promise<OpenApiDoc> {
  const cacheMs = deps.cacheMs ?? 5000
  let cached: { at: number; doc: Promise<OpenApiDoc> } | undefined
  const build = async () => {
    const services = BACKEND_SERVICES.filter((s) => !deps.disabled.includes(s))
    const answers = await Promise.all(
      services.map(async (service) => {
        const res = await deps.reader.read(service, '/openapi.json', { timeoutMs: deps.timeoutMs })
        return { service, doc: res.ok && res.status === 200 ? res.body : null }
      }),
    )
    return mergeOpenApi(deps.ownDoc(), answers, (path) => resolveRoute(path)?.service ?? null)
  }
  return () => {
    const now = Date.now()
    if (!cached || now - cached.at > cacheMs) cached = { at: now, doc: build() }
    return cached.doc
  }
}
