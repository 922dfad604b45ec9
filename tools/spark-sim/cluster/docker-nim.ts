/**
 * What installing an NVIDIA NIM needs from `docker` on a simulated node: `login` (with
 * `--password-stdin`), `pull` and `run -d`. Output, messages and exit codes follow the Docker CLI
 * (Login Succeeded; `docker: Error response from daemon: Conflict…`, 125). Only nvcr.io is a
 * registry here: a login succeeds with an NGC key (`nvapi-…`), and `nvcr.io/nim/…` images pull
 * after it. A NIM container runs (docker ps/inspect/logs/stop see it) but serves nothing.
 * Differences from real docker are listed in tools/spark-sim/README.md.
 */
import { randomBytes } from 'node:crypto'
import { normalise } from './docker-format.ts'
import { hasImage, missingImageRunError, setImagePresent } from './docker-images.ts'
import { SimContainer, type SimNode, type SimRestartPolicy } from './node-state.ts'
import type { CommandContext } from './shell-exec.ts'

const NGC = 'nvcr.io'
const logins = new WeakMap<SimNode, Set<string>>()
const loggedIn = (node: SimNode) => logins.get(node) ?? new Set<string>()

async function readStdin(ctx: CommandContext): Promise<string> {
  let text = ''
  for await (const chunk of ctx.stdin) text += chunk
  return text
}

function unknownFlag(ctx: CommandContext, sub: string, flag: string): number {
  ctx.stderr(`unknown flag: ${flag}\nSee 'docker ${sub} --help'.\n`)
  return 125
}

/** `docker login [SERVER] -u USER --password-stdin`. */
export async function login(ctx: CommandContext, raw: string[]): Promise<number> {
  const args = normalise(raw, new Set(['-u', '-p']))
  let server = 'https://index.docker.io/v1/'
  let user: string | undefined
  let fromStdin = false
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-u' || a === '--username') user = args[++i]
    else if (a === '--password-stdin') fromStdin = true
    else if (a === '-p' || a === '--password') return unknownFlag(ctx, 'login', `${a} (not simulated)`)
    else if (a.startsWith('-')) return unknownFlag(ctx, 'login', a)
    else server = a
  }
  if (!fromStdin || !user) {
    ctx.stderr('Error: Cannot perform an interactive login from a non TTY device\n')
    return 1
  }
  const password = (await readStdin(ctx)).replace(/\r?\n$/, '')
  if (password === '') {
    ctx.stderr('Error: Password Required\n')
    return 1
  }
  if (server !== NGC || user !== '$oauthtoken' || !password.startsWith('nvapi-')) {
    ctx.stderr(
      `Error response from daemon: Get "https://${server}/v2/": unauthorized: authentication required\n`,
    )
    return 1
  }
  const set = loggedIn(ctx.session.node)
  set.add(NGC)
  logins.set(ctx.session.node, set)
  ctx.stderr(
    `WARNING! Your password will be stored unencrypted in /home/${ctx.env.USER ?? 'user'}/.docker/config.json.\n`,
  )
  ctx.stdout('Login Succeeded\n')
  return 0
}

const withTag = (image: string) =>
  image.slice(image.lastIndexOf('/') + 1).includes(':') ? image : `${image}:latest`

/** Why `image` cannot be pulled on this node, or null when it can. */
function pullRefusal(node: SimNode, image: string): string | null {
  const ref = withTag(image)
  const at = ref.lastIndexOf(':')
  const repo = ref.slice(0, at)
  if (!repo.startsWith(`${NGC}/`))
    return `Error response from daemon: pull access denied for ${repo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`
  if (!loggedIn(node).has(NGC))
    return `Error response from daemon: Head "https://${NGC}/v2/${repo.slice(NGC.length + 1)}/manifests/${ref.slice(at + 1)}": unauthorized: authentication required`
  return null
}

