/**
 * The dashboard's ports: what it reads from and asks of the rest of the system. The gateway
 * implements them (its status probe; adapters/swap-source.ts and models-source.ts, over HTTP to the
 * swap-controller) and the tests give fakes. The shapes they carry are the wire contracts of
 * shared/contracts/.
 */
// Not in shared/contracts: in-process needs of the dashboard that adapters implement, not wire shapes.
import type { z } from '@hono/zod-openapi'
import type { ClusterStatus } from '../shared/contracts/gateway.ts'
import type { RedactionStats, ScrubResponse } from '../shared/contracts/redaction-gateway.ts'
import type {
  DiarizedTranscriptBody,
  SpeechStatusReport,
  SpeechVoice,
} from '../shared/contracts/speech-proxy.ts'
import type {
  AuditEntry,
  CatalogList,
  CustomModel,
  DeleteAnswer,
  DownloadView,
  JobView,
  LockState,
  LogLine,
  ModelMenu,
  OpsServicesAnswer,
  PatchApplyAnswer,
  PatchesAnswer,
  RestartAnswer,
  Suggestion,
  SwapStateView,
  SweepRequest,
  SweepResult,
  TelemetryView,
  ValidateAnswer,
} from '../shared/contracts/swap-controller.ts'

/** `POST /scrub`'s answer as the contract names it. */
export type ScrubAnswer = z.infer<typeof ScrubResponse>

/** The cluster status as the gateway gathers it from every service's `/ready` (in process, no HTTP). */
export type GetStatus = (signal?: AbortSignal) => Promise<ClusterStatus>

/** `GET /api/swap/lock` read flat: the holder's fields are simply absent while `held` is false. */
export type LockView = { held: boolean } & Partial<Omit<Extract<LockState, { held: true }>, 'held'>>

/** A refusal the page shows as it is (a 409 "already swapping", a 423 lock), not as a failure of ours. */
export class SwapSourceError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

/** `GET /api/swap/history`'s filters: some actions, some outcomes, real requests or dry runs only. */
export interface HistoryFilter {
  actions?: readonly string[]
  outcomes?: readonly string[]
  dryRun?: boolean
}

export interface SwapSource {
  catalog(signal?: AbortSignal): Promise<CatalogList>
  /** The dry-run verdict (fit, commands) of one recipe; reads live memory, touches nothing, not audited. */
  validate(recipe: string, signal?: AbortSignal): Promise<ValidateAnswer>
  state(signal?: AbortSignal): Promise<SwapStateView>
  telemetry(signal?: AbortSignal): Promise<TelemetryView>
  /** The audit log, newest first; only the rows `filter` lets through when given. */
  history(limit: number, signal?: AbortSignal, filter?: HistoryFilter): Promise<AuditEntry[]>
  /** The newest `tail` lines of the vLLM container logs, every node or one. */
  recentLogs(tail: number, signal?: AbortSignal, node?: string): Promise<LogLine[]>
  /** Starts a real swap as `actor` (a person confirmed it); rejects with SwapSourceError on 4xx. */
  start(recipe: string, actor: string, signal?: AbortSignal): Promise<JobView>
  cancel(actor: string, signal?: AbortSignal): Promise<JobView | null>
  lock(signal?: AbortSignal): Promise<LockView>
  /** Releases another holder's reservation without its token: only ever on a person's click. */
  forceReleaseLock(actor: string, signal?: AbortSignal): Promise<LockView>
}

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

/** A refusal or failure of the speech-proxy, in its own words (413 too big, 415 not audio, 503 busy…). */
export class SpeechSourceError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterS: number | null = null,
  ) {
    super(message)
  }
}

/** Audio as the speech-proxy streams it. */
export interface SpokenAudio {
  body: ReadableStream<Uint8Array>
  contentType: string
}

export interface SpeechSource {
  /** `GET /api/speech/status`: lanes, upstreams and recent jobs. */
  status(signal?: AbortSignal): Promise<SpeechStatusReport>
  voices(signal?: AbortSignal): Promise<SpeechVoice[]>
  /** The transcript with speakers (`diarized_json`); rejects with SpeechSourceError. */
  transcribe(file: File, signal?: AbortSignal): Promise<DiarizedTranscriptBody>
  /** Text to speech (mp3); rejects with SpeechSourceError before any audio flows. */
  speak(text: string, voice: string, signal?: AbortSignal): Promise<SpokenAudio>
}

/** A refusal of the redaction-gateway in its own words: its `error` code, and `reason` for `ner_unavailable`. */
export class RedactionSourceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly reason: string | null = null,
  ) {
    super(message)
  }
}

/** The dashboard's try-it scrub: one text, rules only or with the cluster's own model for names. */
export interface ScrubTry {
  text: string
  ner: 'rules_only' | 'auto'
}

/** What a rehydrated reply came to: the text with the values back, and the tokens the map does not hold. */
export interface Restored {
  text: string
  unresolved: string[]
}

export interface RedactionSource {
  /** `POST /scrub` with one item, into a new map; rejects with RedactionSourceError on 4xx. */
  scrub(input: ScrubTry, signal?: AbortSignal): Promise<ScrubAnswer>
  /** `POST /rehydrate` in its `{text}` form; rejects with RedactionSourceError (404 unknown, 410 expired map). */
  rehydrate(mapHandle: string, text: string, signal?: AbortSignal): Promise<Restored>
  /** `GET /api/redaction/stats`: counts per type per hour, never values. */
  stats(hours: number, signal?: AbortSignal): Promise<RedactionStats>
}

/**
 * A refusal or failure of the swap-controller's cluster operations in its own words (409 a swap on
 * that node, 428 not confirmed, 429 too many restarts, 501 not offered yet…); `code` is the problem's
 * code when its body named one, `extra` the rest of the body (a swap refusal's `node`).
 */
export class OpsSourceError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

/** A cluster change asked for with its commands only (`dry_run`), or for real (`confirm`, a person said yes). */
export type OpsMode = 'dry_run' | 'confirm'

/** The swap-controller's cluster operations (`/api/ops/*`): service containers, patches, sweeps. */
export interface OpsSource {
  services(signal?: AbortSignal): Promise<OpsServicesAnswer>
  /** Restarts one service container as `actor`; rejects with OpsSourceError on a refusal. */
  restart(name: string, mode: OpsMode, actor: string, signal?: AbortSignal): Promise<RestartAnswer>
  /** Every patch on every service it targets, each check step run now. */
  patches(signal?: AbortSignal): Promise<PatchesAnswer>
  /** Applies the missing patches (only `ids` when given) as `actor`, reporting each step. */
  applyPatches(
    ids: string[] | null,
    mode: OpsMode,
    actor: string,
    signal?: AbortSignal,
  ): Promise<PatchApplyAnswer>
  /** Saved and running sweeps, as the controller lists them. */
  sweeps(signal?: AbortSignal): Promise<SweepResult[]>
  sweep(id: string, signal?: AbortSignal): Promise<SweepResult>
  /** Starts a sweep as `actor`; it runs on in the controller and shows in `sweeps()`. */
  startSweep(request: SweepRequest, actor: string, signal?: AbortSignal): Promise<SweepResult>
}
