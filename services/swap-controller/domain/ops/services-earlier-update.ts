/**
 * A custom tile's Update (earlier v0.21): `git pull` in the tile's checkout on its node, then a
 * compose rebuild there. Both are argv run inside the directory through `inDirectory` (the path
 * reaches `sh` as a positional parameter, never pasted into a script); the directory is checked
 * first. A fast-forward-only pull never leaves a merge half done on the node.
 */
import type { OpsCommand } from '../../../../shared/contracts/swap-controller.ts'
import { conflict } from '../../../../shared/errors.ts'
import { absolutePathProblem, buildCommand, inDirectory } from '../../../../shared/ssh/quote.ts'
import { resolveDockerDir } from '../inventory.ts'

export interface UpdateStep {
  command: OpsCommand
  purpose: string
  timeoutMs: number
}

export const GIT_PULL_TIMEOUT_MS = 120_000
/** A compose rebuild compiles images; the bot containers the earlier tiles ran took minutes. */
export const COMPOSE_BUILD_TIMEOUT_MS = 1_800_000

export const opsCommand = (node: string, argv: string[]): OpsCommand => ({
  node,
  argv,
  display: buildCommand(argv),
})

/**
 * The checkout as an absolute path (`~/x` resolved for the node's SSH user), or a 409 naming what
 * is wrong with the setting: it comes from configuration, so the request itself was fine.
 */
export function updateDirectory(service: string, setting: string, user: string | null): string {
  const dir = resolveDockerDir(setting, user)
  const problem = dir === null ? 'its node has no SSH user to resolve `~` for' : absolutePathProblem(dir)
  if (problem) throw conflict(`${service} cannot be updated: its update_dir ${problem}.`)
  return dir as string
}

export function planUpdate(node: string, dir: string): UpdateStep[] {
  return [
    {
      command: opsCommand(node, inDirectory(dir, ['git', 'pull', '--ff-only'])),
      purpose: 'git pull',
      timeoutMs: GIT_PULL_TIMEOUT_MS,
    },
    {
      command: opsCommand(node, inDirectory(dir, ['docker', 'compose', 'up', '-d', '--build'])),
      purpose: 'compose rebuild',
      timeoutMs: COMPOSE_BUILD_TIMEOUT_MS,
    },
  ]
}

/** The last lines of a step's output, for the answer: enough to see what git and compose said. */
export function tailLines(text: string, max = 20): string[] {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  return lines.slice(-max)
}
