/**
 * `docker logs` in the formats real docker writes for eugr's non-TTY `vllm_node`: everything on
 * stdout, `\n` line ends, RFC3339Nano stamps with `-t`, and `--tail`/`--since`/`--until`/`-f` as the
 * daemon reads them. Run against the command directly (the container's log is what the emulator
 * appends), and once over SSH on a launched recipe.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { logs, parseLogTime } from './docker-logs.ts'
import { startSimNodes } from './index.ts'
import { LogBuffer } from './log-buffer.ts'
import type { CommandContext } from './shell-exec.ts'
import { generateClientKey, TestSsh } from './test-client.ts'

const T0 = Date.parse('2026-12-06T05:51:34.123Z')

/** Runs `docker logs <args>` on a node whose only container is `vllm_node` with `log`. */
function run(log: LogBuffer | null, args: string[], signal = new AbortController().signal) {
  const out = { stdout: '', stderr: '' }
  const ctx = {
    argv: ['docker', 'logs', ...args],
    env: {},
    stdout: (s: string) => {
      out.stdout += s
    },
    stderr: (s: string) => {
      out.stderr += s
    },
    stdin: (async function* () {})(),
    signal,
    session: { node: { find: (n: string) => (n === 'vllm_node' && log ? { log } : undefined) } },
  } as unknown as CommandContext
  return logs(ctx, args).then((code) => ({ code, ...out }))
}

/** Three lines written one second apart from T0. */
function threeLines(): LogBuffer {
  const log = new LogBuffer()
  for (const [i, text] of ['first', 'second', 'third'].entries()) {
    vi.setSystemTime(T0 + i * 1000)
    log.append(text)
  }
  return log
}

describe('docker logs (the command)', () => {
  beforeAll(() => void vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] }))
  afterAll(() => void vi.useRealTimers())
  afterEach(() => vi.clearAllTimers())

  it('writes every line to stdout ending in \\n (no TTY: no \\r\\n), nothing to stderr', async () => {
    const r = await run(threeLines(), ['vllm_node'])
    expect(r).toEqual({ code: 0, stdout: 'first\nsecond\nthird\n', stderr: '' })
  })

  it('-t and --timestamps prefix RFC3339Nano UTC stamps, the fraction padded to nine digits', async () => {
    for (const flag of ['-t', '--timestamps']) {
      const lines = (await run(threeLines(), [flag, 'vllm_node'])).stdout.split('\n')
      expect(lines[0]).toMatch(/^2026-12-06T05:51:34\.123\d{6}Z first$/)
      expect(lines[2]).toMatch(/^2026-12-06T05:51:36\.123\d{6}Z third$/)
    }
  })

  it('--tail N / -n N keeps the last N; all, a negative or a non-number is every line', async () => {
    const log = threeLines()
    expect((await run(log, ['--tail', '2', 'vllm_node'])).stdout).toBe('second\nthird\n')
    expect((await run(log, ['-n1', 'vllm_node'])).stdout).toBe('third\n')
    expect((await run(log, ['--tail=0', 'vllm_node'])).stdout).toBe('')
    for (const v of ['all', '-1', 'x'])
      expect(await run(log, ['--tail', v, 'vllm_node'])).toEqual({
        code: 0,
        stdout: 'first\nsecond\nthird\n',
        stderr: '',
      })
  })

  it('--since and --until include a line stamped exactly at the bound', async () => {
    const log = threeLines()
    const at = (s: number) => new Date(T0 + s * 1000).toISOString()
    expect((await run(log, ['--since', at(1), 'vllm_node'])).stdout).toBe('second\nthird\n')
    expect((await run(log, ['--until', at(1), 'vllm_node'])).stdout).toBe('first\nsecond\n')
    expect((await run(log, ['--since', String((T0 + 2000) / 1000), 'vllm_node'])).stdout).toBe('third\n')
    vi.setSystemTime(T0 + 2500)
    expect((await run(log, ['--since', '1s', 'vllm_node'])).stdout).toBe('third\n')
    expect((await run(log, ['--since', '1500ms', 'vllm_node'])).stdout).toBe('second\nthird\n')
  })

  it('reads since/until as docker does: Go durations, Unix seconds, dates in the local zone', () => {
    const now = Date.parse('2026-12-06T06:00:00Z')
    expect(parseLogTime('1h30m', now)).toBe(now - 90 * 60_000)
    expect(parseLogTime('1.5h', now)).toBe(now - 90 * 60_000)
    expect(parseLogTime('250ms', now)).toBe(now - 250)
    expect(parseLogTime('1765000000.5', now)).toBe(1_765_000_000_500)
    expect(parseLogTime('2026-12-06T05:51:34.123456789Z', now)).toBe(T0)
    expect(parseLogTime('2026-12-06T06:51:34+01:00', now)).toBe(Date.parse('2026-12-06T05:51:34Z'))
    expect(parseLogTime('2026-12-06', now)).toBe(new Date(2026, 11, 6).getTime())
    expect(parseLogTime('2026-12-06T05:51:34', now)).toBe(new Date(2026, 11, 6, 5, 51, 34).getTime())
    for (const bad of ['yesterday', '5x', '', '12:00']) expect(parseLogTime(bad, now)).toBeUndefined()
  })

  it('-f streams new lines until the container stops; --until ends the follow when it comes', async () => {
    const log = threeLines()
    const following = run(log, ['-f', '--tail', '1', 'vllm_node'])
    log.append('fourth')
    log.end()
    expect((await following).stdout).toBe('third\nfourth\n')

    const live = new LogBuffer()
    vi.setSystemTime(T0)
    const bounded = run(live, ['-f', '--until', new Date(T0 + 5000).toISOString(), 'vllm_node'])
    live.append('inside')
    await vi.advanceTimersByTimeAsync(5000)
    expect(await bounded).toMatchObject({ code: 0, stdout: 'inside\n' })
  })

  it('answers like the CLI for a missing container, a missing name and an unknown flag', async () => {
    expect(await run(null, ['vllm_node'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error response from daemon: No such container: vllm_node\n',
    })
    const none = await run(threeLines(), [])
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/^"docker logs" requires exactly 1 argument\./)
    expect(await run(threeLines(), ['--bogus', 'vllm_node'])).toMatchObject({ code: 125 })
    expect((await run(threeLines(), ['--since', 'soon', 'vllm_node'])).code).toBe(1)
  })
})

