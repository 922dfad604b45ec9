/**
 * `startSimNodes`: one real SSH server (ssh2) per simulated Spark, public-key auth only, `exec`
 * channels run through the simulator's shell. The handle exposes the fault switches and the state
 * tests assert on. This is a test tool: everything it serves is labelled as the simulated cluster.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net'
import type { Logger } from 'pino'
import ssh2 from 'ssh2'
import { generateEd25519KeyPair } from '../../../shared/ssh/keygen.ts'
import type { VllmFailure } from '../vllm/index.ts'
import { type PortMap, type RecipeMeta, SimCluster } from './cluster.ts'
import { resolveCommand } from './commands.ts'
import { setImagePresent } from './docker-images.ts'
import { onSimHub } from './hf-hub.ts'
import { nodeHandle, type SimNodeHandle } from './node-handle.ts'
import { SimNode, type SimNodeSpec } from './node-state.ts'
import { Pipe, runCommandLine, type Session } from './shell-exec.ts'

const { Server, utils } = ssh2

export interface SimNodesOptions {
  nodes: SimNodeSpec[]
  /** OpenSSH public key lines allowed to log in (any user name). */
  authorizedKeys: string[]
  /** Host private key (PEM/OpenSSH); an ed25519 key is generated when absent. */
  hostKey?: string
  vllmDir: string
  recipes: Record<string, RecipeMeta>
  defaultLoadTimeMs?: number
  logger?: Logger
  /** Where a vLLM asked to listen on `nominalPort` really binds (default: the same port). Tests pass `() => 0`. */
  portMap?: PortMap
  /** Docker's stop grace, scaled (default 250 ms instead of 10 s). */
  stopGraceMs?: number
  /** Delay before a `--rm` container disappears after stopping (default 150 ms). */
  removeDelayMs?: number
  tokensPerSecond?: number
  statsIntervalMs?: number
  /** Repos every node's HF cache holds at start (default: every recipe's model). */
  hfCacheModels?: string[]
  /** How long a simulated `hf download` takes (default 2 s). */
  downloadTimeMs?: number
  /** Docker images every node holds at start (default: `vllm-node` and every recipe's `container`). */
  images?: string[]
}

export interface SimNodesHandle {
  readonly nodes: SimNodeHandle[]
  node(name: string): SimNodeHandle
  setLoadTimeMs(ms: number): void
  setDownloadTimeMs(ms: number): void
  setNextFailure(kind: VllmFailure, atFraction?: number): void
  /** The serving vLLM emulator's real URL, or null. */
  vllmUrl(): string | null
  /** The host key as an OpenSSH public key line, for known_hosts pinning. */
  readonly hostPublicKey: string
  close(): Promise<void>
}

type ParsedKey = ssh2.ParsedKey

function parseAuthorized(lines: string[]): ParsedKey[] {
  const keys: ParsedKey[] = []
  for (const line of lines) {
    const parsed = utils.parseKey(line.trim())
    if (parsed instanceof Error) throw new Error(`authorizedKeys: cannot parse key: ${parsed.message}`)
    keys.push(...(Array.isArray(parsed) ? parsed : [parsed]))
  }
  return keys
}

function listen(server: NetServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const addr = server.address()
      resolve(typeof addr === 'object' && addr ? addr.port : port)
    })
  })
}

