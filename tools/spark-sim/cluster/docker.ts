/**
 * `docker` on a simulated node: ps, inspect, logs (incl. `-f`), stop, kill, rm, exec (the few
 * commands eugr runs inside `vllm_node`), start/restart/update (docker-lifecycle.ts), stats
 * (docker-stats.ts), images and version. Messages follow the Docker CLI.
 */

import { inspectObject, normalise, noSuch, renderPs, renderTemplate, TemplateError } from './docker-format.ts'
import { hasImage, imageCommand, inspectImages, listImages } from './docker-images.ts'
import { restart, start, update } from './docker-lifecycle.ts'
import { logs } from './docker-logs.ts'
import { login, pull, run } from './docker-nim.ts'
import { stats } from './docker-stats.ts'
import type { SimContainer } from './node-state.ts'
import type { CommandContext } from './shell-exec.ts'

export async function docker(ctx: CommandContext): Promise<number> {
  let [sub, ...rest] = ctx.argv.slice(1)
  if (sub === 'container' && rest[0] !== undefined) {
    const map: Record<string, string> = { ls: 'ps', list: 'ps', inspect: 'inspect-container' }
    sub = map[rest[0]] ?? rest[0]
    rest = rest.slice(1)
  }
  switch (sub) {
    case 'ps':
      return ps(ctx, rest)
    case 'inspect':
    case 'inspect-container':
      return inspect(ctx, rest, sub === 'inspect-container')
    case 'logs':
      return logs(ctx, rest)
    case 'stop':
    case 'kill':
    case 'rm':
      return stopKillRm(ctx, sub, rest)
    case 'exec':
      return exec(ctx, rest)
    case 'start':
      return start(ctx, rest)
    case 'restart':
      return restart(ctx, rest)
    case 'update':
      return update(ctx, rest)
    case 'stats':
      return stats(ctx, rest)
    case 'login':
    case 'pull':
    case 'run':
      return { login, pull, run }[sub](ctx, rest)
    case 'images':
      return listImages(ctx, rest, 'images')
    case 'image':
      return imageCommand(ctx, rest)
    case 'version':
      ctx.stdout(
        rest.includes('--format')
          ? '28.3.3\n'
          : 'Client: Docker Engine - Community\n Version:           28.3.3\n\nServer: Docker Engine - Community\n Engine:\n  Version:          28.3.3\n',
      )
      return 0
    case undefined:
      ctx.stdout('\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n')
      return 0
    default:
      ctx.stderr(`docker: unknown command: docker ${sub}\n\nRun 'docker --help' for more information\n`)
      return 1
  }
}

function matchesFilter(c: SimContainer, filter: string): boolean {
  const eq = filter.indexOf('=')
  const key = filter.slice(0, eq)
  const value = filter.slice(eq + 1)
  if (key === 'name') {
    try {
      return new RegExp(value).test(c.name)
    } catch {
      return c.name.includes(value)
    }
  }
  if (key === 'status') return (c.status === 'removing' ? 'removing' : c.status) === value
  if (key === 'id') return c.id.startsWith(value)
  if (key === 'ancestor') return c.image === value || c.image.startsWith(`${value}:`)
  return true
}

function ps(ctx: CommandContext, raw: string[]): number {
  const args = normalise(raw, new Set(['-f', '-n']))
  let all = false
  let quiet = false
  let noTrunc = false
  let format: string | undefined
  let last: number | undefined
  const filters: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-a' || a === '--all') all = true
    else if (a === '-q' || a === '--quiet') quiet = true
    else if (a === '--no-trunc') noTrunc = true
    else if (a === '-f' || a === '--filter') filters.push(args[++i] ?? '')
    else if (a === '--format') format = args[++i]
    else if (a === '-n' || a === '--last') last = Number(args[++i])
    else if (a === '-l' || a === '--latest') last = 1
    else if (a === '-s' || a === '--size') continue
    else {
      ctx.stderr(`unknown flag: ${a}\nSee 'docker ps --help'.\n`)
      return 125
    }
  }
  const bad = filters.find((f) => !/^(name|status|id|ancestor|label|network|health)=/.test(f))
  if (bad) {
    ctx.stderr(`Error response from daemon: invalid filter '${bad.split('=')[0]}'\n`)
    return 1
  }
  let list = [...ctx.session.node.containers.values()]
    .filter((c) => all || last !== undefined || c.status === 'running')
    .filter((c) => filters.every((f) => matchesFilter(c, f)))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
  if (last !== undefined) list = list.slice(0, last)
  try {
    ctx.stdout(renderPs(list, format, quiet, noTrunc))
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    ctx.stderr(`${err.message}\n`)
    return 1
  }
  return 0
}

