/**
 * The stand-ins of tests/fixtures/eugr-standin on their own (run locally, no SSH): run-recipe.sh
 * answers like eugr's for the arguments docs/UPSTREAMS.md records, and the docker stand-in like
 * docker for the subcommands the controller sends. The SSH tests rely on both.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  DOCKER_PS_FORMAT,
  dockerPsArgv,
  parseDockerPs,
} from '../../services/swap-controller/domain/docker-ps.ts'
import { comeAndGoPort } from '../../tools/stack/ports.ts'
import { FIXTURES, IMAGE } from './eugr-standin-bed.ts'
import { DUO, SMALL } from './standin-recipes.ts'

let root: string
let state: string
let checkout: string
const PATH = [join(FIXTURES, 'bin'), dirname(process.execPath), process.env.PATH].join(':')

function run(argv: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(argv[0]!, argv.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, PATH, STANDIN_STATE: state, STANDIN_LOAD_MS: '50', ...extraEnv },
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
const recipe = (...args: string[]) => run([join(checkout, 'run-recipe.sh'), ...args])
const docker = (...args: string[]) => run([join(FIXTURES, 'bin/docker'), ...args])
const launchScript = () => readFileSync(join(state, 'launch-vllm_node.sh'), 'utf8').split('\n')[1]

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'eugr-standin-scripts-'))
  state = join(root, 'state')
  checkout = join(root, 'spark-vllm-docker')
  await mkdir(state)
  await mkdir(join(checkout, 'recipes'), { recursive: true })
  await symlink(join(FIXTURES, 'run-recipe.sh'), join(checkout, 'run-recipe.sh'))
  await writeFile(join(checkout, 'recipes/small.yaml'), SMALL)
  await writeFile(join(checkout, 'recipes/duo.yaml'), DUO)
  await writeFile(
    join(checkout, 'recipes/braces.yaml'),
    SMALL.replace(
      '--max-model-len {max_model_len}',
      '--max-model-len {max_model_len} --json \'{{"a": {port}}}\'',
    ),
  )
  await writeFile(join(checkout, 'recipes/needs-x.yaml'), SMALL.replace('{host}', '{x_unknown}'))
  await writeFile(join(state, 'images'), `${IMAGE}\n`)
})
afterEach(() => {
  docker('rm', '-f', 'vllm_node')
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe("run-recipe.sh stand-in, as eugr's answers", () => {
  it('a missing recipe: "Recipe not found", exit 1; a bad value for a known option: argparse, exit 2', () => {
    expect(recipe('no-such', '-d')).toMatchObject({ code: 1, stdout: 'Error: Recipe not found: no-such\n' })
    const bad = recipe('small', '--port', 'x')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("argument --port: invalid int value: 'x'")
  })

  it('a solo_only recipe on a two-node .env without --solo is refused; with it, it starts', async () => {
    await writeFile(join(checkout, '.env'), 'CLUSTER_NODES="127.0.0.1:1,127.0.0.1:2"\n')
    try {
      expect(recipe('small', '-d', '--port', '1')).toMatchObject({
        code: 1,
        stdout: "Error: Recipe 'Stand-in small chat' requires solo mode.\n",
      })
      expect(recipe('small', '-d', '--solo', '--port', String(await comeAndGoPort())).code).toBe(0)
    } finally {
      await rm(join(checkout, '.env'))
    }
  })

  it('fills placeholders like str.format, appends unknown options and what follows -- shell-quoted', async () => {
    const port = await comeAndGoPort()
    const res = recipe(
      'braces',
      '-d',
      '--port',
      String(port),
      '--gpu-mem',
      '0.2',
      '--unknown-flag',
      '--',
      'a b',
    )
    expect(res.code).toBe(0)
    expect(launchScript()).toMatch(
      new RegExp(
        `--port ${port} .*--gpu-memory-utilization 0\\.2 .*--json '\\{"a": ${port}\\}' --unknown-flag a\\\\ b$`,
      ),
    )
    expect(recipe('needs-x', '-d', '--port', '1')).toMatchObject({
      code: 1,
      stdout: "Error: Missing parameter in recipe command: 'x_unknown'\n",
    })
  })

  it('solo drops the Ray backend and sets tensor_parallel to 1; vLLM records its argv and serves', async () => {
    const port = await comeAndGoPort()
    expect(recipe('duo', '-d', '--solo', '--port', String(port)).code).toBe(1) // cluster_only
    await writeFile(join(checkout, 'recipes/duo.yaml'), DUO.replace('cluster_only: true\n', ''))
    expect(
      recipe('duo', '-d', '--solo', '--port', String(port), '--', '--served-model-name', 'duo').code,
    ).toBe(0)
    expect(launchScript()).toContain('-tp 1 ')
    expect(launchScript()).not.toContain('--distributed-executor-backend')
    const models = await vi.waitFor(
      async () =>
        (await fetch(`http://127.0.0.1:${port}/v1/models`)).json() as Promise<{ data: { id: string }[] }>,
      { timeout: 10_000, interval: 50 },
    )
    expect(models.data.map((m) => m.id)).toEqual(['duo'])
    expect(JSON.parse(readFileSync(join(state, 'vllm-argv.json'), 'utf8')).slice(0, 2)).toEqual([
      'serve',
      'acme/Duo-Chat-7B',
    ])
  })
})

describe('docker stand-in, as docker answers the controller', () => {
  it("ps in the controller's format, stop (after the grace), rm -f, and docker's errors", async () => {
    expect(docker(...dockerPsArgv('vllm_node').slice(1))).toMatchObject({ code: 0, stdout: '' })
    expect(docker('run', '-d', '--name', 'vllm_node', IMAGE, 'sleep', 'infinity').code).toBe(0)
    const ps = docker(...dockerPsArgv('vllm_node').slice(1))
    expect(parseDockerPs(ps.stdout, 'vllm_node')).toMatchObject({
      image: IMAGE,
      state: 'running',
      running: true,
    })
    expect(DOCKER_PS_FORMAT.split('\t')).toHaveLength(ps.stdout.trim().split('\t').length)
    expect(docker('run', '-d', '--name', 'vllm_node', IMAGE).stderr).toMatch(/Conflict\. The container name/)
    const pid = Number(readFileSync(join(state, 'containers/vllm_node/pid'), 'utf8'))
    const started = Date.now()
    expect(docker('stop', '-t', '1', 'vllm_node')).toMatchObject({ code: 0, stdout: 'vllm_node\n' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
    // PID 1's process group is gone (or a zombie waiting for its reaper).
    const alive = () =>
      existsSync(`/proc/${pid}/stat`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
    await vi.waitFor(() => expect(alive()).toBe(false), { timeout: 5000, interval: 50 })
    expect(parseDockerPs(docker(...dockerPsArgv('vllm_node').slice(1)).stdout, 'vllm_node')?.state).toBe(
      'exited',
    )
    expect(docker('rm', '-f', 'vllm_node').code).toBe(0)
    expect(docker('rm', '-f', 'vllm_node')).toMatchObject({
      code: 1,
      stderr: 'Error response from daemon: No such container: vllm_node\n',
    })
    expect(docker('logs', 'vllm_node').code).toBe(1)
    expect(docker('image', 'inspect', 'nope')).toMatchObject({
      code: 1,
      stderr: 'Error: No such image: nope\n',
    })
    expect(docker('run', '-d', 'nope').stderr).toContain("Unable to find image 'nope:latest' locally")
  })
})
