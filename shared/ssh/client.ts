/**
 * One persistent SSH connection per Spark node (ssh2), shared by every caller in the process.
 *
 * - Lazy: nothing connects until the first command; after that the connection is kept up
 *   (ssh2 keepalives; after a drop or a failed attempt it reconnects in the background with
 *   capped, jittered exponential backoff — see ../backoff.ts).
 * - A caller never waits longer than its own `timeoutMs`: if the next attempt is due later than
 *   that, it gets `SshError('unavailable')` with a Retry-After at once.
 * - Bounded: `maxChannels` commands at once, `maxQueued` waiting, then `busy`.
 * - Authentication only with the private key file (see connect.ts); commands are argv arrays
 *   quoted by quote.ts; logs name argv[0] and the duration, never arguments or output (either
 *   may hold a token).
 */
import { Buffer } from 'node:buffer'
import type { Client, ClientChannel } from 'ssh2'
import { abortable, sleep, unref, withBudget } from '../abort.ts'
import { backoffDelay } from '../backoff.ts'
import type { Logger } from '../logger.ts'
import { type ChannelExit, createLineSplitter, runChannel } from './channel.ts'
import { openConnection } from './connect.ts'
import { SSH_DEFAULTS } from './defaults.ts'
import { NEEDS_OPERATOR, SshError, type SshErrorKind } from './errors.ts'
import type { HostKeyStore } from './known-hosts.ts'
import { createLimiter, type Limiter } from './limiter.ts'
import { buildCommand, wireCommand } from './quote.ts'
import type {
  ExecOptions,
  ExecResult,
  SshConnectionState,
  SshConnectionStateName,
  SshNode,
  SshTarget,
  SshTuning,
  StreamOptions,
  StreamResult,
} from './types.ts'

export interface SshClientOptions extends SshTuning {
  target: SshTarget
  keyPath: string
  hostKeys: HostKeyStore
  logger: Logger
}

export class SshNodeClient implements SshNode {
  readonly name: string
  #o: Required<Omit<SshTuning, 'random'>> & SshClientOptions
  #state: SshConnectionStateName = 'down'
  #since = new Date()
  #lastError: string | null = null
  /** Kind of the last failed attempt; a configuration problem makes callers fail fast. */
  #lastKind: SshErrorKind | null = null
  #failures = 0
  #nextAttemptAt = 0
  #client: Client | null = null
  #connectedAt = 0
  #connecting: Promise<Client> | null = null
  #retryTimer: ReturnType<typeof setTimeout> | null = null
  #closed = false
  #limiter: Limiter

