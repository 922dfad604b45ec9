/** Schemas the collection, query and earlier search routes share: the contracts and their error bodies. */
import { z } from '@hono/zod-openapi'
import { jsonContent } from '../../../shared/openapi.ts'

export {
  CollectionInfo,
  CollectionList,
  CreateCollectionRequest,
  DeletedCollection,
  EarlierSearchRequest,
  EarlierSearchResponse,
  QueryRequest,
  QueryResponse,
} from '../../../shared/contracts/vector-search.ts'

/** RFC 9457 problem+json, as `shared/errors.ts` renders every new route's failure. */
const Problem = z
  .object({
    type: z.string().openapi({ example: 'urn:spark-control:error:tenant_required' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    request_id: z.string().optional(),
  })
  .openapi('VectorSearchProblem')

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
})

/** The earlier route's FastAPI-style `{"detail": ...}`. */
export const detail = (description: string) => jsonContent(description, z.object({ detail: z.unknown() }))

export const nameParam = z.object({
  name: z.string().openapi({ param: { name: 'name', in: 'path' }, example: 'notes' }),
})

export const tenantHeader = z.object({
  'x-tenant': z.string().optional().openapi({
    description: 'The tenant; required on collections created with `tenant_field`.',
    example: 'acme',
  }),
})
