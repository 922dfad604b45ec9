/**
 * The earlier version's model catalog files (`MODELS_YAML`, and `MODELS_OVERRIDES` where cards added
 * through the API were kept), read as model cards so an installation that sets them keeps its
 * models listed. Their exact layout was never documented (docs/COMPATIBILITY.md); we accept a mapping
 * `key → ModelDef`, a list of ModelDefs with `key`, or either under a top-level `models:`. Each entry
 * goes through the same validation as `POST /api/models`; an invalid one is skipped and named, as
 * the earlier version skipped invalid overrides rather than break the catalog. Launch settings
 * (vLLM args) stay in recipes: these cards are `needs_setup` until a recipe launches them.
 */
import { parse } from 'yaml'
import { AppError } from '../../../../shared/errors.ts'
import { type CustomModel, type CustomModelStore, customModelInput, toCustomModel } from './custom.ts'

/** The settings whose files the cards come from; such a card's `created_by` is one of them. */
export const EARLIER_CATALOG_FILES = ['MODELS_YAML', 'MODELS_OVERRIDES'] as const

/** The file a card is defined in, or null for a card made through the API. */
export const cardFile = (c: CustomModel | undefined): string | null =>
  c && (EARLIER_CATALOG_FILES as readonly string[]).includes(c.created_by) ? c.created_by : null

export interface EarlierCatalog {
  cards: CustomModel[]
  /** One line per skipped entry or unreadable file, for the log and the menu's notes. */
  problems: string[]
}

/** Bounds: a catalog file is a hand-edited list, not a database. */
const MAX_ENTRIES = 500

function entriesOf(doc: unknown): Array<[string | null, unknown]> | null {
  const root =
    doc && typeof doc === 'object' && !Array.isArray(doc) && 'models' in doc
      ? (doc as { models: unknown }).models
      : doc
  if (Array.isArray(root)) return root.map((e) => [null, e])
  if (root && typeof root === 'object') return Object.entries(root)
  return root === null || root === undefined ? [] : null
}

/** The cards one file defines; `label` names the file in problems (`MODELS_YAML`). */
export function readEarlierCatalog(text: string, label: string, createdAt: string): EarlierCatalog {
  let doc: unknown
  try {
    doc = parse(text, { maxAliasCount: 50 })
  } catch (err) {
    return { cards: [], problems: [`${label}: not valid YAML (${(err as Error).message.split('\n')[0]})`] }
  }
  const entries = entriesOf(doc)
  if (entries === null) return { cards: [], problems: [`${label}: expected a list or a mapping of models`] }
  const cards: CustomModel[] = []
  const problems: string[] = []
  for (const [key, value] of entries.slice(0, MAX_ENTRIES)) {
    const input = value && typeof value === 'object' && key !== null ? { key, ...value } : value
    const parsed = customModelInput.safeParse(input)
    const name = (key ??
      (input as { key?: unknown } | null)?.key ??
      `entry ${cards.length + problems.length + 1}`) as string
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ')
      problems.push(`${label}: ${String(name).slice(0, 128)} skipped — ${why}`.slice(0, 500))
      continue
    }
    try {
      const card = toCustomModel(parsed.data, createdAt, label)
      if (cards.some((c) => c.key === card.key))
        problems.push(`${label}: ${card.key} skipped — defined twice`)
      else cards.push(card)
    } catch (err) {
      problems.push(
        `${label}: ${String(name).slice(0, 128)} skipped — ${err instanceof AppError ? err.message : String(err)}`.slice(
          0,
          500,
        ),
      )
    }
  }
  if (entries.length > MAX_ENTRIES) problems.push(`${label}: only the first ${MAX_ENTRIES} entries are read`)
  return { cards, problems }
}

/**
 * The card store with the earlier files' cards added read-only: cards made through the API win on
 * a shared key; a file's card cannot be removed here (`remove` answers false — edit the file).
 */
export function withEarlierCards(store: CustomModelStore, earlier: () => CustomModel[]): CustomModelStore {
  const fromFiles = () => {
    const own = new Set(store.list().map((c) => c.key))
    return earlier().filter((c) => !own.has(c.key))
  }
  return {
    list: () => [...store.list(), ...fromFiles()],
    get: (key) => store.get(key) ?? fromFiles().find((c) => c.key === key),
    put: (model) => store.put(model),
    remove: (key) => store.remove(key),
    count: () => store.count(),
  }
}
