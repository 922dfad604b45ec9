/**
 * The images a simulated node holds, and the docker commands that read them: `docker images`,
 * `docker image ls|inspect`, `docker inspect --type image`. A missing image answers as Docker 28
 * does (`Error response from daemon: No such image: vllm-node:latest`, exit 1), and `docker run`
 * of one fails the way a local-only image does (Docker tries to pull it and is refused).
 */
import { createHash } from 'node:crypto'
import { alignTable, cliEscapes, normalise, renderTemplate, TemplateError } from './docker-format.ts'
import type { SimNode } from './node-state.ts'
import type { CommandContext } from './shell-exec.ts'

/** Docker's reference normalisation as far as local images need it: no tag means `:latest`. */
function imageRef(name: string): string {
  if (name.includes('@')) return name
  const last = name.slice(name.lastIndexOf('/') + 1)
  return last.includes(':') ? name : `${name}:latest`
}

const split = (ref: string) => {
  const at = ref.lastIndexOf(':')
  return { repository: ref.slice(0, at), tag: ref.slice(at + 1) }
}

/** A content address that is the same on every node for the same image (eugr compares them). */
export const imageId = (name: string) =>
  `sha256:${createHash('sha256')
    .update(`spark-sim image ${imageRef(name)}`)
    .digest('hex')}`

/** A plausible size for a vLLM image, 19–24 GB, fixed per image. */
const imageBytes = (name: string) => 19e9 + (Number.parseInt(imageId(name).slice(7, 15), 16) % 5e9)

const CREATED = new Date('2026-04-15T09:12:44Z')

export const hasImage = (node: SimNode, name: string) => node.images.has(imageRef(name))

export function setImagePresent(node: SimNode, name: string, present: boolean): void {
  if (present) node.images.add(imageRef(name))
  else node.images.delete(imageRef(name))
}

/** `docker run IMAGE` when the image is not on the node: the pull is refused (stderr, exit 125). */
export function missingImageRunError(name: string): string {
  const { repository } = split(imageRef(name))
  return (
    `Unable to find image '${imageRef(name)}' locally\n` +
    `docker: Error response from daemon: pull access denied for ${repository}, repository does not exist or ` +
    "may require 'docker login': denied: requested access to the resource is denied\n" +
    "See 'docker run --help'.\n"
  )
}

function inspectImageObject(name: string): Record<string, unknown> {
  return {
    Id: imageId(name),
    RepoTags: [imageRef(name)],
    RepoDigests: [],
    Parent: '',
    Created: CREATED.toISOString(),
    Architecture: 'arm64',
    Os: 'linux',
    Size: imageBytes(name),
    Config: { Entrypoint: ['/opt/nvidia/nvidia_entrypoint.sh'], Cmd: null, WorkingDir: '/workspace' },
  }
}

/** `docker image inspect [-f FORMAT] IMAGE…` (and `docker inspect --type image`). */
export function inspectImages(ctx: CommandContext, names: string[], format: string | undefined): number {
  const found: Array<Record<string, unknown>> = []
  let status = 0
  for (const n of names) {
    if (hasImage(ctx.session.node, n)) found.push(inspectImageObject(n))
    else {
      ctx.stderr(`Error response from daemon: No such image: ${imageRef(n)}\n`)
      status = 1
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

function listFields(ref: string, noTrunc: boolean): Record<string, string> {
  const { repository, tag } = split(ref)
  const id = imageId(ref)
  return {
    Repository: repository,
    Tag: tag,
    ID: noTrunc ? id : id.slice(7, 19),
    Digest: '<none>',
    CreatedSince: '7 months ago',
    CreatedAt: `${CREATED.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`,
    Size: `${(imageBytes(ref) / 1e9).toFixed(1)}GB`,
  }
}

const LIST_HEADS: Record<string, string> = {
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  ID: 'IMAGE ID',
  CreatedSince: 'CREATED',
  Size: 'SIZE',
}

/** `docker images` / `docker image ls [-q] [--no-trunc] [--format F] [REPOSITORY[:TAG]]`. */
export function listImages(ctx: CommandContext, raw: string[], sub: string): number {
  const args = normalise(raw, new Set(['-f']))
  let quiet = false
  let noTrunc = false
  let format: string | undefined
  let match: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-q' || a === '--quiet') quiet = true
    else if (a === '--no-trunc') noTrunc = true
    else if (a === '--format') format = args[++i]
    else if (a === '-a' || a === '--all' || a === '--digests') continue
    else if (a === '-f' || a === '--filter') i++
    else if (a.startsWith('-')) {
      ctx.stderr(`unknown flag: ${a}\nSee 'docker ${sub} --help'.\n`)
      return 125
    } else match = a
  }
  const refs = [...ctx.session.node.images]
    .filter((r) => match === undefined || r === imageRef(match) || split(r).repository === match)
    .sort()
  const rows = refs.map((r) => listFields(r, noTrunc))
  if (quiet) {
    ctx.stdout([...new Set(rows.map((r) => `${r.ID}\n`))].join(''))
    return 0
  }
  const fmt = format === undefined || format === 'table' ? undefined : cliEscapes(format)
  try {
    if (fmt === 'json') ctx.stdout(rows.map((r) => `${JSON.stringify(r)}\n`).join(''))
    else if (fmt !== undefined && !fmt.startsWith('table'))
      ctx.stdout(rows.map((r) => `${renderTemplate(fmt, r)}\n`).join(''))
    else {
      const cols = ['Repository', 'Tag', 'ID', 'CreatedSince', 'Size']
      ctx.stdout(
        alignTable([cols.map((c) => LIST_HEADS[c] ?? c), ...rows.map((r) => cols.map((c) => r[c] ?? ''))]),
      )
    }
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    ctx.stderr(`${err.message}\n`)
    return 1
  }
  return 0
}

/** `docker image SUB …`: inspect, ls/list. */
export function imageCommand(ctx: CommandContext, raw: string[]): number {
  const [sub, ...rest] = raw
  if (sub === 'ls' || sub === 'list') return listImages(ctx, rest, 'image ls')
  if (sub !== 'inspect') {
    ctx.stderr(
      `docker: unknown command: docker image ${sub ?? ''}\n\nRun 'docker image --help' for more information\n`,
    )
    return 1
  }
  const args = normalise(rest, new Set(['-f']))
  let format: string | undefined
  const names: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-f' || a === '--format') format = args[++i]
    else if (a === '--platform') i++
    else if (a !== '--') names.push(a)
  }
  if (names.length === 0) {
    ctx.stderr('"docker image inspect" requires at least 1 argument.\n')
    return 1
  }
  return inspectImages(ctx, names, format)
}
