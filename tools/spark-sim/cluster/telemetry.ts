/**
 * What the node's telemetry tools print: `/proc/meminfo`, `free`, `df` and `nvidia-smi` in the GB10
 * shape — memory fields `[N/A]` (no framebuffer, NVML says NOT_SUPPORTED), utilization, temperature,
 * power and SM clock real. Values come from the node's live memory and GPU models.
 */
import { createHash } from 'node:crypto'
import type { SimNode } from './node-state.ts'
import { KIB_PER_GIB } from './resources.ts'
import type { CommandContext } from './shell-exec.ts'

export function meminfoText(node: SimNode): string {
  const m = node.memory.snapshot()
  const anon = m.usedKiB - 1_350_000
  const swapTotal = 16 * KIB_PER_GIB
  const rows: Array<[string, number | null]> = [
    ['MemTotal', m.totalKiB],
    ['MemFree', m.freeKiB],
    ['MemAvailable', m.availableKiB],
    ['Buffers', 231_424],
    ['Cached', m.cachedKiB],
    ['SwapCached', 0],
    ['Active', Math.round(anon * 0.6 + m.cachedKiB * 0.4)],
    ['Inactive', Math.round(anon * 0.4 + m.cachedKiB * 0.6)],
    ['Active(anon)', Math.round(anon * 0.6)],
    ['Inactive(anon)', Math.round(anon * 0.4)],
    ['Active(file)', Math.round(m.cachedKiB * 0.4)],
    ['Inactive(file)', Math.round(m.cachedKiB * 0.6)],
    ['Unevictable', 30_720],
    ['Mlocked', 27_648],
    ['SwapTotal', swapTotal],
    ['SwapFree', swapTotal],
    ['Zswap', 0],
    ['Zswapped', 0],
    ['Dirty', 412],
    ['Writeback', 0],
    ['AnonPages', anon],
    ['Mapped', 812_344],
    ['Shmem', 98_304],
    ['KReclaimable', 402_112],
    ['Slab', 901_232],
    ['SReclaimable', 402_112],
    ['SUnreclaim', 499_120],
    ['KernelStack', 24_576],
    ['ShadowCallStack', 6_144],
    ['PageTables', 61_440],
    ['SecPageTables', 0],
    ['NFS_Unstable', 0],
    ['Bounce', 0],
    ['WritebackTmp', 0],
    ['CommitLimit', Math.round(m.totalKiB / 2 + swapTotal)],
    ['Committed_AS', Math.round(anon * 1.4)],
    ['VmallocTotal', 135_288_315_904],
    ['VmallocUsed', 112_640],
    ['VmallocChunk', 0],
    ['Percpu', 23_040],
    ['HardwareCorrupted', 0],
    ['AnonHugePages', 0],
    ['ShmemHugePages', 0],
    ['ShmemPmdMapped', 0],
    ['FileHugePages', 0],
    ['FilePmdMapped', 0],
    ['CmaTotal', 0],
    ['CmaFree', 0],
    ['Unaccepted', 0],
  ]
  const lines = rows.map(([k, v]) => `${`${k}:`.padEnd(16)}${String(v).padStart(8)} kB`)
  lines.push(
    'HugePages_Total:       0',
    'HugePages_Free:        0',
    'HugePages_Rsvd:        0',
    'HugePages_Surp:        0',
  )
  lines.push('Hugepagesize:       2048 kB', 'Hugetlb:               0 kB')
  return `${lines.join('\n')}\n`
}

export function free(ctx: CommandContext): number {
  // Divisor applied to KiB: free prints KiB by default.
  let div = 1
  let human = false
  for (const a of ctx.argv.slice(1)) {
    if (a === '-b' || a === '--bytes') div = 1 / 1024
    else if (a === '-k' || a === '--kibi') div = 1
    else if (a === '-m' || a === '--mebi') div = 1024
    else if (a === '-g' || a === '--gibi') div = KIB_PER_GIB
    else if (a === '-h' || a === '--human') human = true
    else if (a === '-w' || a === '--wide' || a === '-t' || a === '--total') continue
    else {
      ctx.stderr(`free: invalid option -- '${a.replace(/^-+/, '')}'\n`)
      return 1
    }
  }
  const m = ctx.session.node.memory.snapshot()
  const fmt = (kib: number) => (human ? humanKiB(kib) : String(Math.floor(kib / div)))
  const buffCache = m.cachedKiB + 231_424
  const swap = 16 * KIB_PER_GIB
  const row = (label: string, vals: number[]) =>
    label.padEnd(7) + vals.map((v) => ` ${fmt(v).padStart(11)}`).join('')
  ctx.stdout(
    `${' '.repeat(15)}total        used        free      shared  buff/cache   available\n` +
      `${row('Mem:', [m.totalKiB, m.totalKiB - m.availableKiB, m.freeKiB, 98_304, buffCache, m.availableKiB])}\n` +
      `${row('Swap:', [swap, 0, swap])}\n`,
  )
  return 0
}

