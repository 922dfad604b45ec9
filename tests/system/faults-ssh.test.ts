/**
 * Fault suite, SSH: the connection to a Spark dropped mid-command (the session killed on a real
 * OpenSSH server while its listener stays up, tests/support/ssh-sessions.ts). The swap-controller's
 * live `docker logs -f` follower says why it stopped and follows again on a new connection without
 * repeating lines; a long command fails with `connection_lost`, and the pool's next command works.
 * A swap step that loses its node is covered by tests/ssh/eugr-standin-faults.test.ts and
 * eugr-standin-launch-loss.test.ts (rolled back, the node named).
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createLogTail, type LogLineEvent } from '../../services/swap-controller/adapters/log-tail.ts'
import { silentLogger } from '../../shared/logger.ts'
import { SshError } from '../../shared/ssh/errors.ts'
import { SshPool } from '../../shared/ssh/pool.ts'
import { type OpenSshBed, startOpenSsh } from '../support/openssh.ts'
import { dropSessions, sessionCommands } from '../support/ssh-sessions.ts'

/**
 * A `docker` whose `logs -f` first repeats the last 5 lines it wrote (as docker's `--tail` does; it
 * ignores `--since`, so a resumed follower must drop what it delivered already), then writes a
 * timestamped line every 50 ms until it is killed.
 */
const FAKE_DOCKER = `#!/bin/sh
[ "$1" = logs ] || exit 1
log="$(dirname "$0")/vllm.log"
[ -f "$log" ] && tail -n 5 "$log"
i=0
while :; do
  line="$(date -u +%Y-%m-%dT%H:%M:%S.%NZ) line $i"
  echo "$line"
  echo "$line" >> "$log"
  i=$((i + 1))
  sleep 0.05
done
`
/** How soon the pool must be usable again after a drop: its backoff is 50–500 ms here. */
const RECONNECT_BOUND_MS = 3000

const bin = join(tmpdir(), `faults-ssh-bin-${process.pid}`)
let bed: OpenSshBed
let pool: SshPool

beforeAll(async () => {
  await mkdir(bin, { recursive: true })
  await writeFile(join(bin, 'docker'), FAKE_DOCKER)
  await chmod(join(bin, 'docker'), 0o755)
  bed = await startOpenSsh([{ name: 'spark-1', env: { PATH: `${bin}:/usr/bin:/bin` } }])
  pool = new SshPool({
    targets: [
      { name: 'spark-1', host: '127.0.0.1', port: bed.node('spark-1').port, user: userInfo().username },
    ],
    keyPath: bed.clientKey,
    logger: silentLogger(),
    backoffBaseMs: 50,
    backoffMaxMs: 500,
  })
}, 30_000)

afterAll(async () => {
  await pool?.close()
  await bed?.close()
  await rm(bin, { recursive: true, force: true })
})

const node = () => pool.get('spark-1')!

describe('SSH dropped mid-command', () => {
  it('the docker logs follower says the connection was lost, follows again, and repeats no line', async () => {
    const tail = createLogTail({
      nodes: ['spark-1'],
      ssh: pool,
      container: 'vllm_node',
      backoffBaseMs: 50,
      backoffMaxMs: 500,
    })
    const seen: LogLineEvent[] = []
    const states: Array<{ state: string; error: string | null }> = []
    tail.subscribe((e) => seen.push(e))
    tail.start()
    try {
      await vi.waitFor(() => expect(seen.length).toBeGreaterThan(3), { timeout: 10_000, interval: 25 })
      const stopWatch = watchStates(tail, states)
      const before = seen.length
      expect(await dropSessions(bed.node('spark-1'))).toBeGreaterThan(0)
      // Following again on a new connection: new lines arrive.
      await vi.waitFor(() => expect(seen.length).toBeGreaterThan(before + 3), {
        timeout: 10_000,
        interval: 25,
      })
      stopWatch()
      expect(
        states.map((s) => s.state),
        'the follower said it was retrying',
      ).toContain('retrying')
      expect(states.find((s) => s.state === 'retrying')?.error).toBeTruthy()
      expect(tail.status()[0]).toMatchObject({ state: 'following' })
      // The resumed stream starts after the last line delivered (docker's --since, then the cursor):
      // every line is newer than the one before it.
      const stamps = seen.map((e) => e.at)
      expect(stamps).toEqual([...new Set(stamps)].sort())
    } finally {
      await tail.stop()
    }
  })

  it('a long command fails with connection_lost at once, and the next command works', async () => {
    expect((await node().exec(['true'])).code).toBe(0)
    const started = performance.now()
    const long = node()
      .exec(['sleep', '30'], { timeoutMs: 60_000 })
      .catch((e: unknown) => e)
    // Dropped once the command runs (earlier, the channel would fail to open instead).
    await vi.waitFor(() => expect(sessionCommands(bed.node('spark-1')).join('\n')).toContain('sleep 30'), {
      timeout: 5000,
      interval: 25,
    })
    await dropSessions(bed.node('spark-1'))
    const err = await long
    expect(err).toBeInstanceOf(SshError)
    expect((err as SshError).kind).toBe('connection_lost')
    expect((err as SshError).message).toMatch(/^SSH to spark-1: /)
    expect(performance.now() - started).toBeLessThan(5000)
    const dropped = performance.now()
    await vi.waitFor(async () => expect((await node().exec(['echo', 'back'])).stdout).toBe('back\n'), {
      timeout: RECONNECT_BOUND_MS,
      interval: 50,
    })
    expect(performance.now() - dropped).toBeLessThan(RECONNECT_BOUND_MS)
  })
})

/** Records each state the tail's node passes through, with its last error, until stopped. */
function watchStates(
  tail: ReturnType<typeof createLogTail>,
  states: Array<{ state: string; error: string | null }>,
): () => void {
  const timer = setInterval(() => {
    const s = tail.status()[0]!
    if (states.at(-1)?.state !== s.state) states.push({ state: s.state, error: s.last_error })
  }, 5)
  return () => clearInterval(timer)
}
