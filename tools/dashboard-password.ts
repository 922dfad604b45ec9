/**
 * Set or remove the owner's dashboard password (docs/SECURITY.md). No npm script needed:
 *
 *   node --import tsx tools/dashboard-password.ts set      # asks twice, or reads one line from stdin
 *   node --import tsx tools/dashboard-password.ts clear    # login off again
 *   node --import tsx tools/dashboard-password.ts status
 *
 * The file is `--file <path>`, else `dashboard-password` in `DATA_DIR` (./.data), where the gateway
 * reads it at start (restart it after a change; `DASHBOARD_PASSWORD`, when set, wins over the file).
 * Only the scrypt hash is written, owner-only; the password itself is never printed or logged.
 */
import { mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { passwordFilePath, readPasswordHash, writePasswordHash } from '../shared/auth/password-file.ts'

export interface PasswordCliIo {
  env: Record<string, string | undefined>
  /** Reads the password: from a terminal without echo, else one line of stdin. */
  ask: (prompt: string) => Promise<string>
  out: (line: string) => void
  err: (line: string) => void
}

const USAGE = 'usage: dashboard-password.ts <set | clear | status> [--file <path>]'
/** Short passwords fall to guessing despite the lockout and the slow hash. */
export const PASSWORD_MIN_CHARS = 10
export const PASSWORD_MAX_CHARS = 1024

/** Why `password` cannot be the dashboard password, or null when it can. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_CHARS)
    return `the password needs at least ${PASSWORD_MIN_CHARS} characters`
  if (password.length > PASSWORD_MAX_CHARS)
    return `the password is longer than ${PASSWORD_MAX_CHARS} characters`
  return null
}

/** Writes the hash of `password` to `file` (the StartOS action calls this too); throws when it is refused. */
export async function setDashboardPassword(file: string, password: string): Promise<void> {
  const problem = passwordProblem(password)
  if (problem) throw new Error(problem)
  await mkdir(dirname(file), { recursive: true })
  await writePasswordHash(file, password)
}

/** Removes the password file: after a restart the dashboard needs no login. */
export async function clearDashboardPassword(file: string): Promise<void> {
  await rm(file, { force: true })
}

export async function runDashboardPassword(argv: string[], io: PasswordCliIo): Promise<number> {
  const args = [...argv]
  const at = args.indexOf('--file')
  const fileArg = at === -1 ? undefined : args.splice(at, 2)[1]
  const [command, ...rest] = args
  if (rest.length || (at !== -1 && !fileArg)) return usage(io)
  const file = fileArg ?? passwordFilePath(io.env.DATA_DIR?.trim() || './.data')
  switch (command) {
    case 'set': {
      const password = await io.ask('New dashboard password: ')
      const problem = passwordProblem(password)
      if (problem) return refuse(io, problem)
      await setDashboardPassword(file, password)
      io.out(`Password set (hash in ${file}). Restart the gateway for it to take effect.`)
      return 0
    }
    case 'clear':
      await clearDashboardPassword(file)
      io.out(`Password removed (${file}). After a restart the dashboard needs no login.`)
      return 0
    case 'status':
      io.out(
        (await readPasswordHash(file)) ? `A password is set (${file}).` : `No password is set (${file}).`,
      )
      return 0
    default:
      return usage(io)
  }
}

function usage(io: PasswordCliIo) {
  io.err(USAGE)
  return 2
}

function refuse(io: PasswordCliIo, why: string) {
  io.err(`dashboard-password: ${why}`)
  return 1
}

/** One line from stdin; on a terminal the typed characters are not echoed. */
function askHidden(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY })
  if (process.stdin.isTTY) {
    process.stderr.write(prompt)
    // Echo nothing of what is typed (readline writes through this hook).
    ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {}
  }
  return new Promise((resolve) => {
    let answered = false
    rl.once('line', (line) => {
      answered = true
      if (process.stdin.isTTY) process.stderr.write('\n')
      rl.close()
      resolve(line.replace(/\r$/, ''))
    })
    rl.once('close', () => {
      if (!answered) resolve('')
    })
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // No top-level await: the StartOS package bundles this module as CommonJS, where one would
  // turn the whole bundle into a promise.
  void runDashboardPassword(process.argv.slice(2), {
    env: process.env,
    ask: askHidden,
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  })
    .catch((err: Error) => {
      console.error(`dashboard-password: ${err.message}`)
      return 1
    })
    .then((code) => process.exit(code))
}
