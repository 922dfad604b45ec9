/** A create request checked and turned into the store port's `CollectionSpec` (400 on a bad name or field). */
import {
  COLLECTION_NAME,
  type CollectionInfo,
  type CreateCollectionRequest,
  PAYLOAD_FIELD,
} from '../../../../shared/contracts/vector-search.ts'
import type { CollectionSpec, CollectionInfo as StoredInfo } from '../store/ports.ts'
import { invalid } from './errors.ts'

export function checkCollectionName(name: string): string {
  if (!COLLECTION_NAME.test(name))
    throw invalid('bad_collection_name', 'A collection name matches ^[A-Za-z0-9_-]{1,64}$.')
  return name
}

export function collectionSpec(request: CreateCollectionRequest): CollectionSpec {
  const fields = request.indexes.map((i) => checkField(i.field, 'indexes'))
  const twice = fields.find((f, i) => fields.indexOf(f) !== i)
  if (twice) throw invalid('bad_field', `indexes names ${twice} twice.`)
  return {
    name: checkCollectionName(request.name),
    dense: request.dense,
    sparse: request.sparse,
    indexes: request.indexes,
    ...(request.tenant_field ? { tenantField: checkField(request.tenant_field, 'tenant_field') } : {}),
  }
}

function checkField(field: string, where: string): string {
  if (!PAYLOAD_FIELD.test(field))
    throw invalid('bad_field', `${where}: ${JSON.stringify(field.slice(0, 80))} is not a payload field name.`)
  return field
}

/**
 * The wire view of a stored collection. A per-tenant collection's count is the caller's tenant's,
 * and null when no tenant is named: a total over tenants is not any one caller's to see.
 */
export function collectionView(info: StoredInfo, tenant: string | undefined): CollectionInfo {
  return {
    name: info.name,
    dense: info.dense,
    sparse: info.sparse,
    indexes: info.indexes,
    tenant_field: info.tenantField ?? null,
    points: info.tenantField && !tenant ? null : info.points,
  }
}
