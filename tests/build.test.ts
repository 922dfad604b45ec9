/**
 * The production build (what the container image runs): `scripts/build.sh` compiles,
 * and the compiled gateway starts and serves its API and the dashboard with its static assets.
 */
import { spawn, spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../tools/stack/launch.ts'
import { freePort, waitForHealth } from '../tools/stack/ports.ts'

const outDir = `${REPO_ROOT}.data/build-test`
let child: ReturnType<typeof spawn> | undefined

afterAll(() => {
  child?.kill('SIGKILL')
  rmSync(outDir, { recursive: true, force: true })
})

describe('production build', () => {
  it('compiles and the compiled gateway serves the API and the dashboard', async () => {
    rmSync(outDir, { recursive: true, force: true })
    const build = spawnSync('bash', ['scripts/build.sh', outDir], { cwd: REPO_ROOT, encoding: 'utf8' })
    expect(build.status, build.stdout + build.stderr).toBe(0)

    const port = await freePort()
    child = spawn(process.execPath, [`${outDir}/services/gateway/main.js`], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    })
    const url = `http://127.0.0.1:${port}`
    await waitForHealth(url, 20_000, () => child?.exitCode === null)
    const page = await fetch(`${url}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Spark Control')
    const htmx = await fetch(`${url}/static/htmx.min.js`)
    expect(htmx.status).toBe(200)
    expect((await fetch(`${url}/static/style.css`)).status).toBe(200)
    expect((await fetch(`${url}/api/status`)).status).toBe(200)
  }, 90_000)
})