function humanKiB(kib: number): string {
  const units = ['Ki', 'Mi', 'Gi', 'Ti']
  let v = kib
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 10 ? Math.round(v) : v.toFixed(1)}${units[i]}`
}

const NA = '[N/A]'

/** Field → [value, unit shown in the header and after the value without `nounits`]. */
function gpuFields(node: SimNode): Record<string, [string, string]> {
  const g = node.gpuSample()
  const uuid = createHash('sha1').update(node.name).digest('hex')
  const idUuid = `GPU-${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20, 32)}`
  const reason = (bit: number) => ((parseInt(g.throttleHex, 16) & bit) !== 0 ? 'Active' : 'Not Active')
  const fields: Record<string, [string, string]> = {
    index: ['0', ''],
    count: ['1', ''],
    name: ['NVIDIA GB10', ''],
    uuid: [idUuid, ''],
    serial: [NA, ''],
    driver_version: ['580.95.05', ''],
    'pci.bus_id': ['0000000F:01:00.0', ''],
    pstate: [g.pstate, ''],
    persistence_mode: ['Enabled', ''],
    compute_mode: ['Default', ''],
    display_mode: ['Disabled', ''],
    'temperature.gpu': [String(g.tempC), ''],
    'temperature.memory': [NA, ''],
    'utilization.gpu': [String(g.util), '%'],
    'utilization.memory': ['0', '%'],
    'memory.used': [NA, 'MiB'],
    'memory.total': [NA, 'MiB'],
    'memory.free': [NA, 'MiB'],
    'memory.reserved': [NA, 'MiB'],
    'power.draw': [g.powerW.toFixed(2), 'W'],
    'power.draw.instant': [g.powerW.toFixed(2), 'W'],
    'power.draw.average': [g.powerW.toFixed(2), 'W'],
    'power.limit': [NA, 'W'],
    'enforced.power.limit': [NA, 'W'],
    'power.max_limit': [NA, 'W'],
    'power.default_limit': [NA, 'W'],
    'clocks.sm': [String(g.smClockMHz), 'MHz'],
    'clocks.current.sm': [String(g.smClockMHz), 'MHz'],
    'clocks.gr': [String(g.smClockMHz), 'MHz'],
    'clocks.current.graphics': [String(g.smClockMHz), 'MHz'],
    'clocks.mem': [NA, 'MHz'],
    'clocks.max.sm': ['2418', 'MHz'],
    'clocks.max.graphics': ['2418', 'MHz'],
    'fan.speed': [NA, '%'],
    timestamp: [nvTimestamp(), ''],
  }
  const reasons: Array<[string, number]> = [
    ['gpu_idle', 0x1],
    ['sw_power_cap', 0x4],
    ['hw_slowdown', 0x8],
    ['sw_thermal_slowdown', 0x20],
    ['hw_thermal_slowdown', 0x40],
  ]
  for (const prefix of ['clocks_throttle_reasons', 'clocks_event_reasons']) {
    fields[`${prefix}.active`] = [g.throttleHex, '']
    for (const [name, bit] of reasons) fields[`${prefix}.${name}`] = [reason(bit), '']
  }
  return fields
}

function nvTimestamp(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const date = `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())}`
  return `${date} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`
}

export function queryGpu(
  node: SimNode,
  names: string[],
  header: boolean,
  units: boolean,
): string | { error: string } {
  const fields = gpuFields(node)
  const vals: string[] = []
  const heads: string[] = []
  for (const n of names) {
    const f = fields[n]
    if (!f) return { error: `Field "${n}" is not a valid field to query.\n` }
    heads.push(f[1] ? `${n} [${f[1]}]` : n)
    vals.push(units && f[1] && f[0] !== NA ? `${f[0]}${f[1] === '%' ? ' %' : ` ${f[1]}`}` : f[0])
  }
  return `${header ? `${heads.join(', ')}\n` : ''}${vals.join(', ')}\n`
}

/** Processes using the GPU: vLLM's engine core on a head, Ray workers elsewhere. */
export function computeApps(node: SimNode): Array<{ pid: number; name: string; usedMiB: number }> {
  const apps: Array<{ pid: number; name: string; usedMiB: number }> = []
  for (const c of node.containers.values()) {
    if (!c.running) continue
    const procs = c.servedBy ? [c.servedBy] : c.processes
    procs.forEach((p, i) => {
      if (p.emulator.state() === 'exited') return
      const alloc = p.memory.get(node.name)
      const usedMiB = Math.round((alloc?.level() ?? 0) / 1024)
      apps.push({
        pid: 2000 + i * 37 + (c.id.charCodeAt(0) % 50),
        name: c.servedBy ? 'ray::RayWorkerWrapper' : 'VLLM::EngineCore',
        usedMiB,
      })
    })
  }
  return apps
}