  constructor(options: SshClientOptions) {
    this.name = options.target.name
    // Explicit `undefined`s (an unset env value passed through) must not erase a default.
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined))
    this.#o = { ...SSH_DEFAULTS, ...(given as unknown as SshClientOptions) }
    const { maxChannels, maxQueued } = this.#o
    this.#limiter = createLimiter(maxChannels, maxQueued, () =>
      this.#error('busy', `${maxChannels} commands running and ${maxQueued} waiting already`, 1),
    )
  }

  state(): SshConnectionState {
    const down = this.#state === 'down' && this.#nextAttemptAt > 0 && !this.#closed
    return {
      state: this.#state,
      since: this.#since.toISOString(),
      lastError: this.#lastError,
      failures: this.#failures,
      nextAttemptAt: down ? new Date(this.#nextAttemptAt).toISOString() : null,
    }
  }

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? this.#o.execTimeoutMs
    const remote = options.remoteDeadline ?? this.#o.remoteDeadline
    const command = wireCommand({ argv, deadlineMs: remote ? timeoutMs : null })
    const maxOutput = options.maxOutputBytes ?? this.#o.maxOutputBytes
    const signal = withBudget(options.signal, timeoutMs)
    const reason = () =>
      options.signal?.aborted
        ? this.#error('aborted', `${argv[0]} was cancelled`)
        : this.#error('timeout', `${argv[0]} did not finish within ${timeoutMs} ms`)
    const started = performance.now()
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], bytes: 0 }
    const log = (fields: object) =>
      this.#o.logger.debug({ node: this.name, cmd: argv[0], ms: elapsed(started), ...fields }, 'ssh exec')
    const exit = await this.#withChannel(command, signal, Date.now() + timeoutMs, reason, (channel) =>
      runChannel(channel, {
        signal,
        stdin: options.stdin,
        abortReason: reason,
        lostReason: () => this.#error('connection_lost', `the connection dropped while ${argv[0]} ran`),
        stopReason: () =>
          this.#error('output_limit', `${argv[0]} wrote more than ${maxOutput} bytes and was killed`),
        onData: (stream, chunk) => {
          out.bytes += chunk.length
          if (out.bytes > maxOutput) return false
          out[stream].push(chunk)
          return true
        },
      }),
    ).catch((err: unknown) => {
      log({ error: err instanceof SshError ? err.kind : 'error' })
      throw err
    })
    const durationMs = elapsed(started)
    log({ code: exit.code })
    const text = (parts: Buffer[]) => Buffer.concat(parts).toString('utf8')
    return { ...exit, stdout: text(out.stdout), stderr: text(out.stderr), durationMs }
  }

  async stream(argv: readonly string[], options: StreamOptions): Promise<StreamResult> {
    const command = buildCommand(argv)
    const openTimeoutMs = options.openTimeoutMs ?? 10_000
    const maxLine = options.maxLineBytes ?? 64 * 1024
    const started = performance.now()
    const split = {
      stdout: createLineSplitter(
        maxLine,
        (line, cut) => options.onLine(line, 'stdout', cut),
        options.carriageReturnEndsLine,
      ),
      stderr: createLineSplitter(
        maxLine,
        (line, cut) => options.onLine(line, 'stderr', cut),
        options.carriageReturnEndsLine,
      ),
    }
    const stopped = this.#error('aborted', `${argv[0]} stream was stopped`)
    const openReason = () =>
      options.signal.aborted
        ? stopped
        : this.#error('timeout', `no channel for ${argv[0]} within ${openTimeoutMs} ms`)
    let exit: ChannelExit = { code: null, signal: null }
    try {
      const openSignal = withBudget(options.signal, openTimeoutMs)
      exit = await this.#withChannel(command, openSignal, Date.now() + openTimeoutMs, openReason, (channel) =>
        runChannel(channel, {
          signal: options.signal,
          abortReason: () => stopped,
          stopReason: () => stopped,
          lostReason: () =>
            this.#error('connection_lost', `the connection dropped during the ${argv[0]} stream`),
          onData: (stream, chunk) => {
            split[stream].push(chunk)
            return true
          },
        }),
      )
    } catch (err) {
      if (err !== stopped) throw err
    } finally {
      split.stdout.end()
      split.stderr.end()
    }
    const durationMs = elapsed(started)
    this.#o.logger.debug(
      { node: this.name, cmd: argv[0], ms: durationMs, code: exit.code },
      'ssh stream ended',
    )
    return { ...exit, aborted: options.signal.aborted, durationMs }
  }

  /** Ends the connection and rejects every waiter; the client cannot be used afterwards. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    this.#limiter.drain(this.#error('closed', 'the client was closed'))
    const client = this.#client
    this.#client = null
    this.#setState('down', 'closed')
    if (!client) return
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 2000)
      unref(t)
      client.once('close', () => {
        clearTimeout(t)
        resolve()
      })
      client.end()
    })
  }

  /** Takes a channel slot, makes sure the connection is up, opens the exec channel, runs `use`. */
  async #withChannel<T>(
    command: string,
    signal: AbortSignal,
    deadline: number,
    reason: () => Error,
    use: (channel: ClientChannel) => Promise<T>,
  ): Promise<T> {
    let release: () => void
    try {
      release = await this.#limiter.acquire(signal)
    } catch (err) {
      throw err instanceof SshError ? err : reason()
    }
    try {
      const client = await this.#ensureConnected(deadline, signal, reason)
      return await this.#openExec(client, command, signal, reason, use)
    } finally {
      release()
    }
  }

  /**
   * `use` runs inside ssh2's callback, not after an await: a fast peer's exit status and close can
   * arrive in the same TCP read as the channel confirmation, and would be missed by later listeners.
   */
  #openExec<T>(
    client: Client,
    command: string,
    signal: AbortSignal,
    reason: () => Error,
    use: (channel: ClientChannel) => Promise<T>,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(reason())
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort, { once: true })
      client.exec(command, (err, channel) => {
        signal.removeEventListener('abort', onAbort)
        if (err) return reject(this.#error('channel_failed', `could not open a channel (${err.message})`, 1))
        // Opened after the caller gave up: close it so the session is not leaked.
        if (signal.aborted) return channel.close()
        use(channel).then(resolve, reject)
      })
    })
  }

  async #ensureConnected(deadline: number, signal: AbortSignal, reason: () => Error): Promise<Client> {
    for (;;) {
      if (this.#closed) throw this.#error('closed', 'the client was closed')
      if (this.#client) return this.#client
      if (!this.#connecting) {
        const wait = this.#nextAttemptAt - Date.now()
        // Waiting for the retry cannot fix a refused key or a changed host key: say so at once.
        const hopeless = wait > 0 && this.#lastKind !== null && NEEDS_OPERATOR.has(this.#lastKind)
        if (hopeless) throw this.#error(this.#lastKind!, this.#lastError ?? 'down')
        if (wait > deadline - Date.now())
          throw this.#error(
            'unavailable',
            `not connected (${this.#lastError ?? 'down'})`,
            Math.ceil(wait / 1000),
          )
        if (wait > 0) {
          await sleep(wait, { signal, reason })
          continue
        }
        this.#startConnect()
      }
      return await abortable(this.#connecting!, signal, reason)
    }
  }

  #startConnect(): void {
    this.#setState('connecting', this.#lastError)
    const attempt = openConnection({
      target: this.#o.target,
      keyPath: this.#o.keyPath,
      hostKeys: this.#o.hostKeys,
      connectTimeoutMs: this.#o.connectTimeoutMs,
      keepaliveIntervalMs: this.#o.keepaliveIntervalMs,
      keepaliveCountMax: this.#o.keepaliveCountMax,
      onError: (err) => {
        this.#lastError = err.message
      },
      onClose: () => this.#onDropped(client),
    })
    let client: Client | null = null
    this.#connecting = attempt
    attempt.then(
      (c) => {
        client = c
        this.#connecting = null
        this.#onConnected(c)
      },
      (err: unknown) => {
        this.#connecting = null
        this.#lastKind = err instanceof SshError ? err.kind : 'connect_failed'
        this.#onFailure(err instanceof SshError ? err.reason : String(err))
      },
    )
  }

  #onConnected(client: Client) {
    if (this.#closed) return void client.end()
    this.#client = client
    this.#connectedAt = Date.now()
    this.#failures = 0
    this.#nextAttemptAt = 0
    this.#lastKind = null
    this.#setState('connected', null)
    const { host, port, user } = this.#o.target
    this.#o.logger.info({ node: this.name, host, port, user }, 'SSH connected')
  }

  #onDropped(client: Client | null) {
    if (!client || this.#client !== client) return
    this.#client = null
    if (this.#closed) return
    if (Date.now() - this.#connectedAt >= this.#o.stableAfterMs) this.#failures = 0
    this.#lastKind = 'connection_lost'
    this.#o.logger.warn({ node: this.name, reason: this.#lastError }, 'SSH connection lost')
    this.#onFailure(this.#lastError ?? 'connection closed')
  }

  #onFailure(message: string) {
    if (this.#closed) return
    this.#failures++
    const { backoffBaseMs: baseMs, backoffMaxMs: maxMs, random } = this.#o
    const delay = backoffDelay(this.#failures, { baseMs, maxMs, random })
    this.#nextAttemptAt = Date.now() + delay
    this.#setState('down', message)
    // The first failure is news; the retries of a Spark that stays off are not.
    const level = this.#failures === 1 ? 'warn' : 'debug'
    this.#o.logger[level](
      { node: this.name, failures: this.#failures, retry_ms: delay, reason: message },
      'SSH connection down',
    )
    if (this.#retryTimer) clearTimeout(this.#retryTimer)
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null
      if (!this.#closed && !this.#client && !this.#connecting) this.#startConnect()
    }, delay)
    unref(this.#retryTimer)
  }

  #setState(state: SshConnectionStateName, lastError: string | null) {
    if (state !== this.#state) this.#since = new Date()
    this.#state = state
    this.#lastError = lastError
  }

  #error(kind: SshErrorKind, message: string, retryAfterS?: number) {
    return new SshError(kind, this.name, message, { retryAfterS })
  }
}

const elapsed = (started: number) => Math.round(performance.now() - started)
