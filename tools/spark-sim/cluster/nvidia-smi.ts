/**
 * `nvidia-smi` as it behaves on a DGX Spark: `--query-gpu` / `--query-compute-apps` CSV (with
 * `noheader`/`nounits`), `-L`, a short `-q`, the default table (Memory-Usage "Not Supported"), and
 * `-l`/`-lms` loops that stream until the channel closes.
 */
import { sleep } from '../../../shared/abort.ts'
import type { CommandContext } from './shell-exec.ts'
import { computeApps, queryGpu } from './telemetry.ts'

interface Opts {
  queryGpu?: string[]
  queryApps?: string[]
  format?: string[]
  loopMs?: number
  list?: boolean
  query?: boolean
}

function parse(argv: string[]): Opts | string {
  const o: Opts = {}
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    const eq = a.indexOf('=')
    const key = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a
    const takesValue = [
      '--query-gpu',
      '--query-compute-apps',
      '--format',
      '-l',
      '--loop',
      '-lms',
      '--loop-ms',
      '-i',
      '--id',
      '-d',
      '--display',
    ]
    let v: string | undefined
    if (takesValue.includes(key)) {
      v = key !== a ? a.slice(eq + 1) : argv[++i]
      if (v === undefined) return `Option ${a} requires an argument.\n`
    }
    if (key === '--query-gpu') o.queryGpu = v?.split(',')
    else if (key === '--query-compute-apps') o.queryApps = v?.split(',')
    else if (key === '--format') o.format = v?.split(',')
    else if (key === '-l' || key === '--loop') o.loopMs = Number(v) * 1000
    else if (key === '-lms' || key === '--loop-ms') o.loopMs = Number(v)
    else if (key === '-i' || key === '--id') {
      if (v !== '0' && !v?.startsWith('GPU-') && v !== '0000000F:01:00.0') return 'No devices were found\n'
    } else if (key === '-L' || key === '--list-gpus') o.list = true
    else if (key === '-q' || key === '--query') o.query = true
    else if (key !== '-d' && key !== '--display')
      return "Invalid combination of input arguments. Please run 'nvidia-smi -h' for help.\n"
    if (o.loopMs !== undefined && !(o.loopMs > 0)) return 'Invalid loop interval.\n'
  }
  return o
}

export async function nvidiaSmi(ctx: CommandContext): Promise<number> {
  const o = parse(ctx.argv.slice(1))
  if (typeof o === 'string') {
    ctx.stderr(o)
    return o.startsWith('No devices') ? 6 : 2
  }
  const node = ctx.session.node
  if ((o.queryGpu || o.queryApps) && !o.format?.includes('csv')) {
    ctx.stderr('"--format" must be specified when querying.\n')
    return 2
  }
  const header = !o.format?.includes('noheader')
  const units = !o.format?.includes('nounits')
  const once = (): number => {
    if (o.queryGpu) {
      const out = queryGpu(node, o.queryGpu, header, units)
      if (typeof out !== 'string') {
        ctx.stderr(out.error)
        return 2
      }
      ctx.stdout(out)
    } else if (o.queryApps) {
      const known: Record<string, (a: ReturnType<typeof computeApps>[number]) => string> = {
        pid: (a) => String(a.pid),
        process_name: (a) => a.name,
        name: (a) => a.name,
        used_memory: (a) => (units ? `${a.usedMiB} MiB` : String(a.usedMiB)),
        used_gpu_memory: (a) => (units ? `${a.usedMiB} MiB` : String(a.usedMiB)),
        gpu_uuid: () => 'GPU-sim',
      }
      const bad = o.queryApps.find((f) => !known[f])
      if (bad) {
        ctx.stderr(`Field "${bad}" is not a valid field to query.\n`)
        return 2
      }
      if (header)
        ctx.stdout(`${o.queryApps.map((f) => (f.startsWith('used') ? `${f} [MiB]` : f)).join(', ')}\n`)
      for (const app of computeApps(node))
        ctx.stdout(`${o.queryApps.map((f) => known[f]?.(app)).join(', ')}\n`)
    } else if (o.list) {
      ctx.stdout(`GPU 0: NVIDIA GB10 (UUID: ${queryGpu(node, ['uuid'], false, false).toString().trim()})\n`)
    } else if (o.query) {
      ctx.stdout(longQuery(ctx))
    } else {
      ctx.stdout(table(ctx))
    }
    return 0
  }
  if (o.loopMs === undefined) return once()
  while (!ctx.signal.aborted) {
    const code = once()
    if (code !== 0) return code
    await sleep(o.loopMs, { signal: ctx.signal }).catch(() => undefined)
  }
  return 0
}

