/**
 * The swap-aware chat proxy: `POST /v1/chat/completions` and `/v1/completions` to vLLM, and vLLM's
 * own `GET /v1/models`. Before forwarding, each request is checked against the swap engine and the
 * loaded model (domain/chat/decide.ts): held while a swap finishes, refused with 503 + Retry-After
 * when the wait would be too long, refused with a message naming the loaded model when it asks for
 * another, or — for recipes marked `on_demand` — the swap is started for it. Every forwarded
 * request is counted in flight so a swap drains them before it stops the model.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { sleep } from '../../../shared/abort.ts'
import { MAY_SWAP_HEADER } from '../../../shared/auth/credentials.ts'
import { AppError } from '../../../shared/errors.ts'
import { wasRefused } from '../../../shared/http-client.ts'
import { jsonContent } from '../../../shared/openapi.ts'
import { type AppEnv, createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { VllmProxy } from '../adapters/vllm-proxy.ts'
import type { RecipeCatalog } from '../domain/catalog/types.ts'
import { decide, loadedSince, type OnDemandRecipe, swapInProgress } from '../domain/chat/decide.ts'
import type { Inflight } from '../domain/chat/inflight.ts'
import { actorFrom } from '../domain/coordination/actor.ts'
import { LOCK_TOKEN_HEADER, presentedToken } from '../domain/coordination/token.ts'
import type { SwapEngine } from '../domain/swap/engine.ts'

export interface ChatRouteDeps {
  proxy: VllmProxy
  inflight: Inflight
  /** Served ids vLLM lists now (rejects when it does not answer). */
  loadedModels(signal?: AbortSignal): Promise<string[]>
  /** Without an engine the proxy is a plain passthrough. */
  engine?: Pick<SwapEngine, 'state' | 'request'> & Partial<Pick<SwapEngine, 'stopInProgress'>>
  /** Recipes, for on-demand swaps and minimum residency; without them no on-demand swap happens. */
  catalog?: RecipeCatalog
  /** How long a request is held during a swap before it gets 503 + Retry-After. */
  waitDuringSwapMs: number
  /**
   * Whether the head's vLLM container is running. With its port closed and no swap of ours
   * running, vLLM is still starting (a reboot, a start-up): 503 "loading", not 502 "unreachable".
   */
  vllmContainerRunning?: (signal: AbortSignal) => Promise<boolean>
  /** Retry-After of that 503. */
  loadingRetryAfterS?: number
  pollMs?: number
  /** How long the loaded model id is reused between requests. */
  modelCacheMs?: number
  now?: () => number
}

const envelope = z.object({ error: z.object({ message: z.string(), code: z.string() }) })
const openaiError = (description: string) => jsonContent(description, envelope)
const passthrough = {
  200: {
    description: "vLLM's answer, streamed as it comes (`text/event-stream` when `stream: true`)",
    content: { 'application/json': { schema: z.any() }, 'text/event-stream': { schema: z.string() } },
  },
  404: openaiError('`model_not_found`: the model is not loaded (the message names the loaded one)'),
  409: openaiError(
    '`model_resident`: the loaded model is within its min residency (Retry-After), or a conflict',
  ),
  423: openaiError('An on-demand swap was refused: the swap lock is held'),
  502: { description: '`{"detail": "vllm unreachable"}` (the earlier body), or vLLM failed' },
  503: openaiError(
    '`model_switching`: a swap runs longer than the hold budget (Retry-After from its ETA); `model_stopping`: ' +
      'POST /api/swap/stop is under way; `shutting_down`: the service is restarting (Retry-After); ' +
      '`model_loading`: vLLM is still starting, its container up and its port closed (Retry-After)',
  ),
}
const chatPath = (path: '/v1/chat/completions' | '/v1/completions', summary: string) =>
  createRoute({ method: 'post', path, tags: ['chat'], summary, responses: passthrough })

const modelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['chat'],
  summary: "The models vLLM serves now (vLLM's own list)",
  responses: {
    200: jsonContent("vLLM's model list", z.any()),
  },
})

/** `model` and `stream` from a body that is forwarded untouched; a body that is not JSON is vLLM's to refuse. */
export function peekBody(bytes: Uint8Array): { model: string | null; stream: boolean } {
  try {
    const body = JSON.parse(new TextDecoder().decode(bytes)) as { model?: unknown; stream?: unknown }
    return { model: typeof body?.model === 'string' ? body.model : null, stream: body?.stream === true }
  } catch {
    return { model: null, stream: false }
  }
}

const stoppingError = () =>
  new AppError(
    503,
    'model_stopping',
    'The model is being stopped (POST /api/swap/stop); no model will answer until the next swap.',
  )

/**
 * A held request is answered at once when the process starts shutting down: holding it would
 * keep the server (and the gateway in front) open for the whole grace period, for an answer the
 * swap — cancelled by the shutdown — will not bring.
 */
const shuttingDownError = () =>
  new AppError(503, 'shutting_down', 'The service is restarting; retry shortly.', { retryAfterS: 5 })

interface ServedView {
  ids: string[]
  nothingLoaded: boolean
}
const UNKNOWN: ServedView = { ids: [], nothingLoaded: false }

