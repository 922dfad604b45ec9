/**
 * Manage the gateway's API keys (docs/SECURITY.md). No npm script needed:
 *
 *   node --import tsx tools/api-keys.ts add <name> --scopes chat,admin
 *   node --import tsx tools/api-keys.ts list
 *   node --import tsx tools/api-keys.ts revoke <name>
 *
 * The file is `--file <path>`, else `API_KEYS_FILE`, else `api-keys.json` in `DATA_DIR` (./.data) —
 * the same rule the gateway follows. A new key is printed once, on stdout, and stored only as its
 * SHA-256 digest; lose it and you add another. The gateway picks up changes within seconds.
 */
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { pathToFileURL } from 'node:url'
import { generateKey, hashHint, hashKey, isScope, SCOPES, type Scope } from '../shared/auth/keys.ts'
import { KEY_NAME_MAX, keysFilePath, readKeyFile, writeKeyFile } from '../shared/auth/store.ts'
import { isSafeName, safeNameRule } from '../shared/names.ts'

export interface CliIo {
  env: Record<string, string | undefined>
  out: (line: string) => void
  err: (line: string) => void
  now?: () => Date
}

const USAGE = `usage: api-keys.ts <add <name> --scopes ${SCOPES.join(',')} | list | revoke <name>> [--file <path>]`

/** Runs one command; returns the process exit code (0 ok, 1 refused, 2 usage). */
export async function runApiKeys(argv: string[], io: CliIo): Promise<number> {
  const args = [...argv]
  const option = (name: string) => {
    const i = args.indexOf(name)
    if (i === -1) return undefined
    const [, value] = args.splice(i, 2)
    return value
  }
  const fileArg = option('--file')
  const scopesArg = option('--scopes')
  const [command, name, ...rest] = args
  const blank = (v: string | undefined) => (v?.trim() ? v.trim() : undefined)
  const file =
    fileArg ??
    keysFilePath({
      API_KEYS_FILE: blank(io.env.API_KEYS_FILE),
      DATA_DIR: blank(io.env.DATA_DIR) ?? './.data',
    })
  if (rest.length > 0 || !command) return usage(io)
  const records = await readKeyFile(file)

  if (command === 'list' && name === undefined) {
    if (records.length === 0) io.out(`no keys in ${file}`)
    for (const r of records) io.out(`${r.name}\t${r.scopes.join(',')}\t${r.created_at}\t${hashHint(r.hash)}…`)
    return 0
  }
  if (command === 'add' && name !== undefined) {
    if (!isSafeName(name, KEY_NAME_MAX))
      return refuse(io, `bad name ${JSON.stringify(name)}: ${safeNameRule(KEY_NAME_MAX)}`)
    if (records.some((r) => r.name === name)) return refuse(io, `a key named ${name} exists; revoke it first`)
    const scopes = (scopesArg ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)
    const bad = scopes.filter((s) => !isScope(s))
    if (scopes.length === 0 || bad.length)
      return refuse(
        io,
        `--scopes: one or more of ${SCOPES.join(', ')}${bad.length ? ` (not ${bad.join(', ')})` : ''}`,
      )
    const key = generateKey()
    const created = (io.now?.() ?? new Date()).toISOString()
    await mkdir(dirname(file), { recursive: true })
    await writeKeyFile(file, [
      ...records,
      { name, hash: hashKey(key), scopes: [...new Set(scopes)] as Scope[], created_at: created },
    ])
    io.err(`added ${name} (${scopes.join(',')}) to ${file}; the key is shown once:`)
    io.out(key)
    return 0
  }
  if (command === 'revoke' && name !== undefined) {
    const kept = records.filter((r) => r.name !== name)
    if (kept.length === records.length) return refuse(io, `no key named ${name} in ${file}`)
    await writeKeyFile(file, kept)
    io.err(`revoked ${name}`)
    return 0
  }
  return usage(io)
}

function usage(io: CliIo) {
  io.err(USAGE)
  return 2
}

function refuse(io: CliIo, why: string) {
  io.err(`api-keys: ${why}`)
  return 1
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // No top-level await: the StartOS package bundles this module as CommonJS, where one would
  // turn the whole bundle into a promise.
  void runApiKeys(process.argv.slice(2), {
    env: process.env,
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  })
    .catch((err: Error) => {
      console.error(`api-keys: ${err.message}`)
      return 1
    })
    .then((code) => process.exit(code))
}