describe('docker logs over SSH on a launched recipe', () => {
  const key = generateClientKey()
  const VLLM_DIR = '/home/sparkuser/spark-vllm-docker'
  let sim: Awaited<ReturnType<typeof startSimNodes>>
  let ssh: TestSsh
  beforeAll(async () => {
    sim = await startSimNodes({
      nodes: [{ name: 'spark-1', host: '127.0.0.1', sshPort: 0, role: 'head' }],
      authorizedKeys: [key.publicLine],
      vllmDir: VLLM_DIR,
      recipes: { 'qwen3-30b': { model: 'Qwen/Qwen3-30B-A3B', servedModelName: 'qwen3', memGiB: 30 } },
      defaultLoadTimeMs: 300,
      portMap: () => 0,
    })
    ssh = await TestSsh.connect(sim.node('spark-1').sshPort, key.privateKey)
  })
  afterAll(async () => {
    ssh?.end()
    await sim?.close()
  })

  it("vLLM's output reaches docker logs' stdout only, with \\n ends and nine-digit stamps", async () => {
    const launched = await ssh.exec(`cd '${VLLM_DIR}' && ./run-recipe.sh qwen3-30b --solo --port 8888 -d`)
    expect(launched.code).toBe(0)
    await expect
      .poll(async () => (await ssh.exec('docker logs vllm_node')).stdout, { timeout: 5000 })
      .toContain('Application startup complete.')
    const r = await ssh.exec('docker logs -t vllm_node')
    expect(r.stderr).toBe('')
    expect(r.stdout).not.toContain('\r')
    const lines = r.stdout.split('\n')
    expect(lines.pop()).toBe('')
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /)
    expect(lines.find((l) => l.endsWith('Application startup complete.'))).toBeDefined()
  })
})
