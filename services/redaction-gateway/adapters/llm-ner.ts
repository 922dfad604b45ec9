/**
 * The local-LLM name pass over this cluster's chat proxy (the swap-controller's OpenAI-compatible
 * `/v1/models` and `/v1/chat/completions`): never a cloud service. Which model: the one served now
 * (`ner: "auto"`), or the served one whose id names Qwen (`"qwen"`). Long items are cut into pieces
 * (`llm-ner-chunks.ts`), each asked at temperature 0 under vLLM's structured output, at most
 * `concurrency` at once across every `/scrub` (`llm-ner-limit.ts`). Every call has its own timeout
 * and the whole pass a deadline. Whatever goes wrong is a `NerUnavailableError` with a reason, and
 * the remaining calls are cancelled: the route scrubs nothing then.
 */
import type { Dispatcher } from 'undici'
import { MAY_SWAP_HEADER } from '../../../shared/auth/credentials.ts'
import { AppError } from '../../../shared/errors.ts'
import { callJson, type JsonResponse } from '../../../shared/http-client.ts'
import type { Registry } from '../../../shared/metrics.ts'
import type { DependencyReport } from '../../../shared/readiness.ts'
import type { LlmEntity } from '../domain/detect/llm-names.ts'
import { type NameModel, type NerMode, NerUnavailableError } from '../domain/detect/llm-names-pass.ts'
import { chatBody, entitiesFrom, servedModelsFrom } from './llm-ner-answer.ts'
import { splitChunks } from './llm-ner-chunks.ts'
import { createLimiter } from './llm-ner-limit.ts'
import { nerMetrics } from './llm-ner-metrics.ts'

export interface LlmNerOptions {
  /** The swap-controller's URL (its chat proxy). */
  baseUrl: string
  /** One chat call's budget. */
  timeoutMs: number
  /** The whole pass's budget (all pieces of all items). */
  deadlineMs: number
  /** Chat calls at once, across all `/scrub` calls. */
  concurrency: number
  /** The longest piece of text one call carries. */
  chunkChars: number
  /** Pieces that may wait for a slot; a pass that would queue more is refused (`busy`). */
  maxWaiting?: number
  /** `DISABLED_SERVICES` names vllm: the pass is refused without a call. */
  disabled?: boolean
  dispatcher?: Dispatcher
  /** The app's registry: the pass's series (`llm-ner-metrics.ts`) are published there. */
  registry?: Registry
}

export interface LlmNer extends NameModel {
  /** The `local_llm` readiness report: is a model served that `ner: "auto"` would use. */
  check(signal: AbortSignal): Promise<DependencyReport>
}

const SERVICE = 'the swap-controller'
const STATE_TIMEOUT_MS = 3000
const QWEN = /qwen/i

export function createLlmNer(options: LlmNerOptions): LlmNer {
  const base = options.baseUrl.replace(/\/+$/, '')
  const metrics = nerMetrics(options.registry)
  const limiter = createLimiter(
    options.concurrency,
    options.maxWaiting ?? options.concurrency * 64,
    () => new NerUnavailableError('busy', 'the local-LLM name pass has too much queued; retry shortly'),
  )
  // A name pass must never load a model: the chat proxy's on-demand swap obeys this header.
  const headers = { [MAY_SWAP_HEADER]: 'no' }
  const call = <T>(path: string, timeoutMs: number, signal: AbortSignal, body?: unknown) =>
    callJson<T>(`${base}${path}`, {
      service: SERVICE,
      timeoutMs,
      signal,
      body,
      headers,
      dispatcher: options.dispatcher,
    })

  /** No model answers: say whether a switch is under way (it will be back) or none is loaded. */
  async function noModel(signal: AbortSignal): Promise<NerUnavailableError> {
    const state = await call<{ state?: unknown }>('/api/swap/state', STATE_TIMEOUT_MS, signal).catch(
      () => null,
    )
    const running =
      state?.status === 200 && typeof state.body?.state === 'string' && state.body.state !== 'idle'
    return running
      ? new NerUnavailableError(
          'switching',
          'the chat model is being switched; retry when the switch is done',
        )
      : new NerUnavailableError('no_model', 'no chat model is loaded on the cluster')
  }

  async function servedModel(mode: NerMode, signal: AbortSignal): Promise<string> {
    const res = await call('/v1/models', options.timeoutMs, signal).catch((err) => {
      throw failure(err, signal)
    })
    if (isVllmAway(res)) throw await noModel(signal)
    if (res.status !== 200) throw new NerUnavailableError('failed', `GET /v1/models answered ${res.status}`)
    const models = servedModelsFrom(res.body)
    if (models.length === 0) throw await noModel(signal)
    if (mode === 'auto') return models[0]!.id
    // An alias (`--served-model-name coder`) still counts when the model behind it is a Qwen.
    const qwen = models.find((m) => QWEN.test(m.id) || QWEN.test(m.root ?? ''))
    if (!qwen)
      throw new NerUnavailableError(
        'wrong_model',
        `ner "qwen" needs a Qwen model; the cluster serves ${models[0]!.id}`,
      )
    return qwen.id
  }

  async function ask(model: string, text: string, signal: AbortSignal): Promise<LlmEntity[]> {
    metrics.called()
    const maxTokens = Math.ceil(text.length / 2) + 256
    const res = await call(
      '/v1/chat/completions',
      options.timeoutMs,
      signal,
      chatBody(model, text, maxTokens),
    ).catch((err) => {
      throw failure(err, signal)
    })
    if (res.status === 200) return entitiesFrom(res.body)
    if (isVllmAway(res)) throw await noModel(signal)
    throw refusal(res)
  }

  /** One pass over every piece of every item: all entities, or the first failure (the rest cancelled). */
  async function runPass(
    texts: readonly string[],
    mode: NerMode,
    signal?: AbortSignal,
  ): Promise<LlmEntity[][]> {
    if (options.disabled) throw disabled()
    const cancel = new AbortController()
    const deadline = AbortSignal.timeout(options.deadlineMs)
    const all = AbortSignal.any([cancel.signal, deadline, ...(signal ? [signal] : [])])
    try {
      const model = await servedModel(mode, all)
      const pieces = texts.flatMap((text, item) =>
        splitChunks(text, options.chunkChars).map((c) => ({ item, c })),
      )
      if (!limiter.fits(pieces.length)) throw tooMuch(pieces.length, limiter.capacity)
      const found = await Promise.all(
        pieces.map(({ item, c }) =>
          limiter
            .run(() => ask(model, c, all), all)
            .then(
              (entities) => ({ item, entities }),
              (err: unknown) => {
                cancel.abort(err) // the first failure ends the others: the answer is all or nothing
                throw err
              },
            ),
        ),
      )
      const out: LlmEntity[][] = texts.map(() => [])
      for (const { item, entities } of found) out[item]!.push(...entities)
      return out
    } catch (err) {
      throw settle(err, signal, deadline, options.deadlineMs)
    }
  }

  return {
    async entities(texts, { mode, signal }) {
      const started = performance.now()
      const seconds = () => (performance.now() - started) / 1000
      try {
        const found = await runPass(texts, mode, signal)
        metrics.observe('ok', seconds())
        return found
      } catch (err) {
        metrics.observe(err instanceof NerUnavailableError ? err.reason : 'client_closed', seconds())
        throw err
      }
    },

    async check(signal) {
      const info = { kind: 'llm', base_url: base, model: null as string | null, disabled: !!options.disabled }
      if (options.disabled) return { state: 'disabled', detail: 'DISABLED_SERVICES names vllm', info }
      try {
        const model = await servedModel('auto', signal)
        return { state: 'up', detail: `ner "auto" uses ${model}`, info: { ...info, model } }
      } catch (err) {
        const e = failure(err, signal)
        const busy = e instanceof NerUnavailableError && e.reason === 'switching'
        return { state: busy ? 'busy' : 'down', detail: e.message, info }
      }
    },
  }
}

