/**
 * Model management over its ports: the menu with disk discovery, custom cards, delete (weights on
 * every node plus the card) and suggestions. Mutations are audited with who, what and outcome.
 * A delete is refused (409) while the model is loaded, part of a running swap, or downloading.
 */
import { AppError, conflict, notFound } from '../../../../shared/errors.ts'
import { assertSafeName } from '../../../../shared/ssh/quote.ts'
import type { CatalogEntry, Recipe, RecipeCatalog } from '../catalog/types.ts'
import type { AuditInput } from '../coordination/ports.ts'
import { isoUtc } from '../coordination/time.ts'
import {
  type CustomModel,
  type CustomModelInput,
  type CustomModelStore,
  IGNORED_NOTE,
  ignoredFields,
  MAX_CUSTOM_MODELS,
  toCustomModel,
} from './custom.ts'
import type { Downloads } from './downloads.ts'
import { keyForRepo, sameRepo } from './ids.ts'
import { buildMenu, type DiskView, type MenuEntry } from './menu.ts'
import { type Suggestion, suggest } from './suggest.ts'

export interface NodeRemoval {
  node: string
  ok: boolean
  error: string | null
  /** Whether the model's directory was there to remove (false: nothing on that node's disk); absent when unknown. */
  on_disk?: boolean
}

/** The Sparks' model caches (SSH adapter in production). */
export interface ModelDisk {
  /**
   * Cached for a few seconds; `fresh` reads again. Never throws: failed nodes are listed in
   * `failed`. `signal` only stops this caller's wait (rejecting with its reason), not the scan.
   */
  scan(options?: { fresh?: boolean; signal?: AbortSignal }): Promise<DiskView>
  /** `rm -rf` of the repo's cache directory on every node. */
  remove(repo: string): Promise<NodeRemoval[]>
  invalidate(): void
}

/** What the swap engine is doing, as far as a delete cares. */
export interface SwapGlance {
  running: boolean
  recipe: string
  model: string
  from_model: string | null
  outcome: string
}

export interface ModelServiceDeps {
  recipes: RecipeCatalog
  disk: ModelDisk
  custom: CustomModelStore
  /** What the earlier catalog files (MODELS_YAML) could not give, for the model list's notes. */
  catalogNotes?(): string[]
  downloads: Downloads
  loadedModels(signal?: AbortSignal): Promise<string[]>
  swapState(): SwapGlance | null
  /** Refuses new swaps (409 naming `reason`) until the returned release is called. */
  holdSwaps?(reason: string): () => void
  audit(entry: AuditInput): void
  nodeMemoryBytes: number
  /** How long `GET /api/models` waits for the disk scan before answering without it; default 4 s. */
  menuScanBudgetMs?: number
  now?: () => number
}

export interface Ctx {
  actor: string
  requestId?: string
}

export interface DeleteAnswer {
  key: string
  repo: string | null
  local_path: string | null
  weights_removed: boolean
  nodes: NodeRemoval[]
  card_removed: boolean
  recipe_kept: string | null
  notes: string[]
}

/** The stored card, plus the posted fields a card does not have (ignored, not stored). */
export interface AddedModel extends CustomModel {
  ignored_fields: string[]
  ignored_note: string | null
}

export interface ModelService {
  menu(
    entries: readonly CatalogEntry[],
    loaded: string[] | null,
  ): Promise<{ models: MenuEntry[]; notes: string[] }>
  add(input: CustomModelInput, ctx: Ctx): Promise<AddedModel>
  remove(key: string, ctx: Ctx, signal?: AbortSignal): Promise<DeleteAnswer>
  suggest(q: string, limit: number): Promise<Suggestion[]>
  readonly downloads: Downloads
}

