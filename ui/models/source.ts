/**
 * What the dashboard's models page reads from and asks of the swap-controller's model management.
 * The gateway gives an HTTP implementation (services/gateway/adapters/models-source.ts); the tests
 * give fakes. The shapes are the controller's own wire types, imported as types only.
 */
import type { z } from '@hono/zod-openapi'
import type { earlierModelList } from '../../services/swap-controller/routes/catalog-schemas.ts'
import type {
  customModel,
  deleteAnswer,
  downloadView,
  suggestionList,
} from '../../services/swap-controller/routes/models-schemas.ts'

export type ModelMenu = z.infer<typeof earlierModelList>
export type MenuModel = ModelMenu['models'][number]
export type DeleteAnswer = z.infer<typeof deleteAnswer>
export type Suggestion = z.infer<typeof suggestionList>['suggestions'][number]
export type DownloadView = z.infer<typeof downloadView>
export type CustomModel = z.infer<typeof customModel>

/** Exactly one of `repo` and `local_path`, already validated by the dashboard. */
export type NewCard = { name?: string } & (
  | { repo: string; local_path?: never }
  | { local_path: string; repo?: never }
)

/** A node's model-cache disk, from the controller's telemetry; null numbers when it could not be read. */
export interface NodeDisk {
  node: string
  available_bytes: number | null
  total_bytes: number | null
}

/** One failing field of a 422, as the controller named it. */
export interface FieldProblem {
  field: string
  message: string
}

/**
 * A refusal the page shows as it is (409 loaded, 422 with its fields, 502 with per-node results),
 * not as a failure of ours.
 */
export class ModelsSourceError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export interface ModelsSource {
  /** `GET /api/models`: recipes and on-disk models, `needs_setup` ones with inferred settings. */
  menu(signal?: AbortSignal): Promise<ModelMenu>
  suggest(q: string, limit: number, signal?: AbortSignal): Promise<Suggestion[]>
  /** Running and recent downloads, newest first. */
  downloads(signal?: AbortSignal): Promise<DownloadView[]>
  /** Free space of each node's model cache (for the download question); [] when unknown. */
  disks(signal?: AbortSignal): Promise<NodeDisk[]>
  /** Starts a download to every node as `actor`; rejects with ModelsSourceError on 4xx. */
  download(repo: string, actor: string, signal?: AbortSignal): Promise<DownloadView>
  cancelDownload(id: string, actor: string, signal?: AbortSignal): Promise<DownloadView>
  /** Removes the weights on every node (and a custom card); a 502 carries the per-node results. */
  remove(key: string, actor: string, signal?: AbortSignal): Promise<DeleteAnswer>
  add(card: NewCard, actor: string, signal?: AbortSignal): Promise<CustomModel>
}
