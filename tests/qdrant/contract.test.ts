/** The store contract suite against the Qdrant adapter: on the Qdrant double, or a real Qdrant (QDRANT_URL). */
import { vectorStoreContract } from '../../services/vector-search/domain/store/contract-suite.ts'
import { openTarget, REAL_QDRANT_URL, storeFor } from './target.ts'

vectorStoreContract(REAL_QDRANT_URL ? 'qdrant (real)' : 'qdrant (double)', async () => {
  const target = await openTarget()
  return { store: storeFor(target), cleanup: () => target.close() }
})
