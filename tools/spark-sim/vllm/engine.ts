/**
 * The emulated engine core: lifecycle state, the sequence scheduler, token pacing, metrics and the
 * periodic `Engine 000:` stats line. The HTTP layer (api.ts) only translates requests onto this.
 */
import { sleep } from '../../../shared/abort.ts'
import { countPromptTokens, generateTokens, hash32, Scheduler, textTokens } from './generation.ts'
import type { VllmLog } from './log-lines.ts'
import { type FinishReason, VllmMetrics } from './metrics.ts'
import { type OutputFormat, structuredText } from './structured.ts'

export type VllmState = 'loading' | 'starting-api' | 'ready' | 'dead' | 'stopping' | 'exited'

export interface EngineConfig {
  model: string
  servedModelName: string
  maxModelLen: number
  tokensPerSecond: number
  maxNumSeqs: number
  kvCacheTokens: number
  gpuMemoryUtilization: number
  version: string
}

export class EngineDeadError extends Error {
  constructor() {
    super('EngineCore encountered an issue. See stack trace (above) for the root cause.')
  }
}

export type TokenEvent =
  | { kind: 'token'; text: string }
  | { kind: 'done'; finish: 'stop' | 'length'; promptTokens: number; completionTokens: number }

const BLOCK = 16
const SEEN_PROMPTS_MAX = 512

interface Live {
  tokens: number
}

export class Engine {
  state: VllmState = 'loading'
  readonly metrics: VllmMetrics
  readonly scheduler: Scheduler
  private readonly live = new Set<Live>()
  private readonly seen = new Set<number>()
  private readonly dead = new AbortController()
  private inflight = 0
  private statsTimer: ReturnType<typeof setInterval> | undefined
  private lastStats = { at: Date.now(), prompt: 0, gen: 0 }

  constructor(
    readonly config: EngineConfig,
    readonly log: VllmLog,
  ) {
    this.scheduler = new Scheduler(config.maxNumSeqs)
    this.metrics = new VllmMetrics(config.servedModelName, {
      gpuMemoryUtilization: config.gpuMemoryUtilization,
      blockSize: BLOCK,
      numGpuBlocks: Math.floor(config.kvCacheTokens / BLOCK),
    })
  }

  inFlight(): number {
    return this.inflight
  }

  kvUsage(): number {
    let used = 0
    for (const l of this.live) used += Math.ceil(Math.max(1, l.tokens) / BLOCK) * BLOCK
    return Math.min(1, used / this.config.kvCacheTokens)
  }

  metricsText(): string {
    return this.metrics.render({
      running: this.scheduler.running,
      waiting: this.scheduler.waiting,
      kvUsage: this.kvUsage(),
    })
  }

  /** Engine death: every generation in progress fails, new ones fail at once. */
  kill(): void {
    this.state = 'dead'
    this.dead.abort(new EngineDeadError())
  }

  startStats(intervalMs: number): void {
    this.lastStats = { at: Date.now(), prompt: this.metrics.promptTokens, gen: this.metrics.generationTokens }
    this.statsTimer = setInterval(() => this.logStats(), intervalMs)
  }

  stopStats(): void {
    if (this.statsTimer) clearInterval(this.statsTimer)
    this.statsTimer = undefined
  }

  private logStats(): void {
    const m = this.metrics
    const now = Date.now()
    const dt = Math.max(0.001, (now - this.lastStats.at) / 1000)
    const dPrompt = m.promptTokens - this.lastStats.prompt
    const dGen = m.generationTokens - this.lastStats.gen
    this.lastStats = { at: now, prompt: m.promptTokens, gen: m.generationTokens }
    // Like vLLM, stay quiet while idle so the log is not flooded by an unused server.
    if (dPrompt === 0 && dGen === 0 && this.scheduler.running === 0 && this.scheduler.waiting === 0) return
    const hit = m.prefixQueries === 0 ? 0 : (m.prefixHits / m.prefixQueries) * 100
    this.log.api(
      'INFO',
      'loggers.py:123',
      `Engine 000: Avg prompt throughput: ${(dPrompt / dt).toFixed(1)} tokens/s, Avg generation throughput: ` +
        `${(dGen / dt).toFixed(1)} tokens/s, Running: ${this.scheduler.running} reqs, Waiting: ` +
        `${this.scheduler.waiting} reqs, GPU KV cache usage: ${(this.kvUsage() * 100).toFixed(1)}%, ` +
        `Prefix cache hit rate: ${hit.toFixed(1)}%`,
    )
  }

  /**
   * One request's life: queue → prefill (TTFT) → tokens paced at `tokensPerSecond`. Aborting `signal`
   * (client gone) stops it at the next token and counts it as `abort`.
   */
  async *generate(
    prompt: string,
    maxTokens: number | undefined,
    signal: AbortSignal,
    output: OutputFormat = { kind: 'text' },
  ): AsyncGenerator<TokenEvent> {
    if (this.state === 'dead') throw new EngineDeadError()
    const both = AbortSignal.any([signal, this.dead.signal])
    const started = performance.now()
    const promptTokens = countPromptTokens(prompt)
    const { tokens, finish } =
      output.kind === 'json'
        ? textTokens(structuredText(output, hash32(prompt)), maxTokens)
        : generateTokens(prompt, maxTokens)
    this.inflight++
    let release: (() => void) | undefined
    const live: Live = { tokens: promptTokens }
    let outcome: FinishReason = 'abort'
    try {
      release = await this.scheduler.admit(both)
      const m = this.metrics
      m.queue.observe((performance.now() - started) / 1000)
      this.live.add(live)
      m.promptTokens += promptTokens
      m.prefixQueries += promptTokens
      const key = hash32(prompt)
      if (this.seen.has(key)) m.prefixHits += Math.floor(promptTokens * 0.9)
      else {
        if (this.seen.size >= SEEN_PROMPTS_MAX) this.seen.clear()
        this.seen.add(key)
      }
      const perToken = 1000 / this.config.tokensPerSecond
      await sleep(10 + promptTokens * 0.02, { signal: both })
      let last = performance.now()
      for (let i = 0; i < tokens.length; i++) {
        if (i > 0) await sleep(perToken, { signal: both })
        const now = performance.now()
        if (i === 0) m.ttft.observe((now - started) / 1000)
        else m.itl.observe((now - last) / 1000)
        last = now
        m.generationTokens++
        live.tokens++
        yield { kind: 'token', text: tokens[i] ?? '' }
      }
      outcome = finish
      yield { kind: 'done', finish, promptTokens, completionTokens: tokens.length }
    } catch (err) {
      if (this.dead.signal.aborted) throw new EngineDeadError()
      throw err
    } finally {
      this.metrics.success[outcome]++
      this.metrics.e2e.observe((performance.now() - started) / 1000)
      this.live.delete(live)
      release?.()
      this.inflight--
    }
  }
}