function inspect(ctx: CommandContext, raw: string[], containerOnly: boolean): number {
  const args = normalise(raw, new Set(['-f']))
  let format: string | undefined
  let type = containerOnly ? 'container' : undefined
  const names: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-f' || a === '--format') format = args[++i]
    else if (a === '--type') type = args[++i]
    else if (a === '-s' || a === '--size') continue
    else names.push(a)
  }
  if (names.length === 0) {
    ctx.stderr('"docker inspect" requires at least 1 argument.\n')
    return 1
  }
  if (type === 'image') return inspectImages(ctx, names, format)
  // Without --type, docker inspect takes whatever object has the name: a container first, else an image.
  if (type === undefined && names.every((n) => !ctx.session.node.find(n) && hasImage(ctx.session.node, n)))
    return inspectImages(ctx, names, format)
  const found: Array<Record<string, unknown>> = []
  let status = 0
  for (const n of names) {
    const c = ctx.session.node.find(n)
    if (c) found.push(inspectObject(c))
    else {
      status = 1
      ctx.stderr(type === 'container' ? `Error: No such container: ${n}\n` : `Error: No such object: ${n}\n`)
    }
  }
  try {
    if (format === undefined) ctx.stdout(`${JSON.stringify(found, null, 4)}\n`)
    else for (const o of found) ctx.stdout(`${renderTemplate(format, o)}\n`)
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    ctx.stderr(`${err.message}\n`)
    return 1
  }
  return status
}

async function stopKillRm(ctx: CommandContext, sub: 'stop' | 'kill' | 'rm', raw: string[]): Promise<number> {
  const args = normalise(raw, new Set(['-t', '-s']))
  let graceMs: number | undefined
  let force = false
  const names: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (sub === 'stop' && (a === '-t' || a === '--time' || a === '--timeout'))
      graceMs = Number(args[++i]) * 1000
    else if (sub === 'stop' && (a === '-s' || a === '--signal')) i++
    else if (sub === 'kill' && (a === '-s' || a === '--signal')) i++
    else if (sub === 'rm' && (a === '-f' || a === '--force')) force = true
    else if (sub === 'rm' && (a === '-v' || a === '--volumes')) continue
    else if (a.startsWith('-')) {
      ctx.stderr(`unknown flag: ${a}\nSee 'docker ${sub} --help'.\n`)
      return 125
    } else names.push(a)
  }
  if (names.length === 0) {
    ctx.stderr(`"docker ${sub}" requires at least 1 argument.\n`)
    return 1
  }
  const { node, cluster } = ctx.session
  let status = 0
  for (const n of names) {
    const c = node.find(n)
    if (!c) {
      if (sub === 'rm' && force) continue
      ctx.stderr(noSuch(n))
      status = 1
      continue
    }
    if (sub === 'kill' && c.status !== 'running' && c.status !== 'restarting') {
      ctx.stderr(
        `Error response from daemon: cannot kill container: ${n}: container ${c.id} is not running\n`,
      )
      status = 1
      continue
    }
    if (sub === 'rm') {
      const err = await cluster.removeContainer(node, c, force)
      if (err) {
        ctx.stderr(`${err}\n`)
        status = 1
        continue
      }
    } else await cluster.stopContainer(node, c, { graceMs, kill: sub === 'kill' })
    ctx.stdout(`${n}\n`)
  }
  return status
}

/** `docker exec`: only what eugr's scripts run inside `vllm_node` (ray status, the launch script). */
function exec(ctx: CommandContext, raw: string[]): number {
  let i = 0
  while (i < raw.length && (raw[i] as string).startsWith('-')) {
    const flag = raw[i] as string
    i += flag === '-e' || flag === '--env' || flag === '-u' || flag === '-w' || flag === '--workdir' ? 2 : 1
  }
  const [name, ...cmd] = raw.slice(i)
  if (!name || cmd.length === 0) {
    ctx.stderr('"docker exec" requires at least 2 arguments.\n')
    return 1
  }
  const c = ctx.session.node.find(name)
  if (!c) {
    ctx.stderr(noSuch(name))
    return 1
  }
  if (!c.running) {
    ctx.stderr(`Error response from daemon: container ${c.id} is not running\n`)
    return 1
  }
  const line = cmd.join(' ')
  if (line === 'ray status') {
    if (c.role === 'solo') {
      ctx.stderr(
        'ConnectionError: Could not find any running Ray instance. Please specify the one to connect to by ' +
          'setting `--address` flag or `RAY_ADDRESS` environment variable.\n',
      )
      return 1
    }
    const peers = ctx.session.cluster.nodes.filter((n) => n.containers.get(c.name)?.running).length
    const rule = '-'.repeat(63)
    const active = Array.from({ length: peers }, (_, k) => ` 1 node_${k.toString(16).padStart(8, '0')}`)
    ctx.stdout(
      [
        `======== Autoscaler status: ${new Date().toISOString()} ========`,
        'Node status',
        rule,
        'Active:',
        ...active,
        'Pending:',
        ' (no pending nodes)',
        'Recent failures:',
        ' (no failures)',
        '',
        'Resources',
        rule,
        'Usage:',
        ` 0.0/${2 * peers}.0 CPU`,
        ` 0.0/${peers}.0 GPU`,
        '',
      ].join('\n'),
    )
    return 0
  }
  if (line === 'cat /workspace/exec-script.sh') {
    if (!c.execScript) {
      ctx.stderr('cat: /workspace/exec-script.sh: No such file or directory\n')
      return 1
    }
    ctx.stdout(c.execScript)
    return 0
  }
  if (cmd[0] === 'true') return 0
  ctx.stderr(
    'OCI runtime exec failed: exec failed: unable to start container process: ' +
      `exec: "${cmd[0]}": executable file not found in $PATH: unknown\n`,
  )
  return 127
}
