/**
 * The vector-search service's answers on the wire (zod schemas and their types), split by area
 * under `shared/contracts/vector-search/`.
 */
export * from './vector-search/collections.ts'
export * from './vector-search/documents.ts'
export * from './vector-search/earlier.ts'
export * from './vector-search/embeddings.ts'
export * from './vector-search/query.ts'
