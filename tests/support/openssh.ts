/**
 * Real OpenSSH servers (Debian's sshd) on loopback ports, one per simulated node, each with its own
 * host key, config and environment. This is what the Sparks run, so it is where quoting, kills, host
 * key pinning and the login shell's PATH are proven. A node can be cut off — its listener and every
 * live connection killed, as a pulled cable looks from the controller — and brought back on the
 * same port with the same host key.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { vi } from 'vitest'
import { comeAndGoPort } from '../../tools/stack/ports.ts'

export const SSHD = '/usr/sbin/sshd'
export const SETUP_HINT = 'run: sudo bash scripts/setup-system.sh'

export function run(argv: string[]): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' })
  if (r.error) throw new Error(`${argv[0]} could not start (${r.error.message}); ${SETUP_HINT}`)
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}

export const keygen = (file: string) =>
  run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', 'spark-control-test', '-f', file])

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

/** Every descendant of `pid` (children first found, deepest last), read from /proc. */
function descendants(pid: number): number[] {
  const found: number[] = []
  const visit = (p: number) => {
    let kids: number[] = []
    try {
      for (const task of readdirSync(`/proc/${p}/task`)) {
        const text = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim()
        if (text) kids = kids.concat(text.split(/\s+/).map(Number))
      }
    } catch {
      // The process ended while we looked.
    }
    for (const k of kids) {
      found.push(k)
      visit(k)
    }
  }
  visit(pid)
  return found
}

