/**
 * An in-process SSH server (ssh2 `Server`) for tests of the SSH client: public key auth against one
 * allowed key, and a handful of fake commands. The command string is parsed with the independent
 * POSIX word splitter, so every test also checks that what the client quoted arrives as argv.
 */
import { timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { type Connection, Server, type ServerChannel, utils } from 'ssh2'
import { generateEd25519KeyPair } from '../../shared/ssh/keygen.ts'
import { splitShellWords } from './shell-words.ts'

export interface FakeSshd {
  port: number
  hostKey: { private: string; public: string }
  /** argv of every exec the server ran, in order. */
  execs: string[][]
  /** The command strings exactly as they arrived, in order. */
  commands: string[]
  /** The remote deadline (`timeout` duration) of each exec, null for unwrapped commands. */
  deadlines: Array<string | null>
  /** Signal names the client sent (it kills timed-out commands). */
  signals: string[]
  /** Channels whose client closed them before the command ended. */
  closedEarly: number
  connections: number
  /** Ends every open connection, as a crashed or restarted sshd would. */
  dropAll(): void
  close(): Promise<void>
}

export function generateKeys() {
  return generateEd25519KeyPair()
}

export async function startFakeSshd(allowedPublicKey: string): Promise<FakeSshd> {
  const hostKey = generateKeys()
  const allowed = utils.parseKey(allowedPublicKey)
  if (allowed instanceof Error) throw allowed
  const open = new Set<Connection>()
  const state = {
    execs: [] as string[][],
    commands: [] as string[],
    deadlines: [] as Array<string | null>,
    signals: [] as string[],
    closedEarly: 0,
    connections: 0,
  }

  // ssh2's server drops `signal` requests once a command runs; its protocol debug log still shows them.
  const debug = (msg: string) => {
    const m = /Inbound: CHANNEL_REQUEST \(r:\d+, signal: (\w+)\)/.exec(msg)
    if (m) state.signals.push(m[1]!)
  }
  const server = new Server({ hostKeys: [hostKey.private], debug }, (conn) => {
    state.connections++
    open.add(conn)
    conn.on('close', () => open.delete(conn))
    conn.on('error', () => {})
    conn.on('authentication', (ctx) => {
      const blob = allowed.getPublicSSH()
      const same =
        ctx.method === 'publickey' &&
        ctx.key.data.length === blob.length &&
        timingSafeEqual(ctx.key.data, blob)
      if (!same || ctx.method !== 'publickey') return ctx.reject(['publickey'])
      if (!ctx.signature) return ctx.accept()
      return allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject()
    })
    conn.on('ready', () => {
      conn.on('session', (acceptSession) => {
        const session = acceptSession()
        session.on('exec', (accept, _reject, info) => {
          const words = splitShellWords(info.command)
          // The client wraps exec commands in `timeout -s KILL <s>s`; the fake runs what is inside.
          const argv = words[0] === 'timeout' && words[1] === '-s' ? words.slice(4) : words
          state.deadlines.push(words[0] === 'timeout' ? words[3]! : null)
          state.execs.push(argv)
          state.commands.push(info.command)
          runFake(accept(), argv, conn, state)
        })
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    port,
    hostKey,
    get execs() {
      return state.execs
    },
    get commands() {
      return state.commands
    },
    get deadlines() {
      return state.deadlines
    },
    get signals() {
      return state.signals
    },
    get closedEarly() {
      return state.closedEarly
    },
    get connections() {
      return state.connections
    },
    dropAll() {
      for (const c of open) c.end()
    },
    close() {
      for (const c of open) c.end()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

function runFake(ch: ServerChannel, argv: string[], conn: Connection, state: { closedEarly: number }) {
  let done = false
  const finish = (code: number) => {
    if (done) return
    done = true
    ch.exit(code)
    ch.end()
  }
  ch.on('close', () => {
    if (!done) state.closedEarly++
    done = true
  })
  const [cmd, ...args] = argv
  // Consume stdin (so the server channel can finish closing) unless the command reads it itself.
  if (cmd !== 'cat') ch.resume()
  switch (cmd) {
    case 'true':
      return finish(0)
    case 'echo-args':
      ch.write(args.map((a) => `${a}\n`).join(''))
      return finish(0)
    case 'fail':
      ch.stderr.write('something failed\n')
      return finish(Number(args[0] ?? 1))
    case 'cat': {
      const parts: Buffer[] = []
      ch.on('data', (d: Buffer) => parts.push(d))
      ch.on('end', () => {
        ch.write(Buffer.concat(parts))
        finish(0)
      })
      return
    }
    case 'sleep':
      setTimeout(() => finish(0), Number(args[0] ?? 1000))
      return
    case 'flood': {
      // Writes until told to stop or the channel closes; the client must cut it off.
      const chunk = Buffer.alloc(16 * 1024, 0x61)
      const pump = () => {
        let more = true
        while (!done && more) more = ch.write(chunk)
        if (!done) ch.once('drain', pump)
      }
      return pump()
    }
    case 'lines':
      ch.write(`first\nsecond\r\n${'x'.repeat(100)}\npartial`)
      ch.stderr.write('to stderr\n')
      ch.write(' line\n')
      return // stays open like `docker logs -f`
    case 'drop':
      conn.end()
      return
    default:
      ch.stderr.write(`${cmd}: not found\n`)
      return finish(127)
  }
}
