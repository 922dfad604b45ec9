/**
 * Whether an SSH server answers: connect and read its identification line (RFC 4253 §4.2,
 * `SSH-2.0-OpenSSH_9.6…`), as blackbox_exporter's ssh_banner module does. No key exchange, no login.
 */
import type { Socket } from 'node:net'
import type { HostPort } from '../../domain/targets/address.ts'
import { type Finish, type SocketResult, socketProbe } from './socket.ts'

/** The RFC caps the identification line at 255 characters with its CR LF. */
const MAX_LINE = 255

/** Sent back before closing, so sshd logs a plain closed connection, not a missing identification. */
const OUR_IDENTIFICATION = 'SSH-2.0-SparkControlMonitor\r\n'

/** Printable, short: the banner (or what came instead) goes into a detail an owner reads. */
const shown = (text: string) =>
  text
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 80)
    .trim()

function readBanner(socket: Socket, finish: Finish): void {
  let received = ''
  socket.setEncoding('latin1')
  socket.on('data', (chunk: string) => {
    received += chunk
    const end = received.indexOf('\n')
    if (end < 0 && received.length < MAX_LINE) return
    const line = (end < 0 ? received : received.slice(0, end)).replace(/\r$/, '')
    if (line.startsWith('SSH-'))
      finish({ ok: true, detail: shown(line) }, (s) => s.end(OUR_IDENTIFICATION, () => s.destroy()))
    else
      finish({
        ok: false,
        kind: 'other',
        detail: `answered, but not with an SSH banner (got "${shown(line)}")`,
      })
  })
  socket.once('end', () =>
    finish({ ok: false, kind: 'reset', detail: 'closed the connection before sending an SSH banner' }),
  )
}

export function sshBanner(address: HostPort, timeoutMs: number, signal: AbortSignal): Promise<SocketResult> {
  return socketProbe({
    address,
    timeoutMs,
    signal,
    sessionTimeout: `connected, but no SSH banner within ${timeoutMs} ms`,
    session: readBanner,
  })
}
