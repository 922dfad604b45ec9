/**
 * What an ingest request may hold, checked before any work: too many documents, a text or a
 * metadata object too large is a 413 naming the limit; a document id given twice or metadata using
 * a reserved payload key is a 422 naming the field.
 */
import { AppError, type FieldIssue, validationFailed } from '../../../../shared/errors.ts'
import { type DocumentInput, reservedKeysIn, type Tenancy } from './prepare.ts'

export interface IngestLimits {
  maxDocuments: number
  maxDocumentChars: number
  maxMetadataBytes: number
}

const tooLarge = (message: string) => new AppError(413, 'too_large', message)

export function admitDocuments(docs: readonly DocumentInput[], limits: IngestLimits, tenancy: Tenancy): void {
  if (docs.length > limits.maxDocuments)
    throw tooLarge(`${docs.length} documents in one request; the limit is ${limits.maxDocuments}.`)
  const issues: FieldIssue[] = []
  const seen = new Set<string>()
  docs.forEach((doc, i) => {
    if (doc.text.length > limits.maxDocumentChars)
      throw tooLarge(
        `documents.${i}.text has ${doc.text.length} characters; the limit is ${limits.maxDocumentChars}.`,
      )
    const metadataBytes = doc.metadata ? Buffer.byteLength(JSON.stringify(doc.metadata)) : 0
    if (metadataBytes > limits.maxMetadataBytes)
      throw tooLarge(
        `documents.${i}.metadata is ${metadataBytes} bytes of JSON; the limit is ${limits.maxMetadataBytes}.`,
      )
    if (seen.has(doc.id))
      issues.push({ field: `documents.${i}.id`, location: 'body', message: 'given twice in this request' })
    seen.add(doc.id)
    for (const key of reservedKeysIn(doc.metadata, tenancy))
      issues.push({
        field: `documents.${i}.metadata.${key}`,
        location: 'body',
        message: 'is a reserved payload key',
      })
  })
  if (issues.length > 0) throw validationFailed(issues)
}
