/**
 * Unified memory and GPU telemetry of one simulated GB10 node. Memory is a baseline plus
 * allocations (one per loaded model) that ramp up while a model loads and drain over about a second
 * after it stops, so "MemAvailable back near baseline" checks have something real to wait for.
 */

export const KIB_PER_GIB = 1024 * 1024
const LOW_WATERMARK_KIB = 180_224

interface Ramp {
  from: number
  to: number
  t0: number
  t1: number
}

export class Allocation {
  private ramp: Ramp = { from: 0, to: 0, t0: 0, t1: 0 }
  released = false

  /** Current size in KiB, linearly interpolated along the active ramp. */
  level(now = Date.now()): number {
    const r = this.ramp
    if (now >= r.t1) return r.to
    if (now <= r.t0) return r.from
    return r.from + ((r.to - r.from) * (now - r.t0)) / (r.t1 - r.t0)
  }

  rampTo(kib: number, durationMs: number, now = Date.now()): void {
    this.ramp = { from: this.level(now), to: kib, t0: now, t1: now + Math.max(0, durationMs) }
  }

  /** Pages come back gradually, as they do on a UMA box after the process exits. */
  release(durationMs = 1000): void {
    this.released = true
    this.rampTo(0, durationMs)
  }
}

export class MemoryModel {
  private readonly allocations = new Set<Allocation>()
  /** Page cache: grows as weights are read from disk and is not dropped when a model stops. */
  cachedKiB: number

  constructor(
    readonly totalKiB: number,
    readonly baselineUsedKiB: number,
  ) {
    this.cachedKiB = Math.round(3.2 * KIB_PER_GIB)
  }

  allocate(): Allocation {
    const a = new Allocation()
    this.allocations.add(a)
    return a
  }

  /** Memory held by processes (not reclaimable), including a small wobble like a live system. */
  usedKiB(now = Date.now()): number {
    let used = this.baselineUsedKiB + Math.round(Math.sin(now / 1700) * 12_000)
    for (const a of this.allocations) {
      const l = a.level(now)
      if (a.released && l <= 0) this.allocations.delete(a)
      used += l
    }
    return Math.min(this.totalKiB - 262_144, Math.round(used))
  }

  addCache(kib: number): void {
    const cap = Math.round(this.totalKiB * 0.35)
    this.cachedKiB = Math.round(Math.min(cap, this.cachedKiB + kib))
  }

  snapshot(now = Date.now()) {
    const used = this.usedKiB(now)
    // /proc/meminfo prints whole kB; keep every derived figure an integer.
    const cached = Math.round(Math.min(this.cachedKiB, Math.max(0, this.totalKiB - used - 524_288)))
    const free = Math.max(0, this.totalKiB - used - cached)
    // Page cache is reclaimable, so it counts as available (less the kernel's low watermark).
    const available = Math.max(0, free + cached - LOW_WATERMARK_KIB)
    return {
      totalKiB: this.totalKiB,
      usedKiB: used,
      freeKiB: free,
      cachedKiB: cached,
      availableKiB: available,
    }
  }
}

export interface GpuSample {
  util: number
  tempC: number
  powerW: number
  smClockMHz: number
  pstate: string
  throttleHex: string
}

/** Temperature and power follow the load with a lag, as a real heatsink and regulator do. */
export class GpuModel {
  private temp = 41
  private power = 11.5
  private last = Date.now()

  sample(load: number, now = Date.now()): GpuSample {
    const dt = Math.max(0, (now - this.last) / 1000)
    this.last = now
    const targetTemp = 40 + 38 * load
    const targetPower = 11 + 85 * load
    this.temp += (targetTemp - this.temp) * (1 - Math.exp(-dt / 3))
    this.power += (targetPower - this.power) * (1 - Math.exp(-dt / 0.4))
    const wobble = Math.sin(now / 900)
    const util = load <= 0 ? 0 : Math.max(1, Math.min(100, Math.round(load * 100 - 2 + wobble * 2)))
    const busy = load > 0.05
    return {
      util,
      tempC: Math.round(this.temp),
      powerW: Math.round((this.power + wobble * 0.3) * 100) / 100,
      smClockMHz: busy ? 2405 : 208,
      pstate: busy ? 'P0' : 'P8',
      // Bit 0 = GPU idle, the reason an idle GB10 reports.
      throttleHex: busy ? '0x0000000000000000' : '0x0000000000000001',
    }
  }
}
