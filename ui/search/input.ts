/**
 * The search page's forms, checked before anything is sent: a name vector-search accepts, a
 * tenant the header takes, a document within the form's size, metadata that is a JSON object, a
 * mode it knows. A failure is a notice, never a request.
 */
import type { Notice } from '../components/notice.tsx'
import type { IngestFormData } from './ingest.tsx'
import {
  INGEST_BACKGROUND_CHARS,
  INGEST_MAX_CHARS,
  METADATA_MAX_CHARS,
  QUERY_LIMIT,
  QUERY_MAX_CHARS,
} from './paths.ts'
import type { QueryFormData } from './query.tsx'
import {
  COLLECTION_NAME,
  DOCUMENT_ID,
  type IngestTry,
  type NewCollection,
  type QueryMode,
  type QueryTry,
  TENANT_ID,
} from './source.ts'

export type Form = Record<string, unknown>

export const field = (form: Form, name: string) => {
  const v = form[name]
  return typeof v === 'string' ? v : ''
}

const bad = (text: string): Notice => ({ tone: 'bad', text })

function collectionOf(form: Form): string | Notice {
  const name = field(form, 'collection').trim()
  return COLLECTION_NAME.test(name) ? name : bad('Pick a collection (or make one first).')
}

/** The tenant when one was typed; a malformed one is a notice. */
function tenantOf(form: Form): string | undefined | Notice {
  const t = field(form, 'tenant').trim()
  if (!t) return undefined
  return TENANT_ID.test(t) ? t : bad('A tenant is up to 128 letters, digits and . _ : -')
}

export function newCollectionInput(form: Form): NewCollection | Notice {
  const name = field(form, 'name').trim()
  if (!COLLECTION_NAME.test(name)) return bad('A collection name is 1 to 64 letters, digits, _ or -.')
  const tenantField = field(form, 'tenant_field').trim()
  if (!tenantField) return { name }
  if (!COLLECTION_NAME.test(tenantField)) return bad('A tenant field is 1 to 64 letters, digits, _ or -.')
  return { name, tenantField }
}

function metadataOf(raw: string): Record<string, unknown> | undefined | Notice {
  if (!raw.trim()) return undefined
  if (raw.length > METADATA_MAX_CHARS) return bad(`Metadata here is up to ${METADATA_MAX_CHARS} characters.`)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    return bad('The metadata is not valid JSON: write an object such as {"source": "notes"}.')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return bad('The metadata must be a JSON object, such as {"source": "notes"}.')
  return parsed as Record<string, unknown>
}

const isNotice = (v: unknown): v is Notice => typeof v === 'object' && v !== null && 'tone' in v

export function ingestInput(form: Form): IngestTry | Notice {
  const collection = collectionOf(form)
  if (isNotice(collection)) return collection
  const docId = field(form, 'doc_id').trim()
  if (!DOCUMENT_ID.test(docId)) return bad('A document id is 1 to 256 characters on one line.')
  const text = field(form, 'text')
  if (!text.trim()) return bad('Paste the text of the document.')
  if (text.length > INGEST_MAX_CHARS)
    return bad(`That is ${text.length} characters; the paste form takes up to ${INGEST_MAX_CHARS}.`)
  const metadata = metadataOf(field(form, 'metadata'))
  if (isNotice(metadata)) return metadata
  const tenant = tenantOf(form)
  if (isNotice(tenant)) return tenant
  return { collection, docId, text, metadata, tenant, background: text.length > INGEST_BACKGROUND_CHARS }
}

const MODES: readonly QueryMode[] = ['hybrid', 'dense', 'sparse']

export function queryInput(form: Form): QueryTry | Notice {
  const collection = collectionOf(form)
  if (isNotice(collection)) return collection
  const query = field(form, 'query').trim()
  if (!query) return bad('Type something to search for.')
  if (query.length > QUERY_MAX_CHARS) return bad(`A query here is up to ${QUERY_MAX_CHARS} characters.`)
  const rawMode = field(form, 'mode') || 'hybrid'
  const mode = MODES.find((m) => m === rawMode)
  if (!mode) return bad('Choose hybrid, dense or sparse.')
  const tenant = tenantOf(form)
  if (isNotice(tenant)) return tenant
  return { collection, query, mode, rerank: field(form, 'rerank') === 'on', limit: QUERY_LIMIT, tenant }
}

/** What the person typed, to fill the forms again when the whole page comes back. */
export const ingestKept = (form: Form): IngestFormData => ({
  docId: field(form, 'doc_id'),
  text: field(form, 'text'),
  metadata: field(form, 'metadata'),
  tenant: field(form, 'tenant'),
})

export const queryKept = (form: Form): QueryFormData => ({
  query: field(form, 'query'),
  mode: MODES.find((m) => m === field(form, 'mode')) ?? 'hybrid',
  rerank: field(form, 'rerank') === 'on',
  tenant: field(form, 'tenant'),
})

export { isNotice }
