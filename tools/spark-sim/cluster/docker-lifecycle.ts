/**
 * `docker start`, `docker restart` and `docker update` on a simulated node, with the Docker CLI's
 * messages and exit codes (125 for a flag the CLI refuses, 1 for what the daemon refuses).
 */
import { normalise, noSuch } from './docker-format.ts'
import type { SimContainer, SimRestartPolicy } from './node-state.ts'
import { restartService, startService } from './service-containers.ts'
import type { CommandContext } from './shell-exec.ts'

const badFlag = (ctx: CommandContext, sub: string, flag: string) => {
  ctx.stderr(`unknown flag: ${flag}\nSee 'docker ${sub} --help'.\n`)
  return 125
}

const needsArgument = (ctx: CommandContext, sub: string) => {
  ctx.stderr(`"docker ${sub}" requires at least 1 argument.\nSee 'docker ${sub} --help'.\n`)
  return 1
}

export async function start(ctx: CommandContext, raw: string[]): Promise<number> {
  const names: string[] = []
  for (const a of normalise(raw, new Set())) {
    if (a === '-a' || a === '--attach' || a === '-i' || a === '--interactive') continue
    if (a.startsWith('-')) return badFlag(ctx, 'start', a)
    names.push(a)
  }
  if (names.length === 0) return needsArgument(ctx, 'start')
  const failed: string[] = []
  for (const n of names) {
    const c = ctx.session.node.find(n)
    if (!c || c.status === 'removing') {
      ctx.stderr(noSuch(n))
      failed.push(n)
      continue
    }
    if (c.service) await startService(c)
    // eugr's `vllm_node` runs with --rm: once stopped it is gone, so only a running one gets here.
    ctx.stdout(`${n}\n`)
  }
  if (failed.length === 0) return 0
  ctx.stderr(`Error: failed to start containers: ${failed.join(', ')}\n`)
  return 1
}

export async function restart(ctx: CommandContext, raw: string[]): Promise<number> {
  const args = normalise(raw, new Set(['-t', '-s']))
  const names: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-t' || a === '--time' || a === '--timeout') {
      const value = args[++i] ?? ''
      if (!/^-?\d+$/.test(value)) {
        ctx.stderr(
          `invalid argument "${value}" for "-t, --timeout" flag: strconv.ParseInt: parsing "${value}": invalid syntax\n` +
            "See 'docker restart --help'.\n",
        )
        return 125
      }
    } else if (a === '-s' || a === '--signal') i++
    else if (a.startsWith('-')) return badFlag(ctx, 'restart', a)
    else names.push(a)
  }
  if (names.length === 0) return needsArgument(ctx, 'restart')
  const { node } = ctx.session
  let status = 0
  for (const n of names) {
    const c = node.find(n)
    if (!c || c.status === 'removing') {
      ctx.stderr(noSuch(n))
      status = 1
      continue
    }
    if (node.stopRefusal) {
      ctx.stdout(`${n}\n`)
      continue
    }
    if (!c.service) {
      ctx.stderr(`spark-sim: docker restart of ${n} is not simulated (only service containers)\n`)
      status = 1
      continue
    }
    await restartService(c)
    ctx.stdout(`${n}\n`)
  }
  return status
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }

/** Docker's RAMInBytes for the units `docker update` documents (b, k, m, g; binary multiples). */
export function ramInBytes(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s?([bkmg])?(?:i?b)?$/i.exec(text.trim())
  if (!m) return null
  const unit = UNITS[(m[2] ?? '').toLowerCase()]
  return unit === undefined ? null : Math.floor(Number(m[1]) * unit)
}

interface UpdateFlags {
  memory?: number
  memorySwap?: number
  restart?: { name: SimRestartPolicy; max: number }
}

const POLICIES: readonly string[] = ['no', 'on-failure', 'unless-stopped', 'always']
const MIN_MEMORY = 6 * 1024 * 1024

function parseUpdateFlags(ctx: CommandContext, args: string[], names: string[]): UpdateFlags | number {
  const flags: UpdateFlags = {}
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-m' || a === '--memory' || a === '--memory-swap') {
      const value = args[++i] ?? ''
      const bytes = a === '--memory-swap' && value === '-1' ? -1 : ramInBytes(value)
      if (bytes === null) {
        const flag = a === '--memory-swap' ? '--memory-swap' : '-m, --memory'
        ctx.stderr(
          `invalid argument "${value}" for "${flag}" flag: invalid size: '${value}'\nSee 'docker update --help'.\n`,
        )
        return 125
      }
      if (a === '--memory-swap') flags.memorySwap = bytes
      else flags.memory = bytes
    } else if (a === '--restart') {
      const [name = '', count] = (args[++i] ?? '').split(':')
      flags.restart = { name: name as SimRestartPolicy, max: count === undefined ? 0 : Number(count) }
    } else if (a.startsWith('-')) return badFlag(ctx, 'update', a)
    else names.push(a)
  }
  return flags
}

/** What the daemon says about an update, or null when it takes it. */
function refusal(c: SimContainer, f: UpdateFlags): string | null {
  if (f.restart && !POLICIES.includes(f.restart.name))
    return `invalid restart policy: unknown policy '${f.restart.name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'`
  if (f.restart && f.restart.max !== 0 && f.restart.name !== 'on-failure')
    return "invalid restart policy: maximum retry count can only be used with 'on-failure'"
  if (f.memory !== undefined && f.memory > 0 && f.memory < MIN_MEMORY)
    return 'Minimum memory limit allowed is 6MB'
  const memory = f.memory ?? c.memoryLimit
  if (f.memorySwap !== undefined && f.memorySwap > 0 && f.memorySwap < memory)
    return 'Minimum memoryswap limit should be larger than memory limit, see usage'
  // The daemon's own check: a new memory limit above the swap limit in force (0 on a container run
  // without one) needs the swap limit in the same update.
  if (f.memory !== undefined && f.memorySwap === undefined && f.memory > c.memorySwap)
    return 'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time'
  return null
}

export function update(ctx: CommandContext, raw: string[]): number {
  const names: string[] = []
  const flags = parseUpdateFlags(ctx, normalise(raw, new Set(['-m'])), names)
  if (typeof flags === 'number') return flags
  if (names.length === 0) return needsArgument(ctx, 'update')
  if (Object.keys(flags).length === 0) {
    ctx.stderr('you must provide one or more flags when using this command\n')
    return 1
  }
  const { node } = ctx.session
  let status = 0
  for (const n of names) {
    const c = node.find(n)
    if (!c || c.status === 'removing') {
      ctx.stderr(noSuch(n))
      status = 1
      continue
    }
    const refused = refusal(c, flags)
    if (refused) {
      ctx.stderr(`Error response from daemon: Cannot update container ${c.id}: ${refused}\n`)
      status = 1
      continue
    }
    if (!node.updateIgnored) {
      if (flags.memory !== undefined) c.memoryLimit = flags.memory
      if (flags.memorySwap !== undefined) c.memorySwap = flags.memorySwap
      if (flags.restart) c.restartPolicy = flags.restart.name
    }
    ctx.stdout(`${n}\n`)
  }
  return status
}
