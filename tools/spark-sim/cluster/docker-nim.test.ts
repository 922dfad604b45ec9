/**
 * NIM install's docker commands on a simulated node, sent as the controller sends them (quoted
 * argv under a remote deadline, stdin then EOF): login with the key on stdin, pull, run with the
 * key as an env file on stdin; and docker's refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { wireCommand } from '../../../shared/ssh/quote.ts'
import { type SimNodesHandle, startSimNodes } from './index.ts'
import { generateClientKey, TestSsh } from './test-client.ts'

const key = generateClientKey()
const IMAGE = 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4'
const LOGIN = ['docker', 'login', 'nvcr.io', '--username', '$oauthtoken', '--password-stdin']
const runArgv = (name: string) => [
  'docker',
  'run',
  '-d',
  '--restart',
  'unless-stopped',
  '--gpus',
  'all',
  '--name',
  name,
  '-p',
  '8010:8000',
  '--env-file',
  '/dev/stdin',
  '-e',
  'NIM_MAX_MODEL_LEN=8192',
  IMAGE,
]
let sim: SimNodesHandle
let ssh: TestSsh

const send = (argv: string[], stdin = '') => ssh.exec(wireCommand({ argv, deadlineMs: 10_000 }), { stdin })

beforeAll(async () => {
  sim = await startSimNodes({
    nodes: [{ name: 'spark-2', host: '127.0.0.1', sshPort: 0, role: 'worker' }],
    authorizedKeys: [key.publicLine],
    vllmDir: '/home/sparkuser/spark-vllm-docker',
    recipes: {},
    defaultLoadTimeMs: 50,
    portMap: () => 0,
  })
  ssh = await TestSsh.connect(sim.node('spark-2').sshPort, key.privateKey)
})

afterAll(async () => {
  ssh?.end()
  await sim?.close()
})

describe('docker login, pull and run for a NIM', () => {
  it('refuses a pull from nvcr.io before a login, and a login with a key that is not an NGC key', async () => {
    const pull = await send(['docker', 'pull', IMAGE])
    expect(pull.code).toBe(1)
    expect(pull.stderr).toMatch(/unauthorized: authentication required/)
    const bad = await send(LOGIN, 'not-a-key\n')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^Error response from daemon: Get "https:\/\/nvcr\.io\/v2\/": unauthorized/)
    const none = await send(LOGIN, '')
    expect(none).toMatchObject({ code: 1, stderr: 'Error: Password Required\n' })
  })

  it('logs in with the key on stdin, pulls quietly, and runs the container detached', async () => {
    const login = await send(LOGIN, 'nvapi-sim-key')
    expect(login).toMatchObject({ code: 0, stdout: 'Login Succeeded\n' })
    const pull = await send(['docker', 'pull', '--quiet', IMAGE])
    expect(pull).toMatchObject({ code: 0, stdout: `${IMAGE}\n` })
    const run = await send(runArgv('llama-nim'), 'NGC_API_KEY=nvapi-sim-key\n')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^[0-9a-f]{64}\n$/)
    const ps = await send(['docker', 'ps', '--filter', 'name=llama-nim', '--format', '{{.Names}} {{.Image}}'])
    expect(ps.stdout).toBe(`llama-nim ${IMAGE}\n`)
    const logs = await send(['docker', 'logs', 'llama-nim'])
    expect(`${logs.stdout}${logs.stderr}`).toContain('NGC_API_KEY, NIM_MAX_MODEL_LEN')
    expect(`${logs.stdout}${logs.stderr}`).not.toContain('nvapi-sim-key')
  })

  it('refuses a second container of the same name as docker does (125, Conflict)', async () => {
    await send(LOGIN, 'nvapi-sim-key')
    await send(runArgv('twice'), 'NGC_API_KEY=nvapi-sim-key\n')
    const again = await send(runArgv('twice'), 'NGC_API_KEY=nvapi-sim-key\n')
    expect(again.code).toBe(125)
    expect(again.stderr).toMatch(
      /^docker: Error response from daemon: Conflict\. The container name "\/twice" is already in use/,
    )
  })
})
