/**
 * The only way a command reaches a remote shell: an argv array, every element single-quoted.
 *
 * OpenSSH hands the command string to the login shell (`$SHELL -c <string>`), so the string is
 * shell source. Inside single quotes POSIX shells interpret nothing at all — no `$`, backtick,
 * backslash, glob or newline handling — and the only character that cannot appear is `'` itself,
 * which is written as `'\''` (close, escaped quote, reopen). That makes the encoding total: any
 * string without NUL round-trips exactly. NUL cannot be passed in an exec argument at all, so it
 * is refused rather than silently truncated.
 *
 * The validators are the second wall: values that come from requests or recipes (container
 * names, model ids, paths, ports) must also match strict patterns, so a value that is quoted
 * correctly but means something else to the remote program (`--rm`, `../../etc`) is refused.
 */
import { type AppError, validationFailed } from '../errors.ts'
import { isSafeName, safeNameRule } from '../names.ts'
import { REMOTE_GRACE_MS, withRemoteDeadline } from './defaults.ts'

const invalid = (field: string, message: string): AppError => validationFailed([{ field, message }])

/** Quotes one argument for a POSIX shell. */
export function quoteArg(arg: string, field = 'argv'): string {
  if (typeof arg !== 'string') throw invalid(field, 'must be a string')
  if (arg.includes('\0')) throw invalid(field, 'must not contain a NUL byte')
  return `'${arg.replaceAll("'", `'\\''`)}'`
}

/** Turns an argv array into the command string sent over SSH; every element is quoted, argv[0] too. */
export function buildCommand(argv: readonly string[]): string {
  if (!Array.isArray(argv) || argv.length === 0) throw invalid('argv', 'must hold at least the program name')
  if (argv[0] === '') throw invalid('argv.0', 'the program name must not be empty')
  return argv.map((arg, i) => quoteArg(arg, `argv.${i}`)).join(' ')
}

/** One command as the client runs it: the argv, and the caller's whole budget (null: no remote deadline). */
export interface WireStep {
  argv: readonly string[]
  deadlineMs: number | null
}

/**
 * The exact string the SSH client sends for a command: with a deadline, wrapped in the remote
 * `timeout` that fires `REMOTE_GRACE_MS` after it (see withRemoteDeadline). The client and the swap
 * dry run both call this, so a dry run shows byte for byte what will run.
 */
export function wireCommand({ argv, deadlineMs }: WireStep): string {
  // Quoting the caller's argv alone first keeps validation errors pointing at its own indices.
  const plain = buildCommand(argv)
  return deadlineMs === null ? plain : buildCommand(withRemoteDeadline(argv, deadlineMs + REMOTE_GRACE_MS))
}

/**
 * Runs `argv` inside `dir` without any string pasting: the directory and the arguments reach
 * `sh` as positional parameters of a constant script. Needed for eugr's `./run-recipe.sh`,
 * which must be started from its checkout.
 */
export function inDirectory(dir: string, argv: readonly string[]): string[] {
  assertAbsolutePath(dir, 'dir')
  if (argv.length === 0) throw invalid('argv', 'must hold at least the program name')
  return ['sh', '-c', 'cd -- "$1" && shift && exec "$@"', 'sh', dir, ...argv]
}

/** One Hugging Face path segment: no leading/trailing `.`/`-`, which HF itself refuses too. */
const HF_SEGMENT = '[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9])?'
const MODEL_ID = new RegExp(`^${HF_SEGMENT}/${HF_SEGMENT}$`)
const PATH_CHARS = /^[A-Za-z0-9_.,:@+=/-]+$/
const MAX_PATH = 4096

/** Container names, recipe names, node names: the safe name of shared/names.ts (never an option). */
export function assertSafeName(value: unknown, field = 'name'): string {
  if (!isSafeName(value)) throw invalid(field, `must be ${safeNameRule()}`)
  return value
}

/** A Hugging Face model id `org/name`. `..` and `--` are refused: both mean something in cache paths. */
export function assertModelId(value: unknown, field = 'model'): string {
  if (typeof value !== 'string' || !MODEL_ID.test(value) || value.includes('..') || value.includes('--'))
    throw invalid(field, 'must be a Hugging Face model id `org/name` (letters, digits, `_`, `.`, `-`)')
  return value
}

/** Why `value` is not an acceptable absolute path, or null when it is. */
export function absolutePathProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string'
  if (value.length > MAX_PATH) return `must be at most ${MAX_PATH} characters`
  if (!value.startsWith('/')) return 'must be an absolute path (start with `/`)'
  if (!PATH_CHARS.test(value)) return 'may only contain letters, digits and `_ . , : @ + = / -`'
  const segments = value.split('/').slice(1)
  if (segments.some((s, i) => s === '' && i < segments.length - 1)) return 'must not contain `//`'
  if (segments.some((s) => s === '..' || s === '.')) return 'must not contain `.` or `..` segments'
  return null
}

/** Top-level directories that hold the system, never a model: a bind mount of one would expose it. */
const SYSTEM_DIRS = new Set([
  'bin',
  'boot',
  'dev',
  'etc',
  'lib',
  'lib64',
  'proc',
  'root',
  'run',
  'sbin',
  'sys',
  'usr',
  'var',
])

/** A model's own folder on the Sparks: an absolute path as above, below `/`, not a system directory. */
export function modelFolderProblem(value: unknown): string | null {
  const problem = absolutePathProblem(value)
  if (problem) return problem
  const top = (value as string).split('/')[1] ?? ''
  if (top === '') return 'must be a model folder, not `/`'
  if (SYSTEM_DIRS.has(top)) return `must be a model folder, not under the system directory /${top}`
  return null
}

export function assertAbsolutePath(value: unknown, field = 'path'): string {
  const problem = absolutePathProblem(value)
  if (problem) throw invalid(field, problem)
  return value as string
}

/** A TCP port as a number or a decimal string; returns the number. */
export function assertPort(value: unknown, field = 'port'): number {
  const n = typeof value === 'string' && /^[0-9]{1,5}$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535)
    throw invalid(field, 'must be an integer port between 1 and 65535')
  return n
}
