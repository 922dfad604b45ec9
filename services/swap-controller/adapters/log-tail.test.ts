/**
 * The log tail over real SSH against the simulated Sparks: a container that appears after the
 * tail started, a connection that drops (and a node that stays away for a while), a container
 * that stops and is replaced — no line lost, none delivered twice.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { createLineSplitter } from '../../../shared/ssh/channel.ts'
import { generateEd25519KeyPair } from '../../../shared/ssh/keygen.ts'
import { createSshPool, type SshPool } from '../../../shared/ssh/pool.ts'
import type { SshConnectionState, SshNode, StreamOptions, StreamResult } from '../../../shared/ssh/types.ts'
import { type SimNodesHandle, startSimNodes } from '../../../tools/spark-sim/cluster/index.ts'
import { SIM_RECIPES } from '../../../tools/spark-sim/recipes.ts'
import { ProgressTracker } from '../domain/progress/tracker.ts'
import {
  createLogTail,
  feedProgress,
  type LogLineEvent,
  type LogTail,
  parseDockerTimestamp,
} from './log-tail.ts'

const VLLM_DIR = '/home/sim/spark-vllm-docker'
let dir: string
let sim: SimNodesHandle
let pool: SshPool
let tail: LogTail
const seen: LogLineEvent[] = []

const eventually = <T>(read: () => T, ok: (v: T) => boolean, timeoutMs = 8000): Promise<T> =>
  vi.waitFor(
    () => {
      const v = read()
      if (!ok(v)) throw new Error(`condition not met: ${JSON.stringify(v).slice(0, 300)}`)
      return v
    },
    { timeout: timeoutMs, interval: 25 },
  )

const launch = async () => {
  const argv = [`${VLLM_DIR}/run-recipe.sh`, 'qwen3-coder-30b', '--solo', '-d', '--port', '8888']
  const res = await pool.get('spark-1')!.exec(argv, { timeoutMs: 10_000 })
  expect(res.code, res.stderr).toBe(0)
}
const lines = (node = 'spark-1') => seen.filter((e) => e.node === node).map((e) => e.line)
const hitModels = async () => void (await fetch(`${sim.vllmUrl()}/v1/models`)).body?.cancel()

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-tail-'))
  const key = generateEd25519KeyPair()
  await writeFile(join(dir, 'id'), key.private, { mode: 0o600 })
  sim = await startSimNodes({
    nodes: [
      { name: 'spark-1', host: '127.0.0.1', sshPort: 0, role: 'head' },
      { name: 'spark-2', host: '127.0.0.1', sshPort: 0, role: 'worker' },
    ],
    authorizedKeys: [key.public],
    vllmDir: VLLM_DIR,
    recipes: SIM_RECIPES,
    defaultLoadTimeMs: 600,
    portMap: () => 0,
    stopGraceMs: 20,
  })
  const targets = sim.nodes.map((n) => ({ name: n.name, host: n.host, port: n.sshPort, user: 'sim' }))
  pool = createSshPool({
    targets,
    keyPath: join(dir, 'id'),
    logger: silentLogger(),
    backoffBaseMs: 50,
    backoffMaxMs: 200,
  })
  tail = createLogTail({
    nodes: ['spark-1', 'spark-2'],
    ssh: pool,
    container: 'vllm_node',
    replayLines: 50,
    backoffBaseMs: 30,
    backoffMaxMs: 150,
  })
  tail.subscribe((e) => seen.push(e))
  tail.start()
})

afterAll(async () => {
  await tail?.stop()
  await pool?.close()
  await sim?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('log tail on the simulated cluster', () => {
  it('waits for a container that does not exist yet, then follows it from its first line', async () => {
    await eventually(
      () => tail.status()[0]!,
      (s) => s.state === 'waiting' && /no vllm_node container/.test(s.last_error ?? ''),
    )
    await launch()
    await eventually(lines, (l) => l.some((x) => x.includes('Application startup complete.')))
    expect(lines()[0]).toContain('vLLM API server version')
    expect(lines()).toEqual(
      sim
        .node('spark-1')
        .logs()
        .filter((l) => l.trim() !== ''),
    )
    expect(tail.status()[0]).toMatchObject({ node: 'spark-1', state: 'following', last_error: null })
    expect(tail.status()[1]!.state).toBe('waiting')
    // Each tqdm redraw is its own line, with the container's own timestamp.
    expect(
      lines().filter((l) => l.startsWith('Loading safetensors checkpoint shards')).length,
    ).toBeGreaterThan(2)
    expect(Math.abs(Date.now() - Date.parse(seen[seen.length - 1]!.at))).toBeLessThan(5000)
  })

  it('keeps the newest lines for replay, per node and merged', () => {
    const replay = tail.replay({ node: 'spark-1', tail: 5 })
    expect(replay.map((e) => e.line)).toEqual(lines().slice(-5))
    expect(tail.replay().map((e) => e.line)).toEqual(lines().slice(-50))
    expect(tail.replay({ node: 'spark-2' })).toEqual([])
  })

  it('survives an SSH drop and a node away for a while, without losing or repeating a line', async () => {
    const before = seen.length
    sim.node('spark-1').setUnreachable(true, { dropExisting: true })
    await eventually(
      () => tail.status()[0]!.state,
      (s) => s === 'retrying',
    )
    for (let i = 0; i < 3; i++) await hitModels()
    // Away for a while: the drop and two refused reconnects.
    await eventually(
      () => pool.get('spark-1')!.state().failures,
      (n) => n >= 3,
    )
    sim.node('spark-1').setUnreachable(false)
    await eventually(
      () => lines().filter((l) => l.includes('GET /v1/models')).length,
      (n) => n === 3,
    )
    await hitModels()
    await eventually(
      () => lines().filter((l) => l.includes('GET /v1/models')).length,
      (n) => n === 4,
    )
    expect(lines()).toEqual(
      sim
        .node('spark-1')
        .logs()
        .filter((l) => l.trim() !== ''),
    )
    expect(seen.length - before).toBe(4)
    expect(tail.status()[0]!.state).toBe('following')
  })

  it('follows the next container after the old one stops and is replaced', async () => {
    const stop = await pool.get('spark-1')!.exec(['docker', 'stop', 'vllm_node'], { timeoutMs: 10_000 })
    expect(stop.code).toBe(0)
    await eventually(
      () => tail.status()[0]!.state,
      (s) => s === 'waiting',
    )
    // `--rm` removal takes a moment; eugr refuses to launch while the old name exists.
    await eventually(
      () => sim.node('spark-1').containers(),
      (c) => c.length === 0,
    )
    const before = lines().length
    const tracker = new ProgressTracker()
    const unfeed = feedProgress(tail, tracker, ['spark-1'])
    await launch()
    tail.kick('spark-1')
    await eventually(
      () => tracker.phase,
      (p) => p === 'ready',
    )
    unfeed()
    expect(tracker.snapshot()).toMatchObject({ percent: 100, failure: null })
    const fresh = lines().slice(before)
    expect(fresh[0]).toContain('vLLM API server version')
    expect(fresh).toEqual(
      sim
        .node('spark-1')
        .logs()
        .filter((l) => l.trim() !== ''),
    )
  })

  it('stops every stream on stop()', async () => {
    await tail.stop()
    expect(tail.status().map((s) => s.state)).toEqual(['stopped', 'stopped'])
    const count = seen.length
    const logged = sim.node('spark-1').logs().length
    await hitModels()
    await eventually(
      () => sim.node('spark-1').logs().length,
      (n) => n > logged,
    )
    // A round trip on the same SSH connection: a stream still open would have carried the line first.
    await pool.get('spark-1')!.exec(['cat', '/proc/meminfo'], { timeoutMs: 10_000 })
    expect(seen.length).toBe(count)
  })
})

describe('parseDockerTimestamp', () => {
  it('reads RFC 3339 stamps with any fraction, keeping the text after one space', () => {
    const p = parseDockerTimestamp('2026-04-18T10:00:00.123456789Z (APIServer pid=1) INFO  x')
    expect(p).toMatchObject({ text: '(APIServer pid=1) INFO  x', atMs: Date.UTC(2026, 3, 18, 10, 0, 0, 123) })
    expect(p!.cursor.nanos).toBe('123456789')
    expect(parseDockerTimestamp('2026-04-18T10:00:00.5Z a')!.cursor.nanos).toBe('500000000')
    expect(parseDockerTimestamp('2026-04-18T12:00:00+02:00 a')!.atMs).toBe(Date.UTC(2026, 3, 18, 10))
    expect(parseDockerTimestamp('Error response from daemon: No such container: vllm_node')).toBeNull()
  })
})

type Emit = Array<[string, 'stdout' | 'stderr']>

/** What the SSH client hands on for `bytes` written to stdout: split into lines at `\n` by its own splitter. */
function stdoutLines(bytes: string): Emit {
  const out: Emit = []
  const split = createLineSplitter(64 * 1024, (line) => out.push([line, 'stdout']))
  split.push(Buffer.from(bytes))
  split.end()
  return out
}

