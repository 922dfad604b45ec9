/**
 * `docker stats --no-stream` on a simulated node: the CLI's fields (`{{.Name}}`, `{{.MemUsage}}`,
 * `{{.CPUPerc}}`, …) in its own number formats, and its default table. Streaming (without
 * `--no-stream`) is not simulated.
 */
import { alignTable, cliEscapes, normalise, noSuch, renderTemplate, TemplateError } from './docker-format.ts'
import type { SimContainer, SimNode } from './node-state.ts'
import { serviceCpuPercent, serviceMemoryBytes } from './service-containers.ts'
import type { CommandContext } from './shell-exec.ts'

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** go-units BytesSize: `%.4g` of the size in binary units (`6.2GiB`, `512MiB`, `0B`). */
export function bytesSize(bytes: number): string {
  let size = bytes
  let i = 0
  while (size >= 1024 && i < BINARY_UNITS.length - 1) {
    size /= 1024
    i++
  }
  return `${Number(size.toPrecision(4))}${BINARY_UNITS[i]}`
}

const percent = (v: number) => `${v.toFixed(2)}%`

export function statsFields(node: SimNode, c: SimContainer, asked: string, now = Date.now()) {
  const running = c.status === 'running'
  const used = running ? (c.service ? serviceMemoryBytes(c, now) : 0) : 0
  const limit = running ? (c.memoryLimit > 0 ? c.memoryLimit : node.memory.totalKiB * 1024) : 0
  return {
    Container: asked,
    Name: c.name,
    ID: c.id.slice(0, 12),
    CPUPerc: percent(c.service ? serviceCpuPercent(c, now) : 0),
    MemUsage: `${bytesSize(used)} / ${bytesSize(limit)}`,
    MemPerc: percent(limit > 0 ? (100 * used) / limit : 0),
    NetIO: '0B / 0B',
    BlockIO: '0B / 0B',
    PIDs: running ? '12' : '0',
  }
}

const HEADS: Record<string, string> = {
  Container: 'CONTAINER',
  Name: 'NAME',
  ID: 'CONTAINER ID',
  CPUPerc: 'CPU %',
  MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %',
  NetIO: 'NET I/O',
  BlockIO: 'BLOCK I/O',
  PIDs: 'PIDS',
}
const DEFAULT_FORMAT =
  'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}'

export function stats(ctx: CommandContext, raw: string[]): number {
  const args = normalise(raw, new Set())
  let all = false
  let noStream = false
  let format: string | undefined
  const names: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-a' || a === '--all') all = true
    else if (a === '--no-stream') noStream = true
    else if (a === '--no-trunc') continue
    else if (a === '--format') format = args[++i]
    else if (a.startsWith('-')) {
      ctx.stderr(`unknown flag: ${a}\nSee 'docker stats --help'.\n`)
      return 125
    } else names.push(a)
  }
  if (!noStream) {
    ctx.stderr('spark-sim: docker stats is simulated only with --no-stream\n')
    return 1
  }
  const { node } = ctx.session
  const rows: Array<ReturnType<typeof statsFields>> = []
  for (const n of names) {
    const c = node.find(n)
    if (!c) {
      ctx.stderr(noSuch(n))
      return 1
    }
    rows.push(statsFields(node, c, n))
  }
  if (names.length === 0)
    for (const c of node.containers.values())
      if (all || c.status === 'running') rows.push(statsFields(node, c, c.id.slice(0, 12)))
  try {
    ctx.stdout(render(rows, format))
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err
    ctx.stderr(`${err.message}\n`)
    return 1
  }
  return 0
}

function render(rows: Array<Record<string, string>>, format: string | undefined): string {
  const fmt = format === undefined || format === 'table' ? DEFAULT_FORMAT : cliEscapes(format)
  if (fmt === 'json') return rows.map((r) => `${JSON.stringify(r)}\n`).join('')
  if (!fmt.startsWith('table')) return rows.map((r) => `${renderTemplate(fmt, r)}\n`).join('')
  const cols = fmt.replace(/^table\s*/, '').split('\t')
  const head = cols.map((col) =>
    col.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, k: string) => HEADS[k] ?? k.toUpperCase()),
  )
  return alignTable([head, ...rows.map((r) => cols.map((col) => renderTemplate(col, r)))])
}
