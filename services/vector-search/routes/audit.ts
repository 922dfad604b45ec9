/**
 * The vector-search's audit: which of its routes change state (collections, documents) and how
 * each entry names its target — the collection, never a document's text or a filter's values —
 * and `GET /api/vector-search/audit` to read them.
 */
import { type AuditedMutation, auditMutations, validated } from '../../../shared/audit/middleware.ts'
import { auditRoutes } from '../../../shared/audit/route.ts'
import type { AuditStore } from '../../../shared/audit/store.ts'
import type { ServiceApp } from '../../../shared/service.ts'

const COLLECTION = '/api/search/collections/:name'
const collection: AuditedMutation['target'] = (c) => c.req.param('name')

const MUTATIONS: AuditedMutation[] = [
  {
    method: 'POST',
    path: '/api/search/collections',
    action: 'collection.create',
    target: (c) => validated<{ name?: string }>(c, 'json')?.name,
  },
  { method: 'DELETE', path: COLLECTION, action: 'collection.delete', target: collection },
  {
    method: 'POST',
    path: `${COLLECTION}/documents`,
    action: 'document.ingest',
    target: collection,
    detail: (c) => {
      const documents = validated<{ documents?: unknown[] }>(c, 'json')?.documents
      return documents ? `${documents.length} document(s)` : null
    },
  },
  {
    method: 'DELETE',
    path: `${COLLECTION}/documents/:doc_id`,
    action: 'document.delete',
    target: collection,
  },
  // The filter's values may be anything a caller indexed: only that a filtered delete ran is kept.
  {
    method: 'POST',
    path: `${COLLECTION}/documents/delete`,
    action: 'document.delete_where',
    target: collection,
  },
]

/** Before the routes: the recording wraps their handlers. */
export function mountAudit(app: ServiceApp, audit: AuditStore | undefined): void {
  if (!audit) return
  auditMutations(app, audit, MUTATIONS)
  app.route('/', auditRoutes({ service: 'vector-search', reader: audit }))
}
