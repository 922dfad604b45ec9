/**
 * The names a client or a config file gives us that end up in a remote command line, a container
 * name or a file name: recipe keys, model keys, node names, container names, API key names. There
 * is one rule, the one `assertSafeName` (shared/ssh/quote.ts) enforces before a command is built,
 * so whatever a route, config or domain schema lets in is also what the SSH layer accepts: a letter
 * or digit first (so never an option such as `-rm`, nor `.` or `..`), then letters, digits and
 * `_ . -`; at most 128 characters, or fewer where a caller asks (API key names: 64).
 *
 * Patterns that differ on purpose are defined once each beside what they describe, and say why:
 * served model names (`/` and `:` allowed, domain/catalog/schema.ts), schedule entry ids (`:`
 * allowed, domain/coordination/schedule.ts), Hugging Face ids (quote.ts) and Unix user names below.
 */
// zod as extended by @hono/zod-openapi: routes document these schemas (`.openapi(...)`), and zod 4
// gives that method only to schemas built after the extension is loaded, whatever imports first.
import { z } from '@hono/zod-openapi'

export const SAFE_NAME_MAX = 128

const safeNamePattern = (max: number) => new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,${max - 1}}$`)

/** The safe name of the default length; `isSafeName` and `safeName` for any other. */
export const SAFE_NAME = safeNamePattern(SAFE_NAME_MAX)

/** The rule in words, for error messages. */
export const safeNameRule = (max = SAFE_NAME_MAX): string =>
  `1-${max} letters, digits, \`_ . -\`, starting with a letter or digit`

export function isSafeName(value: unknown, max = SAFE_NAME_MAX): value is string {
  return typeof value === 'string' && value.length <= max && SAFE_NAME.test(value)
}

export interface SafeNameOptions {
  /** At most this many characters (default 128). */
  max?: number
  /** Trim surrounding blanks before checking (environment values; request bodies are not trimmed). */
  trim?: boolean
}

/** A zod string schema for a safe name; `what` names it in the 422 message ("must be a recipe key: …"). */
export function safeName(what?: string, { max = SAFE_NAME_MAX, trim = false }: SafeNameOptions = {}) {
  const message = `must be ${what ? `${what}: ` : ''}${safeNameRule(max)}`
  return (trim ? z.string().trim() : z.string()).regex(safeNamePattern(max), message)
}

/**
 * A Unix login name (`SPARK1_USER`, a node's `user`). Not a safe name: system accounts may start
 * with `_`, and useradd allows at most 32 characters. It is passed to ssh as the login, never to a
 * shell.
 */
export const UNIX_USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/
