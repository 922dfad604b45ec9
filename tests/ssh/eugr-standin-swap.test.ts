/**
 * Swaps by the real swap-controller (main.ts as a child process, configured by environment as a
 * user runs it) over real OpenSSH to two nodes whose eugr scripts, docker and vLLM are the shell
 * stand-ins of tests/fixtures/eugr-standin. Shows what reaches vLLM through eugr's command line: the
 * served-name alias, the memory fraction and the context length, solo and on two nodes; and that a
 * launcher that drops what follows `--` fails the swap within seconds, naming both names, and the
 * previous model comes back.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import { SshPool } from '../../shared/ssh/pool.ts'
import {
  FIXTURES,
  IMAGE,
  lastFlag,
  type StandinCluster,
  startStandinCluster,
  until,
} from './eugr-standin-bed.ts'
import { standinApi } from './standin-api.ts'
import { RECIPES } from './standin-recipes.ts'

let c: StandinCluster

beforeAll(async () => {
  c = await startStandinCluster({ recipes: RECIPES })
}, 60_000)
afterAll(() => c?.close(), 30_000)

const { getJob, finished, served, startSwap, given, chat } = standinApi(() => c)

describe('the stand-in nodes', () => {
  it("give the login shell and a remote `timeout` the node's own PATH and state", async () => {
    const pool = new SshPool({
      targets: c.ssh.nodes.map((n) => ({
        name: n.name,
        host: '127.0.0.1',
        port: n.port,
        user: userInfo().username,
      })),
      keyPath: c.ssh.clientKey,
      logger: silentLogger(),
    })
    try {
      for (const name of ['spark-1', 'spark-2'] as const) {
        const node = pool.get(name)!
        const shell = await node.exec([
          'bash',
          '-c',
          'command -v docker vllm nvidia-smi; echo "$STANDIN_NODE"',
        ])
        expect(shell.stdout.split('\n')).toEqual([
          join(FIXTURES, 'bin/docker'),
          join(FIXTURES, 'bin/vllm'),
          join(FIXTURES, 'bin/nvidia-smi'),
          name,
          '',
        ])
        // What the controller sends: a remote `timeout` that finds docker through the same PATH.
        const probe = await node.exec(['docker', 'image', 'inspect', '--format', '{{.Id}}', IMAGE], {
          timeoutMs: 5000,
          remoteDeadline: true,
        })
        expect(probe).toMatchObject({ code: 0, stdout: expect.stringMatching(/^sha256:[0-9a-f]{64}\n$/) })
        expect(c.commands(name).at(-1)).toBe(`docker image inspect --format {{.Id}} ${IMAGE}`)
      }
    } finally {
      await pool.close()
    }
  })
})

describe('a launcher that drops what follows --', () => {
  it('fails the swap within seconds naming both names, and the previous model comes back', async () => {
    await given('standin-plain', 'acme/Plain-1B')
    const env = join(c.node('spark-1').dockerDir, '.env')
    const original = await readFile(env, 'utf8')
    await appendFile(env, 'STANDIN_IGNORE_EXTRA_ARGS=1\n')
    try {
      const started = Date.now()
      const { job_id } = await startSwap('standin-small')
      const failed = await until(
        () => getJob(job_id),
        (j) => j.error !== null,
      )
      // The readiness timeout is 60 s (SWAP_READY_TIMEOUT_S): this is the served-name check.
      expect(Date.now() - started).toBeLessThan(15_000)
      expect(failed.error).toContain("'acme/Small-Chat-1B'")
      expect(failed.error).toContain("'small-chat'")
      const job = await finished(job_id)
      expect(job.rollback).toEqual({ recipe: 'standin-plain', outcome: 'ready' })
      expect(job.outcome).toBe('rolled_back')
      expect(await served()).toEqual(['acme/Plain-1B'])
      expect(c.vllmArgv()).not.toContain('--served-model-name')
    } finally {
      await writeFile(env, original)
    }
  }, 60_000)
})

describe('what reaches vLLM through eugr', () => {
  it('a solo swap passes the alias, the memory fraction and the context length, and chat uses the alias', async () => {
    await given('standin-plain', 'acme/Plain-1B')
    const job = await finished((await startSwap('standin-small')).job_id)
    expect(job).toMatchObject({ outcome: 'ready', error: null })
    const argv = c.vllmArgv()!
    expect(argv.slice(0, 2)).toEqual(['serve', 'acme/Small-Chat-1B'])
    expect(lastFlag(argv, '--served-model-name')).toBe('small-chat')
    expect(lastFlag(argv, '--gpu-memory-utilization')).toBe('0.06')
    expect(lastFlag(argv, '--max-model-len')).toBe('4096')
    expect(await served()).toEqual(['small-chat'])
    // The recipe's `env` reaches the container as docker -e.
    expect(await readFile(join(c.node('spark-1').state, 'containers/vllm_node/env'), 'utf8')).toContain(
      'STANDIN_RECIPE_ENV=small',
    )
    // eugr's --solo: one container, on the head only.
    expect(c.docker('spark-2', ['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('')
    const reply = await chat('small-chat')
    expect(reply.status).toBe(200)
    expect(reply.body.choices[0].message.content).toContain('stand-in')
  }, 60_000)

  it('a two-node swap starts the worker first and passes tp, the alias and the overrides after --', async () => {
    await given('standin-small', 'small-chat')
    const job = await finished((await startSwap('standin-duo')).job_id)
    expect(job).toMatchObject({ outcome: 'ready', error: null })
    const argv = c.vllmArgv()!
    expect(argv.slice(0, 2)).toEqual(['serve', 'acme/Duo-Chat-7B'])
    expect(lastFlag(argv, '-tp')).toBe('2')
    expect(lastFlag(argv, '--distributed-executor-backend')).toBe('ray')
    expect(lastFlag(argv, '--served-model-name')).toBe('duo-chat')
    // The command states 0.05 and 8192; the recipe's overrides follow `--` and win (last wins).
    expect(lastFlag(argv, '--gpu-memory-utilization')).toBe('0.07')
    expect(lastFlag(argv, '--max-model-len')).toBe('2048')
    expect(c.docker('spark-2', ['ps', '--format', '{{.Names}} {{.Image}} {{.State}}']).stdout).toBe(
      `vllm_node ${IMAGE} running\n`,
    )
    const reply = await chat('duo-chat')
    expect(reply.status).toBe(200)
    expect(reply.body.model).toBe('duo-chat')

    // Back to solo: the worker's container goes too (eugr would reuse a leftover).
    const back = await finished((await startSwap('standin-small')).job_id)
    expect(back.outcome).toBe('ready')
    expect(c.docker('spark-2', ['ps', '-a', '--format', '{{.Names}}']).stdout).toBe('')
  }, 60_000)
})
