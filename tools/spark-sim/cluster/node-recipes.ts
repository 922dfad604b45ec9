/**
 * Which recipe file a node's checkout holds. By default every node has the simulator's recipes
 * (rendered for `cat` by vfs.ts). Two things change that, per node, as on a real Spark: a fault
 * switch deletes a file (`removeRecipeFile`), and anything written to `recipes/<key>.yaml` over SSH
 * (a redirection) replaces it — run-recipe.sh then reads what was written, as eugr's runner reads
 * the file on disk.
 */
import { simRecipeFrom } from '../recipes.ts'
import type { RecipeMeta } from './cluster.ts'
import type { SimNode } from './node-state.ts'

export const recipePath = (vllmDir: string, key: string) => `${vllmDir}/recipes/${key}.yaml`

/** `original` (the simulator's file), `removed` (deleted by the fault switch), `written` (over SSH). */
export type RecipeFileState = 'original' | 'removed' | 'written'

export function recipeFileState(node: SimNode, vllmDir: string, key: string): RecipeFileState {
  if (node.files.has(recipePath(vllmDir, key))) return 'written'
  return node.removedRecipes.has(key) ? 'removed' : 'original'
}

/** Deletes the file from this node's checkout, including a copy written there earlier. */
export function removeRecipeFile(node: SimNode, vllmDir: string, key: string): void {
  node.removedRecipes.add(key)
  node.files.delete(recipePath(vllmDir, key))
}

/**
 * What run-recipe.sh on `node` reads for `key`: the written file (parsed like any recipe file; a
 * string says why it cannot be used), nothing when the file was removed, else the simulator's own.
 */
export function recipeOnNode(
  node: SimNode,
  settings: { vllmDir: string; recipes: Record<string, RecipeMeta> },
  key: string,
): RecipeMeta | string | undefined {
  const written = node.files.get(recipePath(settings.vllmDir, key))
  if (written !== undefined) {
    try {
      return simRecipeFrom(written, key)
    } catch (err) {
      return (err as Error).message.split('\n')[0] ?? 'unreadable YAML'
    }
  }
  if (node.removedRecipes.has(key)) return undefined
  return settings.recipes[key]
}
