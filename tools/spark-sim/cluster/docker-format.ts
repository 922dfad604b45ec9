/**
 * Docker CLI output shapes: Go-template `--format` (`{{.Names}}`, `{{json .}}`, `table …`),
 * the default `docker ps` table, and `docker inspect` JSON.
 */
import { humanDuration, type SimContainer } from './node-state.ts'

/** `docker ps` row fields as the CLI's ContainerContext names them. */
export function psFields(c: SimContainer, noTrunc: boolean, now = Date.now()): Record<string, string> {
  const created = c.createdAt
  const createdAt = `${created.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`
  return {
    ID: noTrunc ? c.id : c.id.slice(0, 12),
    Image: c.image,
    Command: noTrunc
      ? `"${c.command}"`
      : `"${c.command.length > 20 ? `${c.command.slice(0, 19)}…` : c.command}"`,
    CreatedAt: createdAt,
    RunningFor: `${humanDuration(now - created.getTime())} ago`,
    Ports: '',
    State: c.status === 'removing' ? 'removing' : c.status,
    Status: c.statusText(now),
    Size: '0B',
    Names: c.name,
    Labels: '',
    Mounts: '/root/.cache/huggingface,/root/.cache/vllm,/root/.cache/flashinfer,/root/.triton',
    Networks: 'host',
    LocalVolumes: '0',
  }
}

export class TemplateError extends Error {}

const lookupPath = (root: unknown, path: string[]): unknown => {
  let v: unknown = root
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !(key in (v as object))) {
      throw new TemplateError(
        `template: :1: executing "" at <.${path.join('.')}>: can't evaluate field ${key}`,
      )
    }
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/** Renders the subset of Go templates people put in `--format`: `.Field.Path`, `json X`, `upper`/`lower`. */
export function renderTemplate(template: string, data: unknown): string {
  return template.replace(/\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    const [fn, arg] = expr.includes(' ') ? (expr.split(/\s+/, 2) as [string, string]) : [undefined, expr]
    if (!arg?.startsWith('.')) throw new TemplateError(`template: :1: function "${arg ?? expr}" not defined`)
    const path = arg === '.' ? [] : arg.slice(1).split('.')
    const value = lookupPath(data, path)
    if (fn === 'json') return JSON.stringify(value)
    const text = typeof value === 'object' && value !== null ? goPrint(value) : String(value)
    if (fn === 'upper') return text.toUpperCase()
    if (fn === 'lower') return text.toLowerCase()
    if (fn !== undefined) throw new TemplateError(`template: :1: function "${fn}" not defined`)
    return text
  })
}

const goPrint = (v: object): string =>
  Array.isArray(v)
    ? `[${v.map((x) => String(x)).join(' ')}]`
    : `map[${Object.entries(v)
        .map(([k, x]) => `${k}:${String(x)}`)
        .join(' ')}]`

/** Docker swaps literal `\t`/`\n` in `--format` for the real characters. */
export const cliEscapes = (f: string) => f.replace(/\\t/g, '\t').replace(/\\n/g, '\n')

const PS_TABLE_HEADS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Names: 'NAMES',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  Networks: 'NETWORKS',
  LocalVolumes: 'LOCAL VOLUMES',
}

/** Go's tabwriter as the Docker CLI sets it up: cells at least 10 wide, 3 spaces of padding. */
export function alignTable(rows: string[][]): string {
  const widths: number[] = []
  for (const r of rows)
    for (const [i, cell] of r.entries()) widths[i] = Math.max(widths[i] ?? 10, cell.length + 3)
  return rows
    .map(
      (r) =>
        `${r
          .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 10)))
          .join('')
          .trimEnd()}\n`,
    )
    .join('')
}

const DEFAULT_PS_FORMAT =
  'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}'

export function renderPs(
  containers: SimContainer[],
  format: string | undefined,
  quiet: boolean,
  noTrunc: boolean,
): string {
  const rows = containers.map((c) => psFields(c, noTrunc))
  if (quiet) return rows.map((r) => `${r.ID}\n`).join('')
  const fmt = format === undefined || format === 'table' ? DEFAULT_PS_FORMAT : cliEscapes(format)
  if (fmt === 'json') return rows.map((r) => `${JSON.stringify(r)}\n`).join('')
  if (!fmt.startsWith('table')) return rows.map((r) => `${renderTemplate(fmt, r)}\n`).join('')
  const body = fmt.replace(/^table\s*/, '')
  const cols = body.split('\t')
  const head = cols.map((col) =>
    col.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, k: string) => PS_TABLE_HEADS[k] ?? k.toUpperCase()),
  )
  return alignTable([head, ...rows.map((r) => cols.map((col) => renderTemplate(col, r)))])
}

/** The parts of `docker inspect` a controller reads; the rest is omitted. */
export function inspectObject(c: SimContainer): Record<string, unknown> {
  const running = c.status === 'running' || c.status === 'restarting'
  const [path = '', ...args] = c.command.split(' ')
  return {
    Id: c.id,
    Created: c.createdAt.toISOString(),
    Path: path,
    Args: args,
    State: {
      Status: c.status,
      Running: running,
      Paused: false,
      Restarting: c.status === 'restarting',
      OOMKilled: false,
      Dead: false,
      Pid: running ? 4000 + (c.id.charCodeAt(1) % 1000) : 0,
      ExitCode: c.exitCode,
      Error: '',
      StartedAt: c.startedAt.toISOString(),
      FinishedAt: c.finishedAt?.toISOString() ?? '0001-01-01T00:00:00Z',
    },
    Image: `sha256:${c.id.split('').reverse().join('')}`,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    HostConfig: {
      NetworkMode: 'host',
      AutoRemove: c.autoRemove,
      Privileged: c.service === null,
      IpcMode: 'host',
      RestartPolicy: { Name: c.restartPolicy, MaximumRetryCount: 0 },
      Memory: c.memoryLimit,
      MemorySwap: c.memorySwap,
    },
    Config: {
      Hostname: c.name,
      Image: c.image,
      Cmd: [path, ...args],
      Env: ['RAY_memory_monitor_refresh_ms=0'],
    },
    NetworkSettings: { Networks: { host: {} } },
  }
}

export const noSuch = (name: string) => `Error response from daemon: No such container: ${name}\n`

/** Splits `-aq` into `-a -q` and `--flag=value` into two words, so the handlers see one shape. */
export function normalise(args: string[], valued: Set<string>): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      out.push(...args.slice(i))
      break
    }
    if (a.startsWith('--') && a.includes('='))
      out.push(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1))
    else if (/^-[a-zA-Z]{2,}$/.test(a)) {
      for (let j = 1; j < a.length; j++) {
        const flag = `-${a[j]}`
        out.push(flag)
        // `-n5`, `-fname=x`: the rest of the word is the flag's value.
        if (valued.has(flag) && j < a.length - 1) {
          out.push(a.slice(j + 1))
          break
        }
      }
    } else out.push(a)
  }
  return out
}
