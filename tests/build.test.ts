/**
 * The production build (what the container image runs): `scripts/build.sh` compiles, the compiled
 * gateway starts and serves its API and the dashboard with its static assets, and the compiled
 * simulator starts as compose.yaml's profile `sim` runs it (`node dist/tools/spark-sim/main.js`).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SIM_FIXED_PORTS } from '../tools/spark-sim/fixed-ports.ts'
import { REPO_ROOT } from '../tools/stack/launch.ts'
import { freePort, waitForHealth } from '../tools/stack/ports.ts'

const outDir = `${REPO_ROOT}.data/build-test`
const simDataDir = `${REPO_ROOT}.data/build-test-sim`
const children: ChildProcess[] = []
let build: ReturnType<typeof spawnSync>

beforeAll(() => {
  rmSync(outDir, { recursive: true, force: true })
  build = spawnSync('bash', ['scripts/build.sh', outDir], { cwd: REPO_ROOT, encoding: 'utf8' })
}, 120_000)

afterAll(() => {
  for (const child of children) child.kill('SIGKILL')
  rmSync(outDir, { recursive: true, force: true })
  rmSync(simDataDir, { recursive: true, force: true })
})

/** Resolves with the first output line that contains `text`; rejects if the process exits first. */
function lineContaining(child: ChildProcess, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      const line = seen.split('\n').find((l) => l.includes(text))
      if (line) resolve(line)
    })
    child.once('exit', (code) => reject(new Error(`exited ${code} before "${text}":\n${seen.slice(-2000)}`)))
  })
}

describe('production build', () => {
  it('compiles and the compiled gateway serves the API and the dashboard', async () => {
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0)

    const port = await freePort()
    const child = spawn(process.execPath, [`${outDir}/services/gateway/main.js`], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    })
    children.push(child)
    const url = `http://127.0.0.1:${port}`
    await waitForHealth(url, 20_000, () => child.exitCode === null)
    const page = await fetch(`${url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Spark Control')
    const htmx = await fetch(`${url}/static/htmx.min.js`)
    expect(htmx.status).toBe(200)
    expect((await fetch(`${url}/static/style.css`)).status).toBe(200)
    expect((await fetch(`${url}/api/status`)).status).toBe(200)
  }, 90_000)

  it('the compiled simulator starts on its fixed ports, writes the key, and stops on SIGTERM', async () => {
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0)
    rmSync(simDataDir, { recursive: true, force: true })
    // 127.0.0.2: the fixed ports on an address of their own, clear of anything on 127.0.0.1.
    const host = '127.0.0.2'
    const sim = spawn(process.execPath, [`${outDir}/tools/spark-sim/main.js`], {
      cwd: REPO_ROOT,
      env: { ...process.env, SIM_HOST: host, SIM_DATA_DIR: simDataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    children.push(sim)
    const ready = await lineContaining(sim, 'SIMULATED cluster ready')
    expect(JSON.parse(ready)).toMatchObject({ simulated: true, ports: SIM_FIXED_PORTS })
    expect(existsSync(`${simDataDir}/ssh/id_ed25519`)).toBe(true)
    expect((await fetch(`http://${host}:${SIM_FIXED_PORTS.parakeet}/health`)).status).toBe(200)
    // The preloaded model comes up after the simulated load time.
    const vllmStatus = () =>
      fetch(`http://${host}:${SIM_FIXED_PORTS.vllm}/v1/models`).then(
        (r) => r.status,
        () => 0,
      )
    await expect.poll(vllmStatus, { timeout: 30_000, interval: 250 }).toBe(200)

    const exited = new Promise<number | null>((resolve) => sim.once('exit', resolve))
    sim.kill('SIGTERM')
    expect(await exited).toBe(0)
  }, 60_000)
})
