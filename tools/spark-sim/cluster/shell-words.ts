/**
 * A POSIX-shell tokenizer for the command lines an SSH `exec` request carries: words, single and
 * double quotes, backslash escapes, comments, `&&` `||` `;` `|` `&` and newlines, redirections
 * (`>`, `>>`, `<`, `2>&1`, `>&2`, `&>`), tilde at word start and leading `NAME=value` assignments.
 *
 * Deliberately NOT a shell: `$VAR`, `$(...)`, backticks, globs, `(`/`)` and `{`/`}` are kept as literal
 * text. The controller must quote everything it sends; a hostile argument therefore reaches the
 * command as the literal string it was, which is what the simulator's tests check.
 */

export type Redirect =
  | { fd: number; op: '>' | '>>'; path: string }
  | { fd: number; op: '<'; path: string }
  | { fd: number; op: '>&'; toFd: number }

export interface SimpleCommand {
  assigns: Record<string, string>
  argv: string[]
  redirects: Redirect[]
}

export type Connector = '&&' | '||' | ';' | '&'

export interface Pipeline {
  commands: SimpleCommand[]
}

/** A list: `pipelines[i]` runs, then `connectors[i]` decides about `pipelines[i + 1]`. */
export interface CommandList {
  pipelines: Pipeline[]
  /** connectors[i] follows pipelines[i]; `&` means pipelines[i] runs in the background. */
  connectors: Connector[]
}

export class ShellSyntaxError extends Error {}

type Token =
  | { t: 'word'; value: string; assignable: boolean }
  | { t: 'op'; value: '&&' | '||' | ';' | '&' | '|'; nl?: boolean }
  | { t: 'redir'; fd: number; op: '>' | '>>' | '<'; path?: string; toFd?: number; both?: boolean }

interface WordBuilder {
  value: string
  started: boolean
  /** Index of the first quoted/escaped character: an assignment's `=` must come before it. */
  firstQuoted: number
}

export function tokenize(input: string, home: string): Token[] {
  const tokens: Token[] = []
  let w: WordBuilder = { value: '', started: false, firstQuoted: -1 }
  const markQuoted = () => {
    if (w.firstQuoted < 0) w.firstQuoted = w.value.length
    w.started = true
  }
  const flush = () => {
    if (!w.started) return
    const eq = w.value.indexOf('=')
    const assignable = /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value) && (w.firstQuoted < 0 || eq < w.firstQuoted)
    tokens.push({ t: 'word', value: w.value, assignable })
    w = { value: '', started: false, firstQuoted: -1 }
  }
  let i = 0
  while (i < input.length) {
    const c = input[i] as string
    const next = input[i + 1]
    if (c === ' ' || c === '\t') {
      flush()
      i++
    } else if (c === '\n') {
      flush()
      tokens.push({ t: 'op', value: ';', nl: true })
      i++
    } else if (c === '#' && !w.started) {
      while (i < input.length && input[i] !== '\n') i++
    } else if (c === "'") {
      markQuoted()
      const end = input.indexOf("'", i + 1)
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''")
      w.value += input.slice(i + 1, end)
      i = end + 1
    } else if (c === '"') {
      markQuoted()
      i++
      for (;;) {
        if (i >= input.length) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'')
        const d = input[i] as string
        if (d === '"') break
        if (d === '\\' && i + 1 < input.length && '$`"\\\n'.includes(input[i + 1] as string)) {
          if (input[i + 1] !== '\n') w.value += input[i + 1]
          i += 2
          continue
        }
        w.value += d
        i++
      }
      i++
    } else if (c === '\\') {
      if (next === undefined) {
        w.value += '\\'
        w.started = true
        i++
      } else if (next === '\n') {
        i += 2
      } else {
        markQuoted()
        w.value += next
        i += 2
      }
    } else if (
      c === '~' &&
      !w.started &&
      (next === undefined || next === '/' || ' \t\n;&|<>'.includes(next))
    ) {
      w.value += home
      w.started = true
      i++
    } else if ((c === '&' && next === '&') || (c === '|' && next === '|')) {
      flush()
      tokens.push({ t: 'op', value: c === '&' ? '&&' : '||' })
      i += 2
    } else if (c === '&' && next === '>') {
      flush()
      const append = input[i + 2] === '>'
      tokens.push({ t: 'redir', fd: 1, op: append ? '>>' : '>', both: true })
      i += append ? 3 : 2
    } else if (c === ';' || c === '&' || c === '|') {
      if (c === ';' && next === ';') throw new ShellSyntaxError("syntax error near unexpected token `;;'")
      flush()
      tokens.push({ t: 'op', value: c })
      i++
    } else if (c === '>' || c === '<') {
      // `2>`: a word made only of unquoted digits right before the operator is the fd number.
      let fd = c === '>' ? 1 : 0
      if (w.started && w.firstQuoted < 0 && /^\d+$/.test(w.value)) {
        fd = Number(w.value)
        w = { value: '', started: false, firstQuoted: -1 }
      } else flush()
      i++
      if (c === '>' && input[i] === '>') {
        tokens.push({ t: 'redir', fd, op: '>>' })
        i++
      } else if (input[i] === '&') {
        const m = /^(\d+|-)/.exec(input.slice(i + 1))
        if (!m) throw new ShellSyntaxError(`syntax error near unexpected token \`${c}&'`)
        tokens.push({ t: 'redir', fd, op: c === '>' ? '>' : '<', toFd: m[1] === '-' ? -1 : Number(m[1]) })
        i += 1 + (m[1] as string).length
      } else {
        tokens.push({ t: 'redir', fd, op: c })
      }
    } else {
      w.value += c
      w.started = true
      i++
    }
  }
  flush()
  return tokens
}

