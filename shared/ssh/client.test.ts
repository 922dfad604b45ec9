import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { type FakeSshd, generateKeys, startFakeSshd } from '../../tests/ssh/fake-sshd.ts'
import { createLogger } from '../logger.ts'
import { SshError } from './errors.ts'
import { formatKnownHostLine } from './known-hosts.ts'
import { SshPool, type SshPoolOptions } from './pool.ts'

const clientKey = generateKeys()
let dir: string
let keyPath: string
let sshd: FakeSshd
const logLines: string[] = []
const logStream = new PassThrough()
logStream.on('data', (d: Buffer) => logLines.push(d.toString()))
const logger = createLogger({ service: 'ssh-test', level: 'debug', destination: logStream })
const pools: SshPool[] = []

function pool(overrides: Partial<SshPoolOptions> = {}, port = sshd.port) {
  const p = new SshPool({
    targets: [{ name: 'spark-1', host: '127.0.0.1', port, user: 'tester' }],
    keyPath,
    logger,
    backoffBaseMs: 50,
    backoffMaxMs: 200,
    connectTimeoutMs: 3000,
    ...overrides,
  })
  pools.push(p)
  return p.get('spark-1')!
}

async function rejection(promise: Promise<unknown>): Promise<SshError> {
  const err = await promise.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(SshError)
  return err as SshError
}

const until = (cond: () => boolean, ms = 3000) =>
  vi.waitFor(
    () => {
      if (!cond()) throw new Error('condition not met in time')
    },
    { timeout: ms, interval: 10 },
  )

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-client-'))
  keyPath = join(dir, 'id_ed25519')
  await writeFile(keyPath, clientKey.private, { mode: 0o600 })
  sshd = await startFakeSshd(clientKey.public)
})
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()))
})
afterAll(async () => {
  await sshd.close()
  await rm(dir, { recursive: true, force: true })
})

