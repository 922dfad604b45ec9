/**
 * One short TCP session, the base of the TCP and SSH probes: connect, optionally talk, settle with a
 * result. It settles within `timeoutMs` whatever the peer does (a SYN nobody answers, a server that
 * accepts and never speaks) and never leaves the socket open.
 */
import { connect, type Socket } from 'node:net'
import type { HostPort } from '../../domain/targets/address.ts'
import { CANCELLED, type Failure, socketFailure } from './failure.ts'

export type SocketResult = { ok: true; detail: string } | ({ ok: false } & Failure)

/** Settles the probe; `close` replaces the default `destroy()` when the session ends the socket itself. */
export type Finish = (result: SocketResult, close?: (socket: Socket) => void) => void

export interface SocketProbeOptions {
  address: HostPort
  timeoutMs: number
  signal: AbortSignal
  /** What to say when time runs out after the connection was made (the session's wait). */
  sessionTimeout?: string
  /** Runs once connected; without it, connecting is the whole check. */
  session?: (socket: Socket, finish: Finish) => void
}

export function socketProbe(options: SocketProbeOptions): Promise<SocketResult> {
  const { address, timeoutMs, signal, session } = options
  if (signal.aborted) return Promise.resolve({ ok: false, ...CANCELLED })
  return new Promise((resolve) => {
    let connected = false
    let settled = false
    const socket = connect({ host: address.host, port: address.port })
    const finish: Finish = (result, close = (s) => s.destroy()) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      close(socket)
      resolve(result)
    }
    const timer = setTimeout(() => {
      const detail = connected
        ? (options.sessionTimeout ?? `no answer within ${timeoutMs} ms`)
        : `no connection within ${timeoutMs} ms`
      finish({ ok: false, kind: 'timeout', detail })
    }, timeoutMs)
    const onAbort = () => finish({ ok: false, ...CANCELLED })
    signal.addEventListener('abort', onAbort, { once: true })
    // After settling, a late error (the peer resetting as we close) must not go unhandled.
    socket.on('error', (err) => finish({ ok: false, ...socketFailure(err) }))
    socket.once('connect', () => {
      connected = true
      if (session) session(socket, finish)
      else finish({ ok: true, detail: 'connected' })
    })
  })
}
