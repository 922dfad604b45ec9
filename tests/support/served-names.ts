/**
 * The name the controller expects a repo recipe to be served as (what `/api/status` reports once it
 * is loaded), read by the controller's own catalog. The simulator cannot say: like eugr it never
 * reads our override block, so the alias reaches vLLM only through the launch command.
 */
import { readFileSync } from 'node:fs'
import { parseRecipe } from '../../services/swap-controller/domain/catalog/recipe.ts'
import { SIM_RECIPES_DIR } from '../../tools/spark-sim/recipes.ts'

export function servedName(key: string): string {
  const file = `${key}.yaml`
  const entry = parseRecipe(readFileSync(`${SIM_RECIPES_DIR}/${file}`, 'utf8'), { file })
  if (!entry.valid) throw new Error(`recipe ${key}: ${entry.reasons.join('; ')}`)
  return entry.servedModelName
}