/** Parses a full `exec` command line into a list of pipelines. */
export function parseCommandLine(input: string, home = '~'): CommandList {
  const tokens = tokenize(input, home)
  const list: CommandList = { pipelines: [], connectors: [] }
  let pipeline: Pipeline = { commands: [] }
  let cmd: SimpleCommand = { assigns: {}, argv: [], redirects: [] }
  const cmdEmpty = () =>
    cmd.argv.length === 0 && cmd.redirects.length === 0 && Object.keys(cmd.assigns).length === 0
  const endCommand = (op: string) => {
    if (cmdEmpty()) throw new ShellSyntaxError(`syntax error near unexpected token \`${op}'`)
    pipeline.commands.push(cmd)
    cmd = { assigns: {}, argv: [], redirects: [] }
  }
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as Token
    if (tok.t === 'word') {
      if (tok.assignable && cmd.argv.length === 0) {
        const eq = tok.value.indexOf('=')
        cmd.assigns[tok.value.slice(0, eq)] = tok.value.slice(eq + 1)
      } else cmd.argv.push(tok.value)
    } else if (tok.t === 'redir') {
      if (tok.toFd !== undefined) {
        if (tok.toFd >= 0) cmd.redirects.push({ fd: tok.fd, op: '>&', toFd: tok.toFd })
        continue
      }
      const target = tokens[i + 1]
      if (target?.t !== 'word') throw new ShellSyntaxError("syntax error near unexpected token `newline'")
      i++
      if (tok.op === '<') cmd.redirects.push({ fd: tok.fd, op: '<', path: target.value })
      else {
        cmd.redirects.push({ fd: tok.fd, op: tok.op, path: target.value })
        if (tok.both) cmd.redirects.push({ fd: 2, op: '>&', toFd: 1 })
      }
    } else if (tok.value === '|') {
      endCommand('|')
    } else {
      if (cmdEmpty() && pipeline.commands.length === 0) {
        // Blank lines are fine; a separator with nothing before it is not (`; a`, `a && && b`).
        if (tok.nl) continue
        throw new ShellSyntaxError(`syntax error near unexpected token \`${tok.value}'`)
      }
      endCommand(tok.value)
      list.pipelines.push(pipeline)
      list.connectors.push(tok.value as Connector)
      pipeline = { commands: [] }
    }
  }
  if (!cmdEmpty()) pipeline.commands.push(cmd)
  else if (pipeline.commands.length > 0) throw new ShellSyntaxError('syntax error: unexpected end of file')
  if (pipeline.commands.length > 0) list.pipelines.push(pipeline)
  else {
    const last = list.connectors.at(-1)
    if (last === '&&' || last === '||') throw new ShellSyntaxError('syntax error: unexpected end of file')
  }
  return list
}
