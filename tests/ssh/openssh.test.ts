/**
 * The shared SSH client against a real OpenSSH server (Debian's sshd, started here on a loopback
 * port with its own keys and config, tests/support/openssh.ts). This is what the Sparks run, so it is where quoting, kills
 * and host key pinning are proven — the in-process ssh2 server cannot show what a real login
 * shell does with the command string.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir, readdir } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseMeminfo } from '../../services/swap-controller/domain/meminfo.ts'
import { silentLogger } from '../../shared/logger.ts'
import { seededRandom } from '../../shared/random.ts'
import { SshError } from '../../shared/ssh/errors.ts'
import { SshPool, type SshPoolOptions } from '../../shared/ssh/pool.ts'
import { inDirectory } from '../../shared/ssh/quote.ts'
import { keygen, type OpenSshBed, run, type SshdNode, startOpenSsh } from '../support/openssh.ts'
import { randomHostileString } from './shell-words.ts'

let bed: OpenSshBed
let sshd: SshdNode
let dir: string
let port: number
const pools: SshPool[] = []

/** Local processes whose command line contains `text` (sshd runs here, so its sessions do too). */
function processesWith(text: string): string[] {
  const found: string[] = []
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)) found.push(pid)
    } catch {
      // The process ended while we looked.
    }
  }
  return found
}

function pool(overrides: Partial<SshPoolOptions> = {}) {
  const p = new SshPool({
    targets: [{ name: 'spark-test', host: '127.0.0.1', port, user: userInfo().username }],
    keyPath: bed.clientKey,
    logger: silentLogger(),
    backoffBaseMs: 50,
    backoffMaxMs: 500,
    ...overrides,
  })
  pools.push(p)
  return p.get('spark-test')!
}

beforeAll(async () => {
  bed = await startOpenSsh([{ name: 'spark-test' }])
  sshd = bed.node('spark-test')
  dir = bed.dir
  port = sshd.port
  keygen(join(dir, 'host2_ed25519'))
})

afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()))
  await bed?.close()
})