function longQuery(ctx: CommandContext): string {
  const f = (names: string[]) => (queryGpu(ctx.session.node, names, false, true) as string).trim().split(', ')
  const [util, temp, power, clock, pstate] = f([
    'utilization.gpu',
    'temperature.gpu',
    'power.draw',
    'clocks.sm',
    'pstate',
  ])
  return [
    '',
    '==============NVSMI LOG==============',
    '',
    `Timestamp                                 : ${new Date().toString()}`,
    'Driver Version                            : 580.95.05',
    'CUDA Version                              : 13.0',
    '',
    'Attached GPUs                             : 1',
    'GPU 0000000F:01:00.0',
    '    Product Name                          : NVIDIA GB10',
    `    Performance State                     : ${pstate}`,
    '    FB Memory Usage',
    '        Total                             : N/A',
    '        Reserved                          : N/A',
    '        Used                              : N/A',
    '        Free                              : N/A',
    '    Utilization',
    `        GPU                               : ${util}`,
    '        Memory                            : 0 %',
    '    Temperature',
    `        GPU Current Temp                  : ${temp} C`,
    '    GPU Power Readings',
    `        Instantaneous Power Draw          : ${power}`,
    '        Current Power Limit               : N/A',
    '    Clocks',
    `        SM                                : ${clock}`,
    '',
  ].join('\n')
}

/** `Wed Nov 25 22:49:42 2026`, the banner date of the table. */
function smiDate(d = new Date()): string {
  const [wd, mon, day, year, time] = d.toString().split(' ')
  return `${wd} ${mon} ${day} ${time} ${year}`
}

/** Left and right text in a cell of `width`, at least one space between them. */
const spread = (left: string, right: string, width: number) =>
  left + ' '.repeat(Math.max(1, width - left.length - right.length)) + right

function table(ctx: CommandContext): string {
  const node = ctx.session.node
  const [util, temp, power, pstate] = (
    queryGpu(node, ['utilization.gpu', 'temperature.gpu', 'power.draw', 'pstate'], false, false) as string
  )
    .trim()
    .split(', ')
  const row = (a: string, b: string, c: string) => `|${a.padEnd(41)}|${b.padEnd(24)}|${c.padEnd(22)}|`
  const rule = `+${'-'.repeat(41)}+${'-'.repeat(24)}+${'-'.repeat(22)}+`
  const wide = (s: string) => `|${s.padEnd(89)}|`
  const lines = [
    `${smiDate()}       `,
    `+${'-'.repeat(89)}+`,
    wide(' NVIDIA-SMI 580.95.05              Driver Version: 580.95.05      CUDA Version: 13.0'),
    rule,
    row(' GPU  Name                 Persistence-M', ' Bus-Id          Disp.A', ' Volatile Uncorr. ECC'),
    row(' Fan  Temp   Perf          Pwr:Usage/Cap', '           Memory-Usage', ' GPU-Util  Compute M.'),
    row('', '', '               MIG M.'),
    `|${'='.repeat(41)}+${'='.repeat(24)}+${'='.repeat(22)}|`,
    row('   0  NVIDIA GB10                    On', '   0000000F:01:00.0 Off', '                  N/A'),
    row(
      spread(` N/A   ${temp}C    ${pstate}`, `${Math.round(Number(power))}W /  N/A  `, 41),
      ' Not Supported',
      ` ${`${util}%`.padStart(7)}      Default `,
    ),
    row('', '', '                  N/A'),
    rule,
    '',
    `+${'-'.repeat(89)}+`,
    wide(' Processes:'),
    wide('  GPU   GI   CI              PID   Type   Process name                        GPU Memory'),
    wide('        ID   ID                                                               Usage'),
    `|${'='.repeat(89)}|`,
  ]
  const apps = computeApps(node)
  if (apps.length === 0) lines.push(wide('  No running processes found'))
  for (const a of apps) {
    lines.push(
      `|${spread(`    0   N/A  N/A  ${String(a.pid).padStart(15)}      C   ${a.name}`, `${a.usedMiB}MiB `, 89)}|`,
    )
  }
  lines.push(`+${'-'.repeat(89)}+`)
  return `${lines.join('\n')}\n`
}