const killQuietly = (pid: number) => {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

export interface SshdNodeOptions {
  name: string
  /** Variables every session of this node gets (sshd's `SetEnv`; PATH included). */
  env?: Record<string, string>
}

export class SshdNode {
  readonly name: string
  readonly dir: string
  readonly port: number
  hostKey: string
  private readonly env: Record<string, string>
  private readonly authorizedKeys: string
  private child: ChildProcess | undefined
  private output = ''

  constructor(options: SshdNodeOptions & { dir: string; port: number; authorizedKeys: string }) {
    this.name = options.name
    this.dir = options.dir
    this.port = options.port
    this.hostKey = join(options.dir, 'host_ed25519')
    this.env = options.env ?? {}
    this.authorizedKeys = options.authorizedKeys
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  /** sshd's own log (its last 8 kB), for failure messages. */
  log(): string {
    return this.output
  }

  private async writeConfig(): Promise<string> {
    const config = join(this.dir, 'sshd_config')
    // One SetEnv line: sshd keeps only the first of a repeated keyword. Quoting keeps each value one word.
    const pairs = Object.entries(this.env).map(([k, v]) => `${k}="${v.replaceAll('"', '')}"`)
    const setEnv = pairs.length > 0 ? [`SetEnv ${pairs.join(' ')}`] : []
    await writeFile(
      config,
      [
        'ListenAddress 127.0.0.1',
        `Port ${this.port}`,
        `HostKey ${this.hostKey}`,
        `AuthorizedKeysFile ${this.authorizedKeys}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        `PidFile ${join(this.dir, 'sshd.pid')}`,
        'AllowTcpForwarding no',
        'X11Forwarding no',
        'PrintMotd no',
        'LogLevel VERBOSE',
        ...setEnv,
        '',
      ].join('\n'),
    )
    return config
  }

  /** Starts the listener (optionally with another host key) and resolves once it accepts TCP. */
  async start(hostKey = this.hostKey): Promise<void> {
    if (this.running) throw new Error(`sshd for ${this.name} is already running`)
    this.hostKey = hostKey
    const config = await this.writeConfig()
    this.output = ''
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] })
    child.stderr!.on('data', (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-8000)
    })
    this.child = child
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) =>
        reject(new Error(`sshd for ${this.name} exited (${code}):\n${this.output}`)),
      ),
    )
    exited.catch(() => undefined)
    const listening = vi.waitFor(
      async () => {
        if (!(await portOpen(this.port)))
          throw new Error(`sshd for ${this.name} did not listen on ${this.port}:\n${this.output}`)
      },
      { timeout: 10_000, interval: 50 },
    )
    await Promise.race([listening, exited])
  }

  /**
   * Stops the listener after its sessions ended by themselves (closed clients): sshd's session
   * processes outlive a killed listener, so this waits for them first (up to 3 s).
   */
  async stop(): Promise<void> {
    const child = this.child
    this.child = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    await vi
      .waitFor(
        () => {
          if (descendants(child.pid!).length > 0) throw new Error('sessions still open')
        },
        { timeout: 3000, interval: 50 },
      )
      .catch(() => undefined)
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }

  /**
   * Makes the node unreachable at once: the listener and every live connection (each connection's
   * sshd processes and the commands they run) are killed, so clients see their connections drop and
   * new ones refused. Processes a command detached from its session (a container's processes) live
   * on, as they would on a Spark whose network went away.
   */
  async cutOff(): Promise<void> {
    const child = this.child
    this.child = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    // Frozen first, so it accepts nothing more, and its sessions are found before a kill reparents them.
    child.kill('SIGSTOP')
    const sessions = descendants(child.pid!)
    child.kill('SIGKILL')
    for (const pid of sessions) killQuietly(pid)
    await exited
    await vi.waitFor(
      () => {
        if (sessions.some((pid) => existsSync(`/proc/${pid}/stat`) && !zombie(pid)))
          throw new Error('sessions still alive')
      },
      { timeout: 5000, interval: 25 },
    )
  }

  /** Brings a cut-off node back on the same port with the same host key. */
  async restore(): Promise<void> {
    await this.start(this.hostKey)
  }
}

function zombie(pid: number): boolean {
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ''))
  } catch {
    return true
  }
}

export interface OpenSshBed {
  dir: string
  /** The client's private key; its public half is authorised on every node. */
  clientKey: string
  nodes: SshdNode[]
  node(name: string): SshdNode
  close(): Promise<void>
}

/** Fails loudly (never skips) when sshd is missing or its privilege separation dir cannot be made. */
async function requireSshd() {
  if (!existsSync(SSHD)) throw new Error(`OpenSSH server not found at ${SSHD} — ${SETUP_HINT}`)
  // sshd refuses to start without its privilege separation directory (normally made by systemd).
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }).catch((err: Error) => {
    throw new Error(`cannot create /run/sshd (${err.message}); ${SETUP_HINT} and run the tests as root`)
  })
}

/**
 * Starts one sshd per node (own host key, config and `SetEnv`), all trusting one client key.
 * Ports come from below the ephemeral range: a cut-off node's port must still be free when it
 * comes back.
 */
export async function startOpenSsh(nodes: SshdNodeOptions[]): Promise<OpenSshBed> {
  await requireSshd()
  const dir = await mkdtemp(join(tmpdir(), 'openssh-bed-'))
  const clientKey = join(dir, 'client_ed25519')
  keygen(clientKey)
  const authorizedKeys = join(dir, 'authorized_keys')
  await copyFile(`${clientKey}.pub`, authorizedKeys)
  const started: SshdNode[] = []
  const bed: OpenSshBed = {
    dir,
    clientKey,
    nodes: started,
    node: (name) => {
      const n = started.find((s) => s.name === name)
      if (!n) throw new Error(`no sshd node ${name}`)
      return n
    },
    async close() {
      await Promise.all(started.map((n) => n.cutOff()))
      await rm(dir, { recursive: true, force: true })
    },
  }
  try {
    for (const options of nodes) {
      const nodeDir = join(dir, options.name)
      await mkdir(join(nodeDir, 'home'), { recursive: true })
      keygen(join(nodeDir, 'host_ed25519'))
      // Sessions get an empty HOME: bash run by sshd sources ~/.bashrc, and this machine's dotfiles
      // (a version manager's rehash taking a lock, say) must neither slow nor break a node.
      const env = { HOME: join(nodeDir, 'home'), ...options.env }
      const node = new SshdNode({
        ...options,
        env,
        dir: nodeDir,
        port: await comeAndGoPort(),
        authorizedKeys,
      })
      started.push(node)
      await node.start()
    }
  } catch (err) {
    await bed.close()
    throw err
  }
  return bed
}