/** `docker pull [-q] IMAGE`. */
export function pull(ctx: CommandContext, raw: string[]): number {
  let quiet = false
  let image: string | undefined
  for (const a of raw) {
    if (a === '-q' || a === '--quiet') quiet = true
    else if (a.startsWith('-')) return unknownFlag(ctx, 'pull', a)
    else image = a
  }
  if (!image) {
    ctx.stderr('"docker pull" requires exactly 1 argument.\n')
    return 1
  }
  const { node } = ctx.session
  const refusal = pullRefusal(node, image)
  if (refusal) {
    ctx.stderr(`${refusal}\n`)
    return 1
  }
  const ref = withTag(image)
  const present = hasImage(node, ref)
  setImagePresent(node, ref, true)
  if (!quiet) {
    const tag = ref.slice(ref.lastIndexOf(':') + 1)
    ctx.stdout(`${tag}: Pulling from ${ref.slice(NGC.length + 1, ref.lastIndexOf(':'))}\n`)
    ctx.stdout(`Digest: sha256:${randomBytes(32).toString('hex')}\n`)
    ctx.stdout(`Status: ${present ? 'Image is up to date for' : 'Downloaded newer image for'} ${ref}\n`)
  }
  ctx.stdout(`${ref}\n`)
  return 0
}

interface RunArgs {
  detach: boolean
  name?: string
  restart: SimRestartPolicy
  ports: string[]
  envFiles: string[]
  env: string[]
  image?: string
}

const RUN_VALUED = new Set(['--name', '--restart', '--gpus', '-p', '--publish', '-e', '--env', '--env-file'])

function parseRun(raw: string[]): RunArgs | { bad: string } {
  const args = normalise(raw, new Set(['-p', '-e']))
  const run: RunArgs = { detach: false, restart: 'no', ports: [], envFiles: [], env: [] }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-d' || a === '--detach') run.detach = true
    else if (RUN_VALUED.has(a)) {
      const v = args[++i] ?? ''
      if (a === '--name') run.name = v
      else if (a === '--restart') run.restart = v as SimRestartPolicy
      else if (a === '-p' || a === '--publish') run.ports.push(v)
      else if (a === '--env-file') run.envFiles.push(v)
      else if (a === '-e' || a === '--env') run.env.push(v)
    } else if (a.startsWith('-')) return { bad: a }
    else {
      run.image = a
      break
    }
  }
  return run
}

/** `docker run -d [--restart P] [--gpus all] --name N [-p H:C] [--env-file F] [-e K=V] IMAGE` (what NIM install sends). */
export async function run(ctx: CommandContext, raw: string[]): Promise<number> {
  const parsed = parseRun(raw)
  if ('bad' in parsed) return unknownFlag(ctx, 'run', parsed.bad)
  const { node } = ctx.session
  if (!parsed.image) {
    ctx.stderr('docker: "run" requires at least 1 argument.\nSee \'docker run --help\'.\n')
    return 125
  }
  for (const file of parsed.envFiles)
    if (file !== '/dev/stdin') {
      ctx.stderr(`docker: open ${file}: no such file or directory.\nSee 'docker run --help'.\n`)
      return 125
    }
  const envFile = parsed.envFiles.length > 0 ? await readStdin(ctx) : ''
  const name = parsed.name ?? `sim_${randomBytes(4).toString('hex')}`
  const taken = node.find(name)
  if (taken) {
    ctx.stderr(
      `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.\nSee 'docker run --help'.\n`,
    )
    return 125
  }
  if (!hasImage(node, parsed.image)) {
    if (pullRefusal(node, parsed.image)) {
      ctx.stderr(missingImageRunError(parsed.image))
      return 125
    }
    setImagePresent(node, parsed.image, true)
  }
  const c = new SimContainer(name, withTag(parsed.image), 'solo', '/opt/nim/start_server.sh', false)
  c.restartPolicy = parsed.restart
  node.containers.set(name, c)
  const keys = [...envFile.split('\n'), ...parsed.env].map((l) => l.split('=')[0]).filter(Boolean)
  c.log.append(`INFO: NIM starting (environment: ${keys.join(', ') || 'none'})`)
  c.log.append(`INFO: published ${parsed.ports.join(', ') || 'no ports'}`)
  if (parsed.detach) ctx.stdout(`${c.id}\n`)
  return 0
}
