/**
 * Live vLLM container logs of every node: one `docker logs -f -t` stream per node over its
 * persistent SSH connection, re-opened whenever it ends — the container stopped or was replaced
 * (a swap), does not exist yet, or the connection dropped — with capped backoff, and at once on
 * `kick()` (the swap engine calls it right after a launch). Docker's timestamps make re-opening
 * exact: the next stream asks for lines `--since` the last one seen and drops what it already
 * delivered, so a drop neither loses nor repeats lines. Lines go to a bounded replay buffer per
 * node and to subscribers (SSE clients, the swap engine's ProgressTracker).
 */

import { backoffDelay } from '../../../shared/backoff.ts'
import type { Logger } from '../../../shared/logger.ts'
import { assertSafeName } from '../../../shared/ssh/quote.ts'
import type { SshNodes } from '../../../shared/ssh/types.ts'
import type { ProgressTracker } from '../domain/progress/tracker.ts'
import { RingBuffer } from '../domain/telemetry/ring-buffer.ts'

export interface LogLineEvent {
  node: string
  line: string
  /** When the container wrote it (docker's timestamp), ISO 8601. */
  at: string
}

/** following: streaming; waiting: no container (or it stopped); retrying: SSH or docker trouble. */
export type TailState = 'starting' | 'following' | 'waiting' | 'retrying' | 'stopped'

export interface NodeTailStatus {
  node: string
  state: TailState
  since: string
  last_error: string | null
  lines: number
}

export interface LogTail {
  readonly nodes: readonly string[]
  readonly replayLines: number
  start(): void
  stop(): Promise<void>
  /** Every new line of every node, as it arrives; returns the unsubscribe function. */
  subscribe(listener: (event: LogLineEvent) => void): () => void
  /** The newest `tail` lines of one node, or of each node merged in time order. */
  replay(options?: { node?: string; tail?: number }): LogLineEvent[]
  /** Re-open now instead of after the backoff (a container was just started). */
  kick(node?: string): void
  status(): NodeTailStatus[]
}

export interface LogTailOptions {
  nodes: readonly string[]
  ssh: SshNodes
  container: string
  /** Lines kept per node for replay, and asked of `docker logs --tail` (default 500). */
  replayLines?: number
  backoffBaseMs?: number
  /** Longest wait between attempts while the container is absent or SSH is down (default 3 s). */
  backoffMaxMs?: number
  openTimeoutMs?: number
  logger?: Logger
  now?: () => number
  random?: () => number
}

/** `2026-04-18T10:00:00.123456789Z text` — RFC 3339 with up to nanoseconds, then one space. */
const STAMPED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) ([\s\S]*)$/

interface Cursor {
  raw: string
  seconds: number
  /** The fraction as 9 digits, so it compares as text. */
  nanos: string
}

export function parseDockerTimestamp(line: string): { cursor: Cursor; text: string; atMs: number } | null {
  const m = STAMPED.exec(line)
  if (!m) return null
  const ms = Date.parse(`${m[1]}${m[3]}`)
  if (Number.isNaN(ms)) return null
  const nanos = (m[2] ?? '').padEnd(9, '0')
  const raw = `${m[1]}${m[2] ? `.${m[2]}` : ''}${m[3]}`
  return { cursor: { raw, seconds: ms / 1000, nanos }, text: m[4]!, atMs: ms + Number(nanos.slice(0, 3)) }
}

const after = (a: Cursor, b: Cursor | null) =>
  !b || a.seconds > b.seconds || (a.seconds === b.seconds && a.nanos > b.nanos)
const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