/** A node whose `docker logs` streams are scripted: each open plays the next script and ends. */
class ScriptedStreams implements SshNode {
  readonly argvs: string[][] = []
  constructor(
    readonly name: string,
    readonly scripts: Array<{ lines: Emit; code: number }>,
  ) {}
  exec(): never {
    throw new Error('not used')
  }
  async stream(argv: readonly string[], options: StreamOptions): Promise<StreamResult> {
    this.argvs.push([...argv])
    const script = this.scripts.shift()
    if (!script) {
      await new Promise((r) => options.signal.addEventListener('abort', r, { once: true }))
      return { code: null, signal: null, aborted: true, durationMs: 1 }
    }
    for (const [line, stream] of script.lines) options.onLine(line, stream, false)
    return { code: script.code, signal: null, aborted: false, durationMs: 1 }
  }
  state(): SshConnectionState {
    return {
      state: 'connected',
      since: new Date(0).toISOString(),
      lastError: null,
      failures: 0,
      nextAttemptAt: null,
    }
  }
}

describe('log tail re-opening', () => {
  const ts = (s: number, ns = '000000000') => `2026-04-18T10:00:0${s}.${ns}Z`

  it('shows lines that arrive out of order within a stream, and drops only what an earlier stream delivered', async () => {
    const node = new ScriptedStreams('spark-1', [
      {
        lines: [
          [`${ts(2)} late-stamped stdout`, 'stdout'],
          [`${ts(1)} earlier stderr`, 'stderr'],
        ],
        code: 0,
      },
      {
        lines: [
          [`${ts(2)} late-stamped stdout`, 'stdout'],
          [`${ts(3)} new`, 'stderr'],
        ],
        code: 1,
      },
      {
        lines: [['Error response from daemon: permission denied while trying to connect', 'stderr']],
        code: 1,
      },
    ])
    const got: string[] = []
    const t = createLogTail({
      nodes: ['spark-1', 'spark-9'],
      ssh: { get: (n) => (n === 'spark-1' ? node : undefined), close: async () => undefined },
      container: 'vllm_node',
      replayLines: 20,
      backoffBaseMs: 5,
      backoffMaxMs: 10,
    })
    t.subscribe((e) => got.push(e.line))
    t.start()
    await eventually(
      () => node.argvs.length,
      (n) => n === 4,
    )
    expect(got).toEqual(['late-stamped stdout', 'earlier stderr', 'new'])
    expect(node.argvs[0]).toEqual(['docker', 'logs', '-f', '-t', '--tail', '20', 'vllm_node'])
    expect(node.argvs[1]).toEqual([
      'docker',
      'logs',
      '-f',
      '-t',
      '--since',
      ts(2),
      '--tail',
      '20',
      'vllm_node',
    ])
    expect(node.argvs[3]).toContain(ts(3))
    const status = t.status()
    expect(status[1]).toMatchObject({
      node: 'spark-9',
      state: 'retrying',
      last_error: 'no SSH connection for this node',
    })
    await t.stop()
    expect(() =>
      createLogTail({
        nodes: [],
        ssh: { get: () => undefined, close: async () => undefined },
        container: '--rm',
      }),
    ).toThrow()
  })

  it("reads docker's formats: \\n ends (eugr's non-TTY container), \\r\\n (a TTY one), tqdm's \\r redraws", async () => {
    const bar = (pct: number) => `Loading safetensors checkpoint shards: ${pct}% Completed`
    const node = new ScriptedStreams('spark-1', [
      {
        lines: stdoutLines(
          [
            `${ts(1)} (APIServer pid=1) INFO no tty\n`,
            `${ts(2)} (APIServer pid=1) INFO a tty's line\r\n`,
            // tqdm never ends its redraws with \n, so docker stores the whole bar as one line.
            `${ts(3)} \r${bar(0)}\r${bar(50)}\r${bar(100)}\n`,
            `${ts(4, '5')} short fraction\r\n`,
          ].join(''),
        ),
        code: 0,
      },
    ])
    const got: LogLineEvent[] = []
    const t = createLogTail({
      nodes: ['spark-1'],
      ssh: { get: () => node, close: async () => undefined },
      container: 'vllm_node',
      backoffBaseMs: 1000,
    })
    t.subscribe((e) => got.push(e))
    t.start()
    await eventually(
      () => got.length,
      (n) => n === 6,
    )
    await t.stop()
    expect(got.map((e) => e.line)).toEqual([
      '(APIServer pid=1) INFO no tty',
      "(APIServer pid=1) INFO a tty's line",
      bar(0),
      bar(50),
      bar(100),
      'short fraction',
    ])
    // One docker line, one stamp: the bar's states all carry the time the line was stored.
    expect(new Set(got.slice(2, 5).map((e) => e.at))).toEqual(new Set(['2026-04-18T10:00:03.000Z']))
    expect(got[5]!.at).toBe('2026-04-18T10:00:04.500Z')
  })

  it('says when the SSH user cannot use docker', async () => {
    const node = new ScriptedStreams('spark-1', [
      {
        lines: [['permission denied while trying to connect to the Docker daemon socket', 'stderr']],
        code: 1,
      },
    ])
    const t = createLogTail({
      nodes: ['spark-1'],
      ssh: { get: () => node, close: async () => undefined },
      container: 'vllm_node',
      backoffBaseMs: 1000,
    })
    t.start()
    const s = await eventually(
      () => t.status()[0]!,
      (x) => x.state === 'retrying',
    )
    expect(s.last_error).toBe('docker logs exited with 1 (the SSH user cannot use docker)')
    await t.stop()
  })
})
