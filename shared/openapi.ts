/**
 * The one shape of a JSON body in a route definition, so route files say what they answer rather
 * than repeating the OpenAPI nesting.
 */
import type { z } from '@hono/zod-openapi'

/** A response (or request body) whose content is JSON matching `schema`. */
export function jsonContent<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { 'application/json': { schema } } }
}

/** A JSON request body; `required: false` lets the earlier routes take no body at all. */
export function jsonBody<T extends z.ZodType>(schema: T, required = true) {
  return { required, content: { 'application/json': { schema } } }
}