describe('SSH client against a real OpenSSH server', () => {
  it('authenticates with the explicit key and reads /proc/meminfo', async () => {
    const node = pool()
    const res = await node.exec(['cat', '/proc/meminfo'], { timeoutMs: 10_000 })
    expect(res.code).toBe(0)
    const mem = parseMeminfo(res.stdout)
    expect(mem).not.toBeNull()
    expect(mem!.total_bytes).toBeGreaterThan(64 * 1024 * 1024)
    expect(mem!.available_bytes).toBeLessThanOrEqual(mem!.total_bytes)
    expect(node.state().state).toBe('connected')
  })

  it('delivers hostile values byte-for-byte through the login shell and runs nothing injected', async () => {
    const node = pool()
    const canary = join(dir, 'canary')
    await mkdir(canary)
    const hostile = [
      `$(touch ${canary}/a)`,
      `\`touch ${canary}/b\``,
      `; touch ${canary}/c`,
      `&& touch ${canary}/d`,
      `| touch ${canary}/e`,
      `\ntouch ${canary}/f\n`,
      `'; touch ${canary}/g; '`,
      `"$(touch ${canary}/h)"`,
      `\\'$(touch ${canary}/i)`,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${PATH} the remote shell must not expand
      '$HOME ${PATH} $0 $@ *',
      '-n',
      '',
      '  spaced  ',
      'Ünïcødé 中文 😀 \u202e',
      ...Array.from({ length: 200 }, (_, i) => randomHostileString(seededRandom(1000 + i), 40)),
    ]
    const res = await node.exec(['printf', '%s\n', ...hostile], { timeoutMs: 10_000 })
    expect(res).toMatchObject({ code: 0, stderr: '' })
    expect(Buffer.from(res.stdout)).toEqual(Buffer.from(hostile.map((v) => `${v}\n`).join('')))
    const viaDir = await node.exec(
      inDirectory(canary, ['sh', '-c', 'pwd; printf "%s\\n" "$@"', 'sh', ...hostile.slice(0, 14)]),
    )
    expect(viaDir.stdout).toBe(
      `${canary}\n${hostile
        .slice(0, 14)
        .map((v) => `${v}\n`)
        .join('')}`,
    )
    expect(await readdir(canary)).toEqual([])
  })

  it('kills a command that exceeds its timeout', async () => {
    const node = pool()
    const marker = join(dir, 'should-not-exist')
    const started = Date.now()
    // Run as root here, OpenSSH refuses the kill signal request, so this proves the remote backstop.
    const err = await node
      .exec(['sh', '-c', 'sleep 3; touch "$1"', 'sh', marker], { timeoutMs: 300 })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SshError)
    expect((err as SshError).kind).toBe('timeout')
    expect(Date.now() - started).toBeLessThan(1500)
    // The remote `timeout` kills the shell holding the marker (1 s after the budget): once it is gone,
    // the marker must not exist. A shell left alive would touch it at 3 s and then exit.
    await vi.waitFor(() => expect(processesWith(marker)).toEqual([]), { timeout: 10_000, interval: 50 })
    expect(existsSync(marker)).toBe(false)
    expect((await node.exec(['true'])).code).toBe(0)
  })

  it('streams the lines of a long-running command and stops it on abort', async () => {
    const node = pool()
    const lines: string[] = []
    const stop = new AbortController()
    const script =
      'i=0; while [ $i -lt 100 ]; do echo "line $i"; echo "err $i" >&2; i=$((i+1)); sleep 0.05; done'
    const result = await node.stream(['sh', '-c', script], {
      signal: stop.signal,
      onLine: (line, stream) => {
        if (stream === 'stdout') lines.push(line)
        if (lines.length === 3) stop.abort()
      },
    })
    expect(result.aborted).toBe(true)
    expect(lines.slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2'])
    expect(result.durationMs).toBeLessThan(3000)
  })

  it('a cut-off node drops its live connection and refuses new ones; restored, it answers again', async () => {
    const node = pool()
    expect((await node.exec(['true'])).code).toBe(0)
    const stop = new AbortController()
    const lines: string[] = []
    // The stream must end by itself (rejected, or resolved without an exit code), not by our abort.
    const streaming = node
      .stream(['sh', '-c', 'while :; do echo tick; sleep 0.05; done'], {
        signal: stop.signal,
        onLine: (line) => lines.push(line),
      })
      .catch((e: unknown) => e)
    await vi.waitFor(() => expect(lines.length).toBeGreaterThan(0), { timeout: 5000, interval: 25 })
    await sshd.cutOff()
    const ended = await streaming
    expect(ended).toBeInstanceOf(SshError)
    expect((ended as SshError).kind).toBe('connection_lost')
    const err = await node.exec(['true'], { timeoutMs: 2000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SshError)
    await sshd.restore()
    await vi.waitFor(async () => expect((await node.exec(['true'], { timeoutMs: 2000 })).code).toBe(0), {
      timeout: 10_000,
      interval: 100,
    })
    stop.abort()
  })

  it('records the host key on first use in OpenSSH format, and refuses the server once its key changes', async () => {
    const knownHosts = join(dir, 'known_hosts')
    const first = pool({ knownHostsPath: knownHosts })
    expect((await first.exec(['true'])).code).toBe(0)
    // OpenSSH itself finds the line we wrote.
    expect(run(['ssh-keygen', '-F', `[127.0.0.1]:${port}`, '-f', knownHosts])).toContain('ssh-ed25519')
    // sshd's running sessions outlive its listener, so every open connection is ended here.
    await Promise.all(pools.splice(0).map((p) => p.close()))

    await sshd.stop()
    await sshd.start(join(dir, 'host2_ed25519'))
    const node = pool({ knownHostsPath: knownHosts })
    const err = await node.exec(['true'], { timeoutMs: 5000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SshError)
    expect((err as SshError).kind).toBe('host_key_mismatch')
    expect(node.state()).toMatchObject({ state: 'down' })
    expect(node.state().lastError).toMatch(/host key changed/)
    // The changed key was refused, not recorded next to the old one.
    expect(
      run(['ssh-keygen', '-F', `[127.0.0.1]:${port}`, '-f', knownHosts]).match(/ssh-ed25519/g),
    ).toHaveLength(1)
  })
})
