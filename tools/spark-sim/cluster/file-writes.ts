/**
 * `tee [-a] [--] FILE…`: stdin to stdout and to each file, as GNU coreutils does it. The SSH user
 * may write under its home (the eugr checkout, `recipes/` included) and /tmp; anywhere else is
 * `Permission denied`. What tee wrote is what `cat`, `ls`, `test -f` and run-recipe.sh see next.
 */
import { type CommandContext, resolvePath, type Session } from './shell-exec.ts'
import { lookup } from './vfs.ts'

const FILE_MAX_BYTES = 1024 * 1024

/** Why `abs` cannot be opened for writing (errno text), or null when it can. */
function writeProblem(session: Session, abs: string): string | null {
  const parent = abs.slice(0, abs.lastIndexOf('/')) || '/'
  const entry = lookup(session, abs)
  if (entry?.kind === 'dir') return 'Is a directory'
  if (lookup(session, parent)?.kind !== 'dir') return 'No such file or directory'
  const home = session.home
  const writable = abs.startsWith(`${home}/`) || abs.startsWith('/tmp/')
  return writable ? null : 'Permission denied'
}

/** The file's current text, for `-a` (a generated file counts: the copy then diverges from it). */
function currentText(session: Session, abs: string): string {
  const e = lookup(session, abs)
  return e?.kind === 'file' ? e.content() : ''
}

export async function tee(ctx: CommandContext): Promise<number> {
  let append = false
  const paths: string[] = []
  let options = true
  for (const a of ctx.argv.slice(1)) {
    if (options && a === '--') options = false
    else if (options && (a === '-a' || a === '--append')) append = true
    else if (options && (a === '-i' || a === '-p' || a === '--ignore-interrupts')) continue
    else if (options && a.startsWith('-') && a !== '-') {
      ctx.stderr(`tee: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'tee --help' for more information.\n`)
      return 1
    } else paths.push(a)
  }
  const { session } = ctx
  const files = session.node.files
  let status = 0
  const open: string[] = []
  for (const p of paths) {
    const abs = resolvePath(session, p)
    const problem = writeProblem(session, abs)
    if (problem) {
      ctx.stderr(`tee: ${p}: ${problem}\n`)
      status = 1
      continue
    }
    // Opening truncates (or keeps, with -a) before anything is read, as open(2) does.
    files.set(abs, append ? currentText(session, abs) : '')
    open.push(abs)
  }
  for await (const chunk of ctx.stdin) {
    ctx.stdout(chunk)
    for (const abs of open) {
      const prev = files.get(abs) ?? ''
      if (prev.length + chunk.length <= FILE_MAX_BYTES) files.set(abs, prev + chunk)
    }
  }
  return status
}