export function createLogTail(options: LogTailOptions): LogTail {
  const container = assertSafeName(options.container, 'container')
  const replayLines = Math.max(1, options.replayLines ?? 500)
  const now = options.now ?? Date.now
  const listeners = new Set<(e: LogLineEvent) => void>()
  const publish = (event: LogLineEvent) => {
    for (const l of listeners) {
      try {
        l(event)
      } catch (err) {
        options.logger?.warn({ err: message(err) }, 'log tail listener failed')
      }
    }
  }
  const runners = options.nodes.map((node) => createRunner(node))
  let stopping = new AbortController()
  let running: Array<Promise<void>> = []

  function createRunner(node: string) {
    const ring = new RingBuffer<LogLineEvent>(replayLines)
    const status: NodeTailStatus = {
      node,
      state: 'stopped',
      since: new Date(now()).toISOString(),
      last_error: null,
      lines: 0,
    }
    return {
      node,
      ring,
      status,
      cursor: null as Cursor | null,
      failures: 0,
      wake: null as (() => void) | null,
    }
  }
  type Runner = ReturnType<typeof createRunner>

  const setState = (r: Runner, state: TailState, error: string | null = r.status.last_error) => {
    if (r.status.state !== state) r.status.since = new Date(now()).toISOString()
    r.status.state = state
    r.status.last_error = error
  }

  /**
   * Lines up to `resumeFrom` were delivered by an earlier stream (`--since` repeats the last one).
   * Within one stream nothing is dropped: the container's stdout and stderr reach us through two
   * pipes, so a line may arrive after a later-stamped one and must still be shown.
   */
  function accept(r: Runner, raw: string, resumeFrom: Cursor | null): boolean {
    const parsed = parseDockerTimestamp(raw)
    if (!parsed || !after(parsed.cursor, resumeFrom)) return false
    if (after(parsed.cursor, r.cursor)) r.cursor = parsed.cursor
    const at = new Date(parsed.atMs).toISOString()
    // tqdm redraws its bar with carriage returns; each state of the bar is a line of its own.
    for (const part of parsed.text.split('\r')) {
      if (part.trim() === '') continue
      const event = { node: r.node, line: part, at }
      r.ring.push(event)
      r.status.lines++
      publish(event)
    }
    return true
  }

  async function openOnce(r: Runner, signal: AbortSignal): Promise<void> {
    const client = options.ssh.get(r.node)
    if (!client) return setState(r, 'retrying', 'no SSH connection for this node')
    const resumeFrom = r.cursor
    const from = resumeFrom ? ['--since', resumeFrom.raw] : []
    const argv = ['docker', 'logs', '-f', '-t', ...from, '--tail', String(replayLines), container]
    let cliError: string | null = null
    let delivered = false
    setState(r, r.status.state === 'stopped' ? 'starting' : r.status.state)
    const res = await client.stream(argv, {
      signal,
      openTimeoutMs: options.openTimeoutMs ?? 5000,
      onLine: (line, stream) => {
        if (accept(r, line, resumeFrom)) {
          if (!delivered) setState(r, 'following', null)
          delivered = true
        } else if (stream === 'stderr' && !STAMPED.test(line)) cliError = line
      },
    })
    if (delivered) r.failures = 0
    if (res.aborted) return
    if (res.code === 0) return setState(r, 'waiting', 'the container stopped')
    if (cliError && /no such container/i.test(cliError)) {
      return setState(r, 'waiting', `no ${container} container`)
    }
    const hint = cliError && /permission denied/i.test(cliError) ? ' (the SSH user cannot use docker)' : ''
    setState(r, 'retrying', `docker logs exited with ${res.code ?? res.signal ?? 'no status'}${hint}`)
  }

  async function run(r: Runner, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      try {
        await openOnce(r, stop)
      } catch (err) {
        if (!stop.aborted) setState(r, 'retrying', message(err))
      }
      if (stop.aborted) break
      // A stream that delivered lines reset this: the next attempt comes soon after a stop.
      r.failures++
      await pause(
        r,
        backoffDelay(r.failures, {
          baseMs: options.backoffBaseMs ?? 250,
          maxMs: options.backoffMaxMs ?? 3000,
          random: options.random,
        }),
        stop,
      )
    }
    setState(r, 'stopped')
  }

  function pause(r: Runner, ms: number, stop: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        stop.removeEventListener('abort', done)
        r.wake = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      stop.addEventListener('abort', done, { once: true })
      r.wake = done
    })
  }

  return {
    nodes: options.nodes,
    replayLines,
    start() {
      if (running.length > 0) return
      stopping = new AbortController()
      running = runners.map((r) => run(r, stopping.signal))
    },
    async stop() {
      stopping.abort()
      await Promise.all(running)
      running = []
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    replay({ node, tail = replayLines } = {}) {
      const chosen = runners.filter((r) => node === undefined || r.node === node)
      const lines = chosen.flatMap((r) => r.ring.toArray(tail))
      // A stable sort keeps each node's own order for lines stamped in the same millisecond.
      return chosen.length > 1 ? lines.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)) : lines
    },
    kick(node) {
      for (const r of runners) {
        if (node !== undefined && r.node !== node) continue
        r.failures = 0
        r.wake?.()
      }
    },
    status: () => runners.map((r) => ({ ...r.status })),
  }
}

/**
 * The swap engine's hook: every new line of `nodes` (default all) goes to `tracker`, stamped with
 * the container's own time, until the returned function is called.
 */
export function feedProgress(
  tail: Pick<LogTail, 'subscribe'>,
  tracker: Pick<ProgressTracker, 'push'>,
  nodes?: readonly string[],
): () => void {
  return tail.subscribe((e) => {
    if (!nodes || nodes.includes(e.node)) tracker.push(e.node, e.line, Date.parse(e.at))
  })
}
