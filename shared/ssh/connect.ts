/**
 * One connection attempt: read the key, handshake with host key checking, authenticate. Failures
 * come back as `SshError`s whose message says what to fix (key path, authorized_keys, known_hosts),
 * never anything from the key itself.
 */
import { readFile } from 'node:fs/promises'
import { Client, type ConnectConfig } from 'ssh2'
import { unref } from '../abort.ts'
import { SshError, type SshErrorKind } from './errors.ts'
import type { HostKeyStore, HostKeyVerdict } from './known-hosts.ts'
import type { SshTarget } from './types.ts'

export interface ConnectParams {
  target: SshTarget
  keyPath: string
  hostKeys: HostKeyStore
  connectTimeoutMs: number
  keepaliveIntervalMs: number
  keepaliveCountMax: number
  /** Called once the connection is up, for every later error and for its close. */
  onError: (err: Error) => void
  onClose: () => void
}

type SshAlgorithms = NonNullable<ConnectConfig['algorithms']>

export async function openConnection(p: ConnectParams): Promise<Client> {
  const fail = (kind: SshErrorKind, message: string) => new SshError(kind, p.target.name, message)
  let privateKey: Buffer
  try {
    privateKey = await readFile(p.keyPath)
  } catch (err) {
    throw fail(
      'key_unreadable',
      `cannot read the private key at ${p.keyPath} (${(err as { code?: string }).code ?? 'error'})`,
    )
  }
  const serverHostKey = (await p.hostKeys.preferredAlgorithms(
    p.target.host,
    p.target.port,
  )) as SshAlgorithms['serverHostKey']

  return new Promise<Client>((resolve, reject) => {
    const client = new Client()
    let verdict: HostKeyVerdict | null = null
    let settled = false
    const settle = (err: SshError | null) => {
      if (settled) return
      settled = true
      clearTimeout(guard)
      if (!err) return resolve(client)
      client.destroy()
      reject(err)
    }
    // ssh2's readyTimeout covers the handshake; this also covers a host key check that hangs.
    const guard = setTimeout(
      () => settle(fail('connect_failed', 'connection attempt timed out')),
      p.connectTimeoutMs + 2000,
    )
    unref(guard)

    client.on('ready', () => {
      if (settled) return client.end()
      // Commands are small request/response exchanges: Nagle's delay would add ~40 ms to each.
      client.setNoDelay(true)
      settle(null)
    })
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) p.onError(err)
      else settle(describeFailure(p, err, verdict))
    })
    client.on('close', () => {
      if (settled) p.onClose()
      else settle(describeFailure(p, new Error('connection closed during the handshake'), verdict))
    })

    const config: ConnectConfig = {
      host: p.target.host,
      port: p.target.port,
      username: p.target.user,
      privateKey,
      agent: undefined,
      agentForward: false,
      tryKeyboard: false,
      readyTimeout: p.connectTimeoutMs,
      keepaliveInterval: p.keepaliveIntervalMs,
      keepaliveCountMax: p.keepaliveCountMax,
      algorithms: { serverHostKey },
      // Deliberately not async: ssh2 takes any returned value, a pending Promise too, as "accept".
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        p.hostKeys.verify(p.target.name, p.target.host, p.target.port, key).then(
          (v) => {
            verdict = v
            verify(v.ok)
          },
          () => verify(false),
        )
      },
    }
    try {
      client.connect(config)
    } catch (err) {
      // ssh2 parses the key synchronously; its message names the problem, never the key.
      settle(fail('key_unreadable', `cannot use the private key at ${p.keyPath}: ${(err as Error).message}`))
    }
  })
}

function describeFailure(
  p: ConnectParams,
  err: Error & { level?: string; code?: string },
  verdict: HostKeyVerdict | null,
) {
  const fail = (kind: SshErrorKind, message: string) => new SshError(kind, p.target.name, message)
  if (verdict && !verdict.ok) return fail(verdict.kind, verdict.message)
  const { user, host } = p.target
  if (err.level === 'client-authentication')
    return fail(
      'auth_failed',
      `${user}@${host} refused the key ${p.keyPath}; add its public key to that user's ~/.ssh/authorized_keys`,
    )
  if (err.level === 'client-timeout')
    return fail('connect_failed', `no SSH handshake within ${p.connectTimeoutMs} ms`)
  return fail('connect_failed', err.code ? `${err.code} (${err.message})` : err.message)
}
