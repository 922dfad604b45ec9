/**
 * One recipe file → a `Recipe`, or an `InvalidRecipe` listing every reason. Pure: the directory
 * adapter hands in the text. The key is the file stem (what eugr's `run-recipe.sh <key>` takes)
 * and reaches commands, so it is held to the same rule as container and node names.
 */
import { parseDocument } from 'yaml'
import { AppError } from '../../../../shared/errors.ts'
import { assertSafeName } from '../../../../shared/ssh/quote.ts'
import { deriveRecipe } from './derive.ts'
import { GB10_NODE_MEMORY_BYTES } from './memory.ts'
import { displayNameProblem, issueReasons, recipeFileSchema } from './schema.ts'
import type { CatalogEntry, InvalidRecipe } from './types.ts'

export interface ParseRecipeOptions {
  /** File name as found in the directory, e.g. `qwen3-coder-30b.yaml`. */
  file: string
  /** Unified memory of one node, for the memory estimate; default a GB10's. */
  nodeMemoryBytes?: number
}

const RECIPE_FILE = /\.ya?ml$/i
/** Anchors and aliases can multiply a small file into a huge value ("billion laughs"). */
const MAX_ALIASES = 50

export const recipeKey = (file: string) => file.replace(RECIPE_FILE, '')

export function keyProblem(key: string): string | null {
  try {
    assertSafeName(key)
    return null
  } catch (err) {
    const why = err instanceof AppError ? (err.issues?.[0]?.message ?? err.message) : 'is not a valid name'
    return `file name: the recipe key \`${key.slice(0, 60)}\` (the file name without .yaml) ${why}`
  }
}

export const invalidRecipe = (
  file: string,
  reasons: string[],
  name: string | null = null,
): InvalidRecipe => ({
  valid: false,
  key: recipeKey(file),
  file,
  name,
  reasons,
})

function readYaml(text: string): { value: unknown; reasons: string[] } {
  const doc = parseDocument(text, { uniqueKeys: true })
  // Pretty messages end their first line with "at line L, column C:" and then quote the source.
  const errors = doc.errors.slice(0, 5).map((e) => `YAML: ${e.message.split('\n')[0]?.replace(/:$/, '')}`)
  if (errors.length > 0) return { value: undefined, reasons: errors }
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIASES }), reasons: [] }
  } catch (err) {
    return { value: undefined, reasons: [`YAML: ${(err as Error).message.split('\n')[0]}`] }
  }
}

const NOT_A_MAPPING = '(file): must be a YAML mapping of `field: value` lines (name, container, command, …)'
const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

export function parseRecipe(text: string, options: ParseRecipeOptions): CatalogEntry {
  const { file, nodeMemoryBytes = GB10_NODE_MEMORY_BYTES } = options
  const key = recipeKey(file)
  const reasons: string[] = []
  const badKey = keyProblem(key)
  if (badKey) reasons.push(badKey)
  const yaml = readYaml(text)
  if (yaml.reasons.length > 0) return invalidRecipe(file, [...reasons, ...yaml.reasons])
  if (!isMapping(yaml.value)) return invalidRecipe(file, [...reasons, NOT_A_MAPPING])
  const { name } = yaml.value
  const shownName = typeof name === 'string' && displayNameProblem(name) === null ? name : null
  const parsed = recipeFileSchema.safeParse(yaml.value)
  if (!parsed.success) return invalidRecipe(file, [...reasons, ...issueReasons(parsed.error)], shownName)
  const { derived, reasons: derivedReasons } = deriveRecipe(parsed.data, { nodeMemoryBytes })
  reasons.push(...derivedReasons)
  if (reasons.length > 0) return invalidRecipe(file, reasons, shownName)
  const raw = parsed.data
  return {
    valid: true,
    key,
    file,
    name: raw.name,
    description: raw.description?.trim() || null,
    container: raw.container,
    ...derived,
    raw,
  }
}