/** More pieces than fit now: the queue is busy, or this one request is more than it can ever hold. */
function tooMuch(pieces: number, capacity: number): NerUnavailableError {
  if (pieces <= capacity)
    return new NerUnavailableError('busy', 'the local-LLM name pass has too much queued; retry shortly')
  return new NerUnavailableError(
    'busy',
    `this request needs ${pieces} model calls and at most ${capacity} can be queued; ` +
      'send fewer or shorter items per call',
  )
}

const disabled = () =>
  new NerUnavailableError('disabled', 'the local LLM is turned off here (DISABLED_SERVICES names vllm)')

/** The chat proxy's "vLLM is not there": its earlier 502 body, which it answers while no model runs. */
function isVllmAway(res: JsonResponse<unknown>): boolean {
  const body = res.body as { detail?: unknown } | null
  return res.status === 502 && body?.detail === 'vllm unreachable'
}

/** A non-2xx answer of the chat proxy, by its error code (the proxy's OpenAI envelope). */
function refusal(res: JsonResponse<unknown>): NerUnavailableError {
  const code = (res.body as { error?: { code?: unknown } } | null)?.error?.code
  const switching = () =>
    new NerUnavailableError('switching', 'the chat model is being switched; retry when the switch is done')
  if (res.status === 503) {
    if (code === 'model_switching' || code === 'model_loading') return switching()
    if (code === 'shutting_down') return new NerUnavailableError('unreachable', `${SERVICE} is restarting`)
    // `model_stopping`, or vLLM's own 503 while it is not ready yet.
    return new NerUnavailableError('no_model', 'the chat model is not ready')
  }
  // The model read from /v1/models a moment ago is gone: a switch began in between.
  if (res.status === 404 && code === 'model_not_found') return switching()
  // It was stopped in between, and loading it again is not this pass's to do (the header above).
  if (res.status === 403 && code === 'swap_needs_admin')
    return new NerUnavailableError('no_model', 'the chat model was stopped during the name pass')
  const named = typeof code === 'string' ? ` (${code})` : ''
  return new NerUnavailableError('failed', `the chat proxy answered ${res.status}${named}`)
}

/** A transport failure (callJson's typed error) as a reason; the caller's own abort stays as it is. */
function failure(err: unknown, signal: AbortSignal): Error {
  if (err instanceof NerUnavailableError) return err
  if (signal.aborted) return err as Error
  if (err instanceof AppError && err.status === 504)
    return new NerUnavailableError('timeout', `${SERVICE} did not answer within the time allowed`)
  if (err instanceof AppError && err.status === 503)
    return new NerUnavailableError('unreachable', `${SERVICE} is not reachable`)
  return new NerUnavailableError('failed', `the call to ${SERVICE} failed`)
}

/** What the pass as a whole failed with: the caller going away, the deadline, or the first failure. */
function settle(
  err: unknown,
  caller: AbortSignal | undefined,
  deadline: AbortSignal,
  deadlineMs: number,
): Error {
  if (caller?.aborted) return new AppError(499, 'client_closed', 'The client went away.')
  if (deadline.aborted && !(err instanceof NerUnavailableError && err.reason !== 'failed'))
    return new NerUnavailableError('timeout', `the name pass did not finish within ${deadlineMs} ms`)
  if (err instanceof NerUnavailableError) return err
  return new NerUnavailableError('failed', 'the name pass failed')
}
