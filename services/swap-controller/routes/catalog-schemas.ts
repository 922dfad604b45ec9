/**
 * OpenAPI shapes of the catalog routes. `GET /api/swap/models` is new (snake_case, problem+json
 * errors); `GET /api/models` keeps the earlier version's words (see docs/COMPATIBILITY.md). What
 * they answer is the contract in shared/contracts/swap-controller.ts, re-exported for the routes and
 * checked against the menu builder's own type below; the error bodies are this service's.
 */
import { z } from '@hono/zod-openapi'
import type { Same } from '../../../shared/contracts/same.ts'
import type { MenuModel } from '../../../shared/contracts/swap-controller.ts'
import type { MenuEntry } from '../domain/models/menu.ts'

export { earlierModelList, swapModel, swapModelList } from '../../../shared/contracts/swap-controller.ts'

// The menu builder makes exactly the contract's entries; a drift fails tsc here.
true satisfies Same<MenuEntry, MenuModel>

const problemBody = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() })
export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemBody } },
})
export const detail = (description: string) => ({
  description,
  content: {
    'application/json': { schema: z.object({ detail: z.union([z.string(), z.array(z.unknown())]) }) },
  },
})