describe('SshNodeClient against an in-process ssh2 server', () => {
  it('authenticates with the explicit key, runs argv intact, and reuses one connection', async () => {
    const node = pool()
    expect(node.state().state).toBe('down')
    const before = sshd.connections
    const hostile = ['$(id)', "it's", 'a b', '`x`', ';|&', 'ü中😀', '']
    const res = await node.exec(['echo-args', ...hostile])
    expect(res).toMatchObject({ code: 0, signal: null, stderr: '' })
    expect(res.stdout).toBe(hostile.map((h) => `${h}\n`).join(''))
    expect(sshd.execs.at(-1)).toEqual(['echo-args', ...hostile])
    expect(sshd.deadlines.at(-1)).toBe('31.000s')
    const fail = await node.exec(['fail', '3'])
    expect(fail).toMatchObject({ code: 3, stderr: 'something failed\n' })
    expect((await node.exec(['cat'], { stdin: 'piped input', remoteDeadline: false })).stdout).toBe(
      'piped input',
    )
    expect(sshd.deadlines.at(-1)).toBeNull()
    expect(sshd.connections - before).toBe(1)
    expect(node.state()).toMatchObject({ state: 'connected', lastError: null, failures: 0 })
    await expect(node.exec(['echo-args', 'a\0b'])).rejects.toMatchObject({
      status: 422,
      issues: [{ field: 'argv.1' }],
    })
  })

  it('reports a refused key as auth_failed without retrying in a hot loop', async () => {
    const wrongPath = join(dir, 'wrong_key')
    await writeFile(wrongPath, generateKeys().private, { mode: 0o600 })
    const node = pool({ keyPath: wrongPath, backoffBaseMs: 5000, backoffMaxMs: 5000 })
    const err = await rejection(node.exec(['true'], { timeoutMs: 3000 }))
    expect(err.kind).toBe('auth_failed')
    expect(err.message).toContain(wrongPath)
    expect(node.state()).toMatchObject({ state: 'down', failures: 1 })
    expect(node.state().lastError).toMatch(/^tester@127\.0\.0\.1 refused the key/)
    // Waiting for the next attempt cannot help: the next caller hears the reason at once.
    const started = Date.now()
    const again = await rejection(node.exec(['true'], { timeoutMs: 10_000 }))
    expect(again.kind).toBe('auth_failed')
    expect(Date.now() - started).toBeLessThan(100)
    const missing = await rejection(pool({ keyPath: join(dir, 'absent') }).exec(['true']))
    expect(missing.kind).toBe('key_unreadable')
  })

  it('kills a command whose output exceeds the bound, and the connection stays usable', async () => {
    const node = pool()
    const err = await rejection(node.exec(['flood'], { maxOutputBytes: 100_000 }))
    expect(err.kind).toBe('output_limit')
    expect(err.status).toBe(502)
    await until(() => sshd.signals.includes('KILL'))
    expect((await node.exec(['true'])).code).toBe(0)
  })

  it('kills a command that exceeds its timeout', async () => {
    const node = pool()
    await node.exec(['true'])
    const killsBefore = sshd.signals.length
    const started = Date.now()
    const err = await rejection(node.exec(['sleep', '5000'], { timeoutMs: 200 }))
    expect(err.kind).toBe('timeout')
    expect(err.status).toBe(504)
    expect(Date.now() - started).toBeLessThan(1500)
    await until(() => sshd.signals.length > killsBefore)
    const aborted = new AbortController()
    const execs = sshd.execs.length
    const pending = node.exec(['sleep', '5000'], { signal: aborted.signal })
    // Abort once the command runs on the server.
    await until(() => sshd.execs.length > execs)
    aborted.abort()
    expect((await rejection(pending)).kind).toBe('aborted')
  })

  it('reconnects after the server drops the connection', async () => {
    const node = pool()
    await node.exec(['true'])
    const before = sshd.connections
    sshd.dropAll()
    await until(() => node.state().state !== 'connected')
    await until(() => node.state().state === 'connected')
    expect(sshd.connections - before).toBe(1)
    expect((await node.exec(['echo-args', 'back'])).stdout).toBe('back\n')
    const lost = await rejection(node.exec(['drop']))
    expect(lost.kind).toBe('connection_lost')
    expect((await node.exec(['true'], { timeoutMs: 3000 })).code).toBe(0)
  })

  it('backs off with bounded delays against a dead port, and fails fast when the retry is beyond the budget', async () => {
    const port = await freePort()
    const node = pool({ backoffBaseMs: 20, backoffMaxMs: 120, stableAfterMs: 0 }, port)
    const first = await rejection(node.exec(['true'], { timeoutMs: 2000 }))
    expect(first.kind).toBe('connect_failed')
    // Every planned retry, sampled until the sixth failure: none further off than the cap.
    const seen: number[] = []
    await vi.waitFor(
      () => {
        const s = node.state()
        if (s.nextAttemptAt) seen.push(Date.parse(s.nextAttemptAt) - Date.now())
        expect(s.failures).toBeGreaterThan(5)
      },
      { timeout: 5000, interval: 15 },
    )
    expect(seen.length).toBeGreaterThan(0)
    expect(Math.max(...seen)).toBeLessThanOrEqual(120)
    const slow = pool({ backoffBaseMs: 60_000, backoffMaxMs: 60_000 }, port)
    await rejection(slow.exec(['true'], { timeoutMs: 2000 }))
    const started = Date.now()
    const fast = await rejection(slow.exec(['true'], { timeoutMs: 5000 }))
    expect(Date.now() - started).toBeLessThan(100)
    expect(fast.kind).toBe('unavailable')
    expect(fast.retryAfterS).toBeGreaterThan(20)
  })

  it('bounds concurrent channels and refuses callers beyond the queue', async () => {
    const node = pool({ maxChannels: 2, maxQueued: 1 })
    const running = [node.exec(['sleep', '300']), node.exec(['sleep', '300']), node.exec(['sleep', '300'])]
    const busy = await rejection(node.exec(['true']))
    expect(busy.kind).toBe('busy')
    expect(busy.status).toBe(503)
    const results = await Promise.all(running)
    expect(results.map((r) => r.code)).toEqual([0, 0, 0])
  })

  it('streams lines from both outputs, cuts long lines, and stops on abort', async () => {
    const node = pool()
    const lines: Array<[string, string, boolean]> = []
    const stop = new AbortController()
    const done = node.stream(['lines'], {
      signal: stop.signal,
      maxLineBytes: 50,
      onLine: (line, stream, truncated) => {
        lines.push([line, stream, truncated])
        if (lines.length === 5) stop.abort()
      },
    })
    const result = await done
    expect(result.aborted).toBe(true)
    expect(lines).toContainEqual(['first', 'stdout', false])
    expect(lines).toContainEqual(['second', 'stdout', false])
    expect(lines).toContainEqual(['x'.repeat(50), 'stdout', true])
    expect(lines).toContainEqual(['partial line', 'stdout', false])
    expect(lines).toContainEqual(['to stderr', 'stderr', false])
    await until(() => sshd.closedEarly > 0)
  })

  it('pins host keys: records on first use, refuses a changed key, and honours strict mode', async () => {
    const knownHosts = join(dir, 'known_hosts')
    await writeFile(knownHosts, '# comment\n')
    await pool({ knownHostsPath: knownHosts }).exec(['true'])
    const recorded = await readFile(knownHosts, 'utf8')
    expect(recorded).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519 `)
    expect((await pool({ knownHostsPath: knownHosts, strictHostKeys: true }).exec(['true'])).code).toBe(0)

    const other = generateKeys()
    const changed = join(dir, 'known_hosts_changed')
    const line = formatKnownHostLine(
      '127.0.0.1',
      sshd.port,
      Buffer.from(other.public.split(' ')[1]!, 'base64'),
    )
    await writeFile(changed, `${line}\n`)
    const mismatch = await rejection(pool({ knownHostsPath: changed }).exec(['true']))
    expect(mismatch.kind).toBe('host_key_mismatch')
    expect(sshd.execs.length).toBeGreaterThan(0)

    const strict = await rejection(
      pool({ knownHostsPath: join(dir, 'empty_known_hosts'), strictHostKeys: true }).exec(['true']),
    )
    expect(strict.kind).toBe('host_key_unknown')
    expect(strict.message).toMatch(/SHA256:/)
  })

  it('refuses work after close and never logs arguments or output', async () => {
    const node = pool()
    await node.exec(['echo-args', 'SECRET-ARG-123'], { stdin: 'SECRET-STDIN' })
    await pools.at(-1)!.close()
    expect((await rejection(node.exec(['true']))).kind).toBe('closed')
    const log = logLines.join('')
    expect(log).toContain('"cmd":"echo-args"')
    expect(log).not.toContain('SECRET-ARG-123')
    expect(log).not.toContain('SECRET-STDIN')
    expect(log).not.toContain(clientKey.private.split('\n')[1]!)
  })
})

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as { port: number }
  await new Promise((resolve) => srv.close(resolve))
  return port
}
