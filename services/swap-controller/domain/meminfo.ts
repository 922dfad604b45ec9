/**
 * `/proc/meminfo` → bytes. On GB10 this is the only memory figure there is: CPU and GPU share
 * 128 GB and nvidia-smi reports GPU memory as `[N/A]`, so MemAvailable is what a model must fit in.
 */
export interface MemorySnapshot {
  total_bytes: number
  available_bytes: number
}

/** Every `Key: value [kB]` line, in bytes (the kernel's "kB" means KiB). */
export function parseMeminfoFields(text: string): Map<string, number> {
  const fields = new Map<string, number>()
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$/.exec(line)
    if (m) fields.set(m[1]!, Number(m[2]) * (line.trimEnd().endsWith('kB') ? 1024 : 1))
  }
  return fields
}

/** Null when the text is not a meminfo (no MemTotal) — never a made-up zero. */
export function parseMeminfo(text: string): MemorySnapshot | null {
  const fields = parseMeminfoFields(text)
  const total = fields.get('MemTotal')
  if (total === undefined || total <= 0) return null
  // Kernels before 3.14 lack MemAvailable; free + cache is the classic estimate.
  const available =
    fields.get('MemAvailable') ??
    (fields.get('MemFree') ?? 0) + (fields.get('Cached') ?? 0) + (fields.get('Buffers') ?? 0)
  return { total_bytes: total, available_bytes: Math.min(available, total) }
}