export async function startSimNodes(opts: SimNodesOptions): Promise<SimNodesHandle> {
  const hostKey = opts.hostKey ?? generateEd25519KeyPair('spark-sim-host').private
  const parsedHost = utils.parseKey(hostKey)
  if (parsedHost instanceof Error) throw new Error(`hostKey: ${parsedHost.message}`)
  const hostParsed = Array.isArray(parsedHost) ? (parsedHost[0] as ParsedKey) : parsedHost
  const allowed = parseAuthorized(opts.authorizedKeys)
  const nodes = opts.nodes.map((spec) => new SimNode(spec))
  const cluster = new SimCluster(nodes, {
    vllmDir: opts.vllmDir.replace(/\/+$/, ''),
    recipes: opts.recipes,
    loadTimeMs: opts.defaultLoadTimeMs ?? 8000,
    portMap: opts.portMap ?? ((p) => p),
    stopGraceMs: opts.stopGraceMs ?? 250,
    removeDelayMs: opts.removeDelayMs ?? 150,
    tokensPerSecond: opts.tokensPerSecond,
    statsIntervalMs: opts.statsIntervalMs,
    downloadTimeMs: opts.downloadTimeMs ?? 2000,
    logger: opts.logger,
  })
  for (const repo of opts.hfCacheModels ?? Object.values(opts.recipes).map((r) => r.model)) {
    const model = onSimHub(repo, opts.recipes)
    if (model) for (const n of nodes) n.hfCache.set(repo, model)
  }
  const images = opts.images ?? [
    'vllm-node',
    ...Object.values(opts.recipes).map((r) => r.container ?? 'vllm-node'),
  ]
  for (const n of nodes) for (const image of images) setImagePresent(n, image, true)
  const log = opts.logger
  const servers: NetServer[] = []

  const serveNode = async (node: SimNode) => {
    const ssh = new Server({ hostKeys: [hostKey], ident: 'OpenSSH_9.6p1 Ubuntu-3ubuntu13.5' }, (client) => {
      let user = 'user'
      const execs = new Set<AbortController>()
      client.on('authentication', (ctx) => {
        if (ctx.method !== 'publickey') return ctx.reject(['publickey'])
        const key = allowed.find((k) => k.getPublicSSH().equals(ctx.key.data))
        if (!key) return ctx.reject(['publickey'])
        // Without a signature the client only asks whether the key would do.
        if (!ctx.signature) return ctx.accept()
        if (key.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) !== true)
          return ctx.reject(['publickey'])
        user = /^[a-z_][a-z0-9_-]*$/i.test(ctx.username) ? ctx.username : 'user'
        ctx.accept()
      })
      client.on('ready', () => {
        client.on('session', (accept) => {
          const session = accept()
          session.on('env', (acc) => acc?.())
          session.on('pty', (acc) => acc?.())
          session.on('shell', (_acc, reject) => reject?.())
          session.on('subsystem', (_acc, reject) => reject?.())
          session.on('exec', (acc, _reject, info) => {
            const stream = acc()
            const abort = new AbortController()
            execs.add(abort)
            let open = true
            stream.on('close', () => {
              open = false
              abort.abort()
            })
            const stdin = new Pipe()
            stream.on('data', (d: Buffer) => stdin.write(d.toString('utf8')))
            stream.on('end', () => stdin.close())
            abort.signal.addEventListener('abort', () => stdin.close(), { once: true })
            const home = `/home/${user}`
            const sess: Session = {
              node,
              cluster,
              user,
              home,
              cwd: home,
              env: {
                HOME: home,
                USER: user,
                LOGNAME: user,
                SHELL: '/bin/bash',
                PATH: '/usr/local/bin:/usr/bin:/bin',
                LANG: 'C.UTF-8',
              },
            }
            const io = {
              stdout: (s: string) => void (open && stream.write(s)),
              stderr: (s: string) => void (open && stream.stderr.write(s)),
              stdin,
            }
            runCommandLine(info.command, sess, io, abort.signal, resolveCommand)
              .catch((err: unknown) => {
                io.stderr(`bash: ${err instanceof Error ? err.message : String(err)}\n`)
                return 1
              })
              .then((code) => {
                execs.delete(abort)
                if (!open) return
                stream.exit(code)
                stream.end()
              })
          })
        })
      })
      const gone = () => {
        for (const a of execs) a.abort()
        execs.clear()
      }
      client.on('close', gone)
      client.on('error', (err) => log?.debug({ node: node.name, err: err.message }, 'sim: ssh client error'))
    })
    // We own the TCP listener so faults act on raw sockets: refuse new ones, cut live ones.
    const tcp = createServer((socket: Socket) => {
      if (node.unreachable) return void socket.destroy()
      // Small request/response packets: Nagle plus delayed ACKs would add ~40 ms per exec.
      socket.setNoDelay(true)
      const entry = { drop: () => socket.destroy() }
      node.sessions.add(entry)
      socket.on('close', () => node.sessions.delete(entry))
      socket.on('error', () => undefined)
      ssh.injectSocket(socket)
    })
    servers.push(tcp)
    node.sshPort = await listen(tcp, node.host, node.spec.sshPort)
    log?.info({ node: node.name, host: node.host, port: node.sshPort }, 'sim: ssh node listening')
  }
  await Promise.all(nodes.map(serveNode))

  const handles = nodes.map((n) => nodeHandle(n, opts.vllmDir))

  return {
    nodes: handles,
    node: (name) => {
      const h = handles.find((x) => x.name === name)
      if (!h) throw new Error(`no simulated node named ${name}`)
      return h
    },
    setLoadTimeMs: (ms) => {
      cluster.settings.loadTimeMs = ms
    },
    setDownloadTimeMs: (ms) => {
      cluster.settings.downloadTimeMs = ms
    },
    setNextFailure: (kind, at) => {
      cluster.nextFailure = { kind, at }
    },
    vllmUrl: () => cluster.vllmUrl(),
    hostPublicKey: `${hostParsed.type} ${hostParsed.getPublicSSH().toString('base64')}`,
    close: async () => {
      for (const n of nodes) n.dropConnections()
      await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))))
      await cluster.close()
    },
  }
}
