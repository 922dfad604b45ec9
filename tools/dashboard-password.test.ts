import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { verifyPassword } from '../shared/auth/password.ts'
import { runDashboardPassword } from './dashboard-password.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

async function cli(argv: string[], answer = '') {
  const dir = await mkdtemp(join(tmpdir(), 'dashboard-password-'))
  dirs.push(dir)
  const out: string[] = []
  const err: string[] = []
  const io = {
    env: { DATA_DIR: dir },
    ask: async () => answer,
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
  }
  return {
    dir,
    out,
    err,
    run: (args = argv, a = answer) => runDashboardPassword(args, { ...io, ask: async () => a }),
  }
}

describe('tools/dashboard-password.ts', () => {
  it('set writes only a hash of the password, owner-only; status and clear follow it', async () => {
    const t = await cli(['set'], 'a long enough password')
    expect(await t.run()).toBe(0)
    const file = join(t.dir, 'dashboard-password')
    const stored = (await readFile(file, 'utf8')).trim()
    expect(stored).not.toContain('a long enough password')
    expect(await verifyPassword('a long enough password', stored)).toBe(true)
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    expect(t.out.join('\n')).not.toContain('a long enough password')
    expect(await t.run(['status'])).toBe(0)
    expect(t.out.at(-1)).toMatch(/^A password is set/)
    expect(await t.run(['clear'])).toBe(0)
    expect(await t.run(['status'])).toBe(0)
    expect(t.out.at(-1)).toMatch(/^No password is set/)
  })

  it('refuses a short password and a bad command, writing nothing', async () => {
    const t = await cli(['set'], 'short')
    expect(await t.run()).toBe(1)
    expect(t.err[0]).toMatch(/at least 10 characters/)
    expect(await t.run(['nope'])).toBe(2)
    expect(await t.run(['status'])).toBe(0)
    expect(t.out.at(-1)).toMatch(/^No password is set/)
  })
})
