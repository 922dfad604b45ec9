/**
 * Drives one ssh2 exec channel to its end: feeds stdin, hands output chunks to the caller, and on
 * abort (timeout, caller gone, output over its bound) sends the KILL signal request and closes the
 * channel instead of waiting for it. OpenSSH (≥ 7.9) kills the session's process group on that
 * request — except for root logins, where it refuses; the remote deadline (defaults.ts) covers that.
 */
import { Buffer } from 'node:buffer'
import type { ClientChannel } from 'ssh2'

export interface ChannelExit {
  code: number | null
  signal: string | null
}

export interface ChannelHandlers {
  /** Return false to stop: the process is killed and the run rejects with `stopReason()`. */
  onData(stream: 'stdout' | 'stderr', chunk: Buffer): boolean
  stopReason(): Error
  /** Aborting kills the process; the run rejects with `abortReason()`. */
  signal: AbortSignal
  abortReason(): Error
  /** Raised when the channel closes with no exit status: the connection went away mid-command. */
  lostReason(): Error
  stdin?: string | Buffer
}

export function runChannel(channel: ClientChannel, h: ChannelHandlers): Promise<ChannelExit> {
  return new Promise((resolve, reject) => {
    let exit: ChannelExit | null = null
    let settled = false

    const finish = (err: Error | null) => {
      if (settled) return
      settled = true
      h.signal.removeEventListener('abort', onAbort)
      if (err) reject(err)
      else resolve(exit!)
    }
    const kill = (err: Error) => {
      if (settled) return
      try {
        sendKill(channel)
      } catch {
        // The channel may already be closing; closing it below is what matters.
      }
      channel.close()
      finish(err)
    }
    const onAbort = () => kill(h.abortReason())

    const feed = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (!settled && !h.onData(stream, chunk)) kill(h.stopReason())
    }
    channel.on('data', feed('stdout'))
    channel.stderr.on('data', feed('stderr'))
    channel.on('exit', (code: number | null, signalName?: string) => {
      exit = { code: typeof code === 'number' ? code : null, signal: signalName ?? null }
    })
    channel.on('close', () => finish(exit ? null : h.lostReason()))
    channel.on('error', () => finish(h.lostReason()))

    if (h.signal.aborted) return onAbort()
    h.signal.addEventListener('abort', onAbort, { once: true })
    // Always send EOF: a command that reads stdin (cat, docker login --password-stdin) must not hang.
    channel.end(h.stdin ?? undefined)
  })
}

interface ChannelInternals {
  outgoing?: { id: number; state: string }
  _client?: { _protocol?: { signal?: (id: number, name: string) => void } }
}

/**
 * ssh2's `channel.signal()` does nothing once stdin got EOF — and we always send EOF — although
 * RFC 4254 §6.9 allows the request until the channel closes. So the request goes to ssh2's
 * protocol object directly (ssh2 is pinned; the public call remains the fallback).
 */
function sendKill(channel: ClientChannel) {
  const c = channel as unknown as ChannelInternals
  const proto = c._client?._protocol
  const open = c.outgoing && (c.outgoing.state === 'open' || c.outgoing.state === 'eof')
  if (open && typeof proto?.signal === 'function') proto.signal(c.outgoing!.id, 'KILL')
  else channel.signal('KILL')
}

/** The next `\n` or `\r` at or after `start`, -1 when there is none. */
function nextBreak(chunk: Buffer, start: number): number {
  const lf = chunk.indexOf(0x0a, start)
  const cr = chunk.indexOf(0x0d, start)
  return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr)
}

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes`: a longer line is
 * delivered cut at the bound (flagged) and the rest of it is dropped, so a runaway log line can
 * not grow memory. Splitting on the byte `\n` is safe for UTF-8.
 */
export function createLineSplitter(
  maxLineBytes: number,
  emit: (line: string, truncated: boolean) => void,
  /** Also end a line at `\r`: progress bars (tqdm, curl) redraw with it and never print `\n` until done. */
  carriageReturnEndsLine = false,
) {
  let parts: Buffer[] = []
  let size = 0
  let skipping = false

  const flush = (truncated: boolean) => {
    let line = Buffer.concat(parts, size).toString('utf8')
    if (line.endsWith('\r')) line = line.slice(0, -1)
    parts = []
    size = 0
    emit(line, truncated)
  }

  return {
    push(chunk: Buffer) {
      let start = 0
      while (start < chunk.length) {
        const nl = carriageReturnEndsLine ? nextBreak(chunk, start) : chunk.indexOf(0x0a, start)
        const end = nl < 0 ? chunk.length : nl
        if (!skipping) {
          const room = maxLineBytes - size
          const piece = chunk.subarray(start, Math.min(end, start + room))
          if (piece.length > 0) parts.push(piece)
          size += piece.length
          if (end - start > room) {
            flush(true)
            skipping = true
          }
        }
        if (nl < 0) break
        if (skipping) skipping = false
        else flush(false)
        start = nl + 1
      }
    },
    end() {
      if (size > 0 && !skipping) flush(false)
      parts = []
      size = 0
    },
  }
}
