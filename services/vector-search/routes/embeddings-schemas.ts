/**
 * The OpenAPI shapes of the embeddings, embed and rerank routes: the contract's schemas
 * (shared/contracts/vector-search/embeddings.ts) and the error bodies shared/errors.ts renders.
 */
import { z } from '@hono/zod-openapi'
import { jsonContent } from '../../../shared/openapi.ts'

export {
  EmbeddingsRequest,
  EmbeddingsResponse,
  EmbedRequest,
  EmbedResponse,
  RerankRequest,
  RerankResponse,
} from '../../../shared/contracts/vector-search/embeddings.ts'

const OpenAiErrorBody = z
  .object({ error: z.object({ message: z.string(), type: z.string(), code: z.string() }).passthrough() })
  .openapi('VectorOpenAiError')
const ProblemBody = z
  .object({ title: z.string(), status: z.number().int(), detail: z.string() })
  .passthrough()
  .openapi('VectorProblem')

/** `/v1/*` failures: the OpenAI error envelope. */
export const openaiError = (description: string) => jsonContent(description, OpenAiErrorBody)
/** New routes' failures: problem+json. */
export const problem = (description: string) => jsonContent(description, ProblemBody)
