/**
 * Collections of the vector-search service: what `POST /api/search/collections` takes and what the
 * collection routes answer. A collection has one named dense vector (`dense`) and one named sparse
 * vector (`sparse`), Qdrant's layout, on either store.
 */
import { z } from '@hono/zod-openapi'

/** The earlier version's whitelist; anything else is a 400 before a store is asked. */
export const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,64}$/

/** `X-Tenant`: the tenant every call on a collection with a tenant field must name. */
export const TENANT_ID = /^[A-Za-z0-9_.:-]{1,128}$/

/** A payload field name that may be indexed or hold the tenant (dots reach into nested objects). */
export const PAYLOAD_FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}(\.[A-Za-z_][A-Za-z0-9_]{0,63}){0,3}$/

export const Distance = z.enum(['Cosine', 'Dot', 'Euclid'])
export const PayloadFieldType = z.enum(['keyword', 'integer', 'float', 'bool', 'datetime', 'text'])

const PayloadIndex = z.object({
  field: z.string().max(300).openapi({ example: 'source' }),
  type: PayloadFieldType,
})

export const CreateCollectionRequest = z
  .object({
    name: z.string().max(300).openapi({ description: 'Matches `^[A-Za-z0-9_-]{1,64}$`.', example: 'notes' }),
    dense: z
      .object({
        size: z.number().int().min(1).max(65_536).default(1024),
        distance: Distance.default('Cosine'),
      })
      .default({ size: 1024, distance: 'Cosine' })
      .openapi({ description: 'The named dense vector `dense`; bge-m3 is 1024 wide, cosine.' }),
    sparse: z
      .object({ idf: z.boolean().default(false) })
      .default({ idf: false })
      .openapi({
        description: 'The named sparse vector `sparse`. `idf` off for bge-m3 weights (already learned).',
      }),
    indexes: z.array(PayloadIndex).max(32).default([]),
    tenant_field: z.string().max(300).optional().openapi({
      description: 'Payload field holding the tenant; every call on the collection then needs `X-Tenant`.',
    }),
  })
  .openapi('CreateCollectionRequest')

export const CollectionInfo = z
  .object({
    name: z.string(),
    dense: z.object({ size: z.number().int(), distance: Distance }),
    sparse: z.object({ idf: z.boolean() }),
    indexes: z.array(PayloadIndex),
    tenant_field: z.string().nullable(),
    points: z.number().int().nullable().openapi({
      description:
        "Points (chunks). On a per-tenant collection the caller's tenant's (`X-Tenant`), else null.",
    }),
  })
  .openapi('CollectionInfo')

export const CollectionList = z
  .object({
    store: z.enum(['qdrant', 'embedded']),
    collections: z.array(CollectionInfo),
  })
  .openapi('CollectionList')

export const DeletedCollection = z
  .object({ name: z.string(), deleted: z.literal(true) })
  .openapi('DeletedCollection')

export type CreateCollectionRequest = z.infer<typeof CreateCollectionRequest>
export type CollectionInfo = z.infer<typeof CollectionInfo>
export type CollectionList = z.infer<typeof CollectionList>
