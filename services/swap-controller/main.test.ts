/**
 * main.ts as a real process, on Node and on Deno: it reads the environment, connects to a Spark
 * over SSH (the in-process ssh2 server) and to vLLM (a fake on port 0), reports both as up, and
 * shuts down cleanly on SIGTERM, closing the SSH pool.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeSshd, generateKeys, startFakeSshd } from '../../tests/ssh/fake-sshd.ts'
import { type FakeVllm, startFakeVllm } from './testing/fakes.ts'

let dir: string
let sshd: FakeSshd
let vllm: FakeVllm
let env: Record<string, string>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'swap-main-'))
  const key = generateKeys()
  await writeFile(join(dir, 'id_ed25519'), key.private, { mode: 0o600 })
  sshd = await startFakeSshd(key.public)
  vllm = await startFakeVllm(['served-model'])
  const vllmUrl = new URL(vllm.baseUrl)
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    PORT: '0',
    LOG_LEVEL: 'info',
    DATA_DIR: dir,
    SPARK1_HOST: '127.0.0.1',
    SPARK1_USER: 'tester',
    SPARK1_SSH_PORT: String(sshd.port),
    SPARK2_HOST: '',
    SSH_KEY_PATH: join(dir, 'id_ed25519'),
    VLLM_HOST: vllmUrl.hostname,
    VLLM_PORT: vllmUrl.port,
  }
})
afterAll(async () => {
  await vllm.close()
  await sshd.close()
  await rm(dir, { recursive: true, force: true })
})

const DENO = join(process.cwd(), 'node_modules', '.bin', 'deno')
const RUNTIMES: Record<string, string[]> = {
  node: [process.execPath, '--import', 'tsx', 'services/swap-controller/main.ts'],
  deno: [
    DENO,
    'run',
    '--allow-net',
    '--allow-env',
    '--allow-read',
    '--allow-write',
    '--allow-sys',
    'services/swap-controller/main.ts',
  ],
}

async function runMain(runtime: string) {
  const argv = RUNTIMES[runtime]!
  // Each runtime meets the Spark for the first time: its own known_hosts file.
  const runEnv = { ...env, SSH_KNOWN_HOSTS: join(dir, `known_hosts_${runtime}`) }
  const child = spawn(argv[0]!, argv.slice(1), { env: runEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line; stderr:\n${stderr}`)), 45_000)
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line)
      const entry = JSON.parse(line) as { msg?: string; port?: number }
      if (entry.msg === 'listening') {
        clearTimeout(timer)
        resolve(entry.port!)
      }
    })
    void exited.then((code) => reject(new Error(`exited ${code}:\n${stderr}`)))
  })
  return { child, port, lines, exited }
}

describe.each(Object.keys(RUNTIMES))('main.ts on %s', (runtime) => {
  it('reports vLLM and the node as up, then shuts down on SIGTERM', async () => {
    const { child, port, lines, exited } = await runMain(runtime)
    try {
      const ready = await (await fetch(`http://127.0.0.1:${port}/ready`)).json()
      expect(ready.status).toBe('ready')
      expect(ready.dependencies.vllm).toMatchObject({ state: 'up', info: { model: 'served-model' } })
      expect(ready.dependencies['node:spark-1']).toMatchObject({
        state: 'up',
        info: { host: '127.0.0.1', role: 'head' },
      })
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exited).toBe(0)
    const log = lines.join('\n')
    expect(log).toContain('SSH connected')
    expect(log).toContain('SSH host key accepted on first use and recorded')
  }, 60_000)
})