export function createModelService(deps: ModelServiceDeps): ModelService {
  const now = deps.now ?? Date.now
  const menuScanBudgetMs = deps.menuScanBudgetMs ?? 4000
  const validRecipes = async () => (await deps.recipes.snapshot()).entries.filter((e): e is Recipe => e.valid)
  /** A card whose key is also a recipe's is not listed (the recipe is); said, not silently dropped. */
  const shadowedCards = (entries: readonly CatalogEntry[]) =>
    deps.custom
      .list()
      .filter((c) => entries.some((e) => e.key === c.key))
      .map((c) => `${c.created_by}: ${c.key} is also a recipe key; the recipe is listed, not the card`)
  const diskNotes = (disk: DiskView) =>
    disk.failed.map(
      (f) => `the model cache on ${f.node} could not be read (${f.error}); on_disk leaves it out`,
    )

  async function assertNotInUse(
    names: Set<string>,
    recipeKeys: Set<string>,
    repo: string | null,
    label: string,
    signal?: AbortSignal,
  ) {
    const active = repo ? deps.downloads.activeFor(repo) : undefined
    if (active)
      throw conflict(
        `${label} is being downloaded (${active.download_id}); cancel it or wait before deleting.`,
      )
    const swap = deps.swapState()
    const involved = (s: SwapGlance) =>
      recipeKeys.has(s.recipe) || names.has(s.model) || (s.from_model !== null && names.has(s.from_model))
    if (swap?.running && involved(swap))
      throw conflict(
        `${label} is part of the swap under way (${swap.recipe}); delete it after the swap has finished.`,
      )
    let loaded: string[] | null = null
    try {
      loaded = await deps.loadedModels(signal)
    } catch {
      loaded = null
    }
    if (loaded?.some((m) => names.has(m)))
      throw conflict(`${label} is loaded right now; swap to another model or stop it first.`)
    if (loaded === null && swap && !swap.running && swap.outcome === 'ready' && names.has(swap.model))
      throw conflict(
        `${label} was the last model loaded and vLLM did not answer to confirm it is stopped; try again shortly.`,
      )
  }

  return {
    downloads: deps.downloads,

    async menu(entries, loaded) {
      // The menu must answer even when a node is slow: past the budget the scan goes on in the
      // background (its result is cached for the next look) and this answer says so.
      let timer: ReturnType<typeof setTimeout> | undefined
      const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), menuScanBudgetMs)))
      const disk = await Promise.race([deps.disk.scan(), late]).finally(() => clearTimeout(timer))
      const usable = disk && !(disk.failed.length > 0 && disk.models.length === 0) ? disk : null
      const models = buildMenu({
        entries,
        custom: deps.custom.list(),
        disk: usable,
        loaded,
        nodeMemoryBytes: deps.nodeMemoryBytes,
      })
      const notes = disk
        ? diskNotes(disk)
        : [`the model caches did not answer within ${menuScanBudgetMs} ms; on_disk is null for now`]
      return { models, notes: [...notes, ...(deps.catalogNotes?.() ?? []), ...shadowedCards(entries)] }
    },

    async add(input, ctx) {
      const card = toCustomModel(input, isoUtc(now()), ctx.actor)
      const audit = (outcome: string, detail: string | null) =>
        deps.audit({
          actor: ctx.actor,
          requestId: ctx.requestId,
          action: 'model.add',
          target: card.key,
          outcome,
          detail,
        })
      const refuse = (message: string) => {
        audit('refused', message)
        return conflict(message)
      }
      const recipes = await validRecipes()
      const twin = deps.custom
        .list()
        .find(
          (c) =>
            (card.repo && sameRepo(c.repo, card.repo)) ||
            (card.local_path && c.local_path === card.local_path),
        )
      if (deps.custom.get(card.key))
        throw refuse(
          `A custom model with key ${card.key} exists already; delete it first or pick another key.`,
        )
      if (recipes.some((r) => r.key === card.key))
        throw refuse(`${card.key} is a recipe key; pick another key.`)
      if (twin) throw refuse(`${card.repo ?? card.local_path} is already in the catalog as ${twin.key}.`)
      if (deps.custom.count() >= MAX_CUSTOM_MODELS)
        throw refuse(`The catalog holds ${MAX_CUSTOM_MODELS} custom models already; delete some first.`)
      deps.custom.put(card)
      const ignored = ignoredFields(input)
      const what = card.repo ?? card.local_path ?? card.key
      audit('ok', ignored.length > 0 ? `${what}; ignored fields: ${ignored.join(', ')}`.slice(0, 500) : what)
      return { ...card, ignored_fields: ignored, ignored_note: ignored.length > 0 ? IGNORED_NOTE : null }
    },

    async remove(key, ctx, signal) {
      assertSafeName(key, 'key')
      const recipes = await validRecipes()
      const card = deps.custom.get(key)
      const recipe = recipes.find((r) => r.key === key)
      // Only an `org--name` key needs the disks to be resolved; read them fresh, a delete is rare.
      const disk = !card && !recipe ? await deps.disk.scan({ fresh: true, signal }) : null
      const found = disk?.models.find((d) => keyForRepo(d.repo).toLowerCase() === key.toLowerCase())
      const repo = recipe?.model ?? card?.repo ?? found?.repo ?? null
      const localPath = recipe?.localPath ?? card?.local_path ?? null
      if (!repo && !localPath) {
        // A first download: no recipe, no card, nothing on disk yet — but the key names what is coming.
        const coming = deps.downloads
          .list()
          .find((d) => d.status === 'running' && keyForRepo(d.repo).toLowerCase() === key.toLowerCase())
        if (coming) {
          const message = `${coming.repo} is being downloaded (${coming.download_id}); cancel it or wait before deleting.`
          deps.audit({
            actor: ctx.actor,
            requestId: ctx.requestId,
            action: 'model.delete',
            target: coming.repo,
            outcome: 'refused',
            detail: message,
          })
          throw conflict(message, { extra: { download_id: coming.download_id } })
        }
      }
      if (!repo && !localPath && disk && disk.failed.length > 0) {
        const nodes = disk.failed.map((f) => f.node).join(', ')
        const message = `No model ${key} was found, but the model cache on ${nodes} could not be read; retry shortly.`
        throw new AppError(503, 'caches_unreadable', message, { retryAfterS: 15 })
      }
      if (!repo && !localPath)
        throw notFound(`No model ${key}: not a recipe, a custom model or a model on the Sparks' disks.`)
      const sharing = recipes.filter((r) => r.key === key || (repo && sameRepo(r.model, repo)))
      const names = new Set([
        ...sharing.map((r) => r.servedModelName),
        ...(card ? [card.served_model_name] : []),
        ...(repo ? [repo] : []),
      ])
      const label = repo ?? localPath ?? key
      const audit = (outcome: string, detail: string) =>
        deps.audit({
          actor: ctx.actor,
          requestId: ctx.requestId,
          action: 'model.delete',
          target: label,
          outcome,
          detail: detail.slice(0, 500),
        })
      // No swap may start from the in-use check until the weights are gone (it could load them).
      const release = deps.holdSwaps?.(`the weights of ${label} are being deleted`) ?? (() => undefined)
      // Taken before the download check below and held until the rm ends: a download started in
      // between would write into the directory being removed.
      const releaseRepo = repo ? deps.downloads.holdForDelete(repo) : () => undefined
      try {
        try {
          await assertNotInUse(names, new Set(sharing.map((r) => r.key)), repo, label, signal)
        } catch (err) {
          if (err instanceof AppError) audit('refused', err.message)
          throw err
        }
        const notes: string[] = []
        let nodes: NodeRemoval[] = []
        if (repo) {
          nodes = await deps.disk.remove(repo)
          deps.disk.invalidate()
          const failed = nodes.filter((n) => !n.ok).map((f) => `${f.node} (${f.error})`)
          if (failed.length > 0) {
            const message = `The weights of ${repo} could not be removed on ${failed.join(', ')}; the card is kept so the delete can be retried.`
            audit('failed', message)
            throw new AppError(502, 'delete_incomplete', message, { extra: { nodes } })
          }
        } else if (!card) {
          const message =
            `${key} runs weights from a local path (${localPath}); the API does not delete local directories. ` +
            'Remove the recipe file and the directory by hand.'
          audit('refused', message)
          throw conflict(message)
        } else notes.push(`weights at the local path ${localPath} are not removed by the API`)
        const cardRemoved = card ? deps.custom.remove(card.key) : false
        if (card && !cardRemoved) {
          // A card from the earlier catalog files (MODELS_YAML) lives in that file, not here.
          const kept = `the card ${card.key} is defined in ${card.created_by}; it stays listed until removed from that file`
          if (!repo) {
            audit('refused', kept)
            throw conflict(`Nothing was deleted: ${kept}.`)
          }
          notes.push(kept)
        }
        const recipeKept = sharing[0]?.key ?? null
        if (recipeKept)
          notes.push(
            `the recipe file ${recipeKept} stays in RECIPES_DIR; the model shows as not on disk until downloaded again`,
          )
        const had = nodes.filter((n) => n.on_disk !== false).map((n) => n.node)
        audit(
          'ok',
          repo
            ? had.length
              ? `removed ${repo} on ${had.join(', ')}`
              : `${repo} was on no Spark's disk; nothing to remove`
            : 'card removed',
        )
        // Removed only where there was something to remove: a model never downloaded has no weights to lose.
        const removedSomewhere = !!repo && nodes.some((n) => n.on_disk !== false)
        return {
          key,
          repo,
          local_path: localPath,
          weights_removed: removedSomewhere,
          nodes,
          card_removed: cardRemoved,
          recipe_kept: recipeKept,
          notes,
        }
      } finally {
        releaseRepo()
        release()
      }
    },

    async suggest(q, limit) {
      const [recipes, disk] = await Promise.all([
        validRecipes().catch(() => []),
        deps.disk.scan().catch(() => null),
      ])
      return suggest({
        q,
        limit,
        recipes: recipes.map((r) => r.model).filter((m): m is string => !!m),
        onDisk: disk?.models.map((d) => d.repo) ?? [],
        custom: deps.custom
          .list()
          .map((c) => c.repo)
          .filter((r): r is string => !!r),
      })
    },
  }
}