export function chatRoutes(deps: ChatRouteDeps): ServiceApp {
  const now = deps.now ?? Date.now
  const pollMs = deps.pollMs ?? 200
  const cacheMs = deps.modelCacheMs ?? 1000
  let cached: { at: number; view: ServedView } | null = null

  /**
   * What vLLM serves: its ids; none because nothing listens on its port (refused: no model is
   * loaded); or unknown (slow, reset, odd answer), when no swap is started on a guess.
   */
  async function served(fresh: boolean, signal: AbortSignal): Promise<ServedView> {
    if (!fresh && cached && now() - cached.at < cacheMs) return cached.view
    const view = await deps.loadedModels(signal).then(
      (ids): ServedView => ({ ids, nothingLoaded: ids.length === 0 }),
      (err): ServedView => ({ ids: [], nothingLoaded: wasRefused(err) }),
    )
    cached = { at: now(), view }
    return view
  }

  const stillStarting = (signal: AbortSignal) =>
    deps.vllmContainerRunning ? deps.vllmContainerRunning(signal).catch(() => false) : Promise.resolve(false)
  const loadingError = () =>
    new AppError(503, 'model_loading', 'The model is loading (vLLM is starting); retry shortly.', {
      retryAfterS: deps.loadingRetryAfterS ?? 15,
    })

  async function recipes(): Promise<OnDemandRecipe[]> {
    if (!deps.catalog) return []
    const snap = await deps.catalog.snapshot().catch(() => null)
    return (snap?.entries ?? []).flatMap((e) => (e.valid ? [e] : []))
  }

  async function handle(c: Context<AppEnv>, path: '/v1/chat/completions' | '/v1/completions') {
    const body = new Uint8Array(await c.req.arrayBuffer())
    const { model, stream } = peekBody(body)
    const signal = c.req.raw.signal
    const started = now()
    let swapStarted = false
    let held = false
    let catalog: OnDemandRecipe[] | null = null
    let wake: AbortSignal | undefined
    for (;;) {
      if (signal.aborted) throw new AppError(499, 'client_closed', 'The client went away.')
      if (c.var.shutdown.aborted) throw shuttingDownError()
      // A stop drains the generations under way; new ones would only be cut when vLLM goes.
      if (deps.engine?.stopInProgress?.()) throw stoppingError()
      const job = deps.engine?.state() ?? null
      const swap = swapInProgress(job)
      const view = swap || model === null ? UNKNOWN : await served(held, signal)
      const id = view.ids[0] ?? null
      if (model !== null && !view.ids.includes(model) && (id !== null || view.nothingLoaded))
        catalog ??= await recipes()
      // Read again after the awaits: a swap may have started meanwhile.
      const current = deps.engine?.state() ?? null
      const situation = {
        requested: model,
        swap: swapInProgress(current),
        loaded: id,
        served: view.ids,
        nothingLoaded: view.nothingLoaded,
        loadedSinceMs: loadedSince(current, id),
        recipes: catalog ?? [],
        nowMs: now(),
        waitedMs: now() - started,
        waitBudgetMs: deps.waitDuringSwapMs,
        swapStarted,
      }
      const d = decide(situation)
      if (d.kind === 'reject') throw d.error
      if (d.kind === 'hold') {
        // Once per request: a client kept waiting by a swap is the first thing to look for in the log.
        if (!held) c.var.log.info({ requested: model }, 'chat request held until the swap ends')
        held = true
        // Woken early when the client goes or shutdown begins: the checks at the top answer that.
        wake ??= AbortSignal.any([signal, c.var.shutdown])
        await sleep(Math.min(pollMs, Math.max(1, deps.waitDuringSwapMs - situation.waitedMs)), {
          signal: wake,
        }).catch(() => undefined)
        continue
      }
      if (d.kind === 'swap') {
        // The gateway says `no` when admin needs a key and this request's key is not one.
        if (c.req.header(MAY_SWAP_HEADER) === 'no') throw swapNeedsAdmin(model, id)
        swapStarted = true
        held = true
        c.var.log.info({ recipe: d.recipe, requested: model }, 'on-demand swap for a chat request')
        await deps.engine!.request({
          recipe: d.recipe,
          token: presentedToken({ header: c.req.header(LOCK_TOKEN_HEADER) }),
          actor: `chat:${actorFrom((n) => c.req.header(n))}`,
          requestId: c.var.requestId,
        })
        continue
      }
      // A stop that began during the awaits above has drained without this request: say so
      // rather than forward into a vLLM being torn down. (A swap starting now drains it.)
      if (deps.engine?.stopInProgress?.()) throw stoppingError()
      if (view.nothingLoaded && !situation.swap && (await stillStarting(signal))) throw loadingError()
      // Counted before the first await of the forward, so a swap that starts now drains it.
      const release = deps.inflight.acquire()
      return deps.proxy.forward({
        path,
        body,
        contentType: c.req.header('content-type'),
        streaming: stream,
        requestId: c.var.requestId,
        signal,
        onEnd: release,
      })
    }
  }

  const router = createRouter()
  // Raw passthrough Responses: the declared schemas document them, nothing validates them.
  const chatRoute = chatPath('/v1/chat/completions', 'Chat completion through vLLM (swap-aware)')
  router.openapi(chatRoute, (c) => handle(c, '/v1/chat/completions') as never)
  const textRoute = chatPath('/v1/completions', 'Text completion through vLLM (swap-aware)')
  router.openapi(textRoute, (c) => handle(c, '/v1/completions') as never)
  router.openapi(
    modelsRoute,
    (c) => deps.proxy.models({ requestId: c.var.requestId, signal: c.req.raw.signal }) as never,
  )
  return router
}

function swapNeedsAdmin(requested: string | null, loaded: string | null): AppError {
  const now = loaded ? `${loaded} is loaded` : 'no model is loaded'
  return new AppError(
    403,
    'swap_needs_admin',
    `The model ${requested} is not loaded (${now}); loading it on demand needs an API key with the admin scope.`,
    { extra: { loaded_model: loaded } },
  )
}
