/**
 * `POST /api/nim/install` (docs/COMPATIBILITY.md "Service tiles and NIM install"): confirmation or
 * dry run required, a boundary-checked body with `{"detail"}` errors, and on the demo a real
 * install on the simulated worker with the NGC key only on stdin.
 */
import { describe, expect, it } from 'vitest'
import { NimInstallAnswer } from '../../shared/contracts/swap-controller.ts'
import { compatTarget } from './target.ts'

const NGC_KEY = 'nvapi-compat-demo-key'
const target = compatTarget('nim', { NGC_API_KEY: NGC_KEY })
const IMAGE = 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4'

const install = (body: unknown) =>
  fetch(target.url('/api/nim/install'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

describe('POST /api/nim/install', () => {
  it('refuses without confirm or dry_run: 428 {"detail": "…"}', async () => {
    const res = await install({ image: IMAGE })
    expect(res.status).toBe(428)
    expect((await res.json()).detail).toMatch(/"confirm": true/)
  })

  it('answers a dry run with the commands, the key redacted', async () => {
    const res = await install({ image: IMAGE, port: 8010, dry_run: true })
    expect(res.status).toBe(200)
    const body = NimInstallAnswer.parse(await res.json())
    expect(body).toMatchObject({ dry_run: true, installed: false, name: 'llama-3.1-8b-instruct', port: 8010 })
    expect(body.commands.map((c) => c.argv.slice(0, 2))).toEqual([
      ['docker', 'login'],
      ['docker', 'pull'],
      ['docker', 'run'],
    ])
    expect(body.commands[0]?.display).toContain('[NGC_API_KEY redacted]')
    expect(JSON.stringify(body)).not.toContain(NGC_KEY)
  })

  it.each([
    ['an image from elsewhere', { image: 'docker.io/library/ubuntu:24.04' }],
    ['an image with a shell word', { image: `${IMAGE};reboot` }],
    ['a name with $(…)', { image: IMAGE, name: '$(reboot)' }],
    ['a name with a space', { image: IMAGE, name: 'my nim' }],
    ['a port that is not a number', { image: IMAGE, port: '8000; reboot' }],
    ['an env key in lower case', { image: IMAGE, env: { path: '/x' } }],
    ['an env value with a line break', { image: IMAGE, env: { A: 'x\nB=y' } }],
  ])('refuses %s with 422 {"detail": [...]}', async (_what, body) => {
    const res = await install({ ...body, dry_run: true })
    expect(res.status).toBe(422)
    expect(Array.isArray((await res.json()).detail)).toBe(true)
  })

  it.runIf(!process.env.COMPAT_BASE_URL)(
    'installs on the simulated worker: login with the key on stdin, pull, run; the key in no command line',
    async () => {
      const worker = target.demo!.demo().sim.nodes.node('spark-2')
      const before = worker.commandLog.length
      const res = await install({ image: IMAGE, name: 'compat-nim', port: 8010, confirm: true })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({
        installed: true,
        node: 'spark-2',
        name: 'compat-nim',
        container_id: expect.stringMatching(/^[0-9a-f]{64}$/),
      })
      expect(worker.containers().find((c) => c.name === 'compat-nim')).toMatchObject({
        image: IMAGE,
        status: 'running',
        restartPolicy: 'unless-stopped',
      })
      const lines = worker.commandLog.slice(before).map((c) => c.line)
      expect(lines.some((l) => l.includes("'login'"))).toBe(true)
      expect(lines.join('\n')).not.toContain(NGC_KEY)
    },
  )
})
