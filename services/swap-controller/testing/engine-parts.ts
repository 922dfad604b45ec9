/**
 * Parts the swap engine's tests share: a minimal valid solo recipe, and a coordination stand-in
 * whose lock refuses (423) any swap without the token `secret` while `state.locked` is set.
 */
import { stringify } from 'yaml'
import { AppError } from '../../../shared/errors.ts'
import { parseRecipe } from '../domain/catalog/recipe.ts'
import type { CatalogEntry } from '../domain/catalog/types.ts'
import type { SwapEngineDeps } from '../domain/swap/engine.ts'

/** A solo recipe `key` for `org/<key>`, served as `served`, `gib` (10) GiB of weights. */
export const testRecipe = (key: string, served: string, gib = 10): CatalogEntry =>
  parseRecipe(
    stringify({
      recipe_version: '1',
      name: key,
      model: `org/${key}`,
      container: 'vllm-node',
      solo_only: true,
      command: `vllm serve org/${key} --served-model-name ${served}\n`,
      spark_control: { weights_gib: gib },
    }),
    { file: `${key}.yaml` },
  )

export function lockedCoordination(
  state: { locked: boolean },
  audits: Record<string, unknown>[],
): SwapEngineDeps['coordination'] {
  return {
    assertSwapAllowed: (token) => {
      if (state.locked && token !== 'secret') {
        throw new AppError(423, 'swap_locked', 'The swap lock is held.', { extra: { lock: { held: true } } })
      }
    },
    recordAudit: (e) => {
      audits.push({ ...e })
      return {} as never
    },
    enqueueWebhook: () => null,
  }
}
