import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { hashKey } from '../shared/auth/keys.ts'
import { runApiKeys } from './api-keys.ts'
import { REPO_ROOT } from './stack/launch.ts'

let dir = ''
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runApiKeys(argv, {
    env: { DATA_DIR: dir },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  })
  return { code, out, err }
}

describe('tools/api-keys.ts', () => {
  it('adds a key (printed once, stored hashed, owner-only), lists and revokes it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sc-cli-'))
    const added = await cli('add', 'crm-app', '--scopes', 'chat,search')
    expect(added.code).toBe(0)
    const key = added.out[0]!
    expect(key).toMatch(/^sc_/)
    const file = join(dir, 'api-keys.json')
    const text = await readFile(file, 'utf8')
    expect(text).not.toContain(key)
    expect(JSON.parse(text)).toMatchObject([
      { name: 'crm-app', hash: hashKey(key), scopes: ['chat', 'search'] },
    ])
    expect((await stat(file)).mode & 0o777).toBe(0o600)

    const listed = await cli('list')
    expect(listed.out).toHaveLength(1)
    expect(listed.out[0]).toMatch(/^crm-app\tchat,search\t\S+\tsha256:[0-9a-f]{8}…$/)
    expect(listed.out.join('\n')).not.toContain(key)

    expect((await cli('add', 'crm-app', '--scopes', 'chat')).code).toBe(1)
    expect((await cli('add', 'x', '--scopes', 'root')).err[0]).toMatch(/not root/)
    expect((await cli('add', 'a b', '--scopes', 'chat')).code).toBe(1)
    expect((await cli('revoke', 'crm-app')).code).toBe(0)
    expect((await cli('revoke', 'crm-app')).code).toBe(1)
    expect((await cli('list')).out).toEqual([`no keys in ${file}`])
    expect((await cli('frobnicate')).code).toBe(2)
  })

  it('runs without npm: node --import tsx tools/api-keys.ts', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sc-cli-'))
    const file = join(dir, 'k.json')
    const run = promisify(execFile)
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'tools/api-keys.ts', 'add', 'ops', '--scopes', 'admin', '--file', file],
      { cwd: REPO_ROOT },
    )
    expect(stdout.trim()).toMatch(/^sc_[A-Za-z0-9_-]{43}$/)
    const listed = await run(
      process.execPath,
      ['--import', 'tsx', 'tools/api-keys.ts', 'list', '--file', file],
      { cwd: REPO_ROOT },
    )
    expect(listed.stdout).toMatch(/^ops\tadmin\t/)
  }, 20_000)
})
