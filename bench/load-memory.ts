/**
 * Resident memory of the stack's services around a load run: a baseline after warm-up, then, after
 * the run, polled until every service is back within the allowed growth (garbage collection and
 * freed sockets take a few seconds) or the wait is over.
 */
import { memoryOf } from './children.ts'

type RssByService = Record<string, number>

export async function rssOf(pids: Record<string, number>): Promise<RssByService> {
  const out: RssByService = {}
  for (const [name, pid] of Object.entries(pids)) out[name] = (await memoryOf(pid)).rssMiB
  return out
}

/** Services whose RSS is more than `growth` (0.1 = 10 %) above their baseline. */
export function grownBeyond(baseline: RssByService, now: RssByService, growth: number): string[] {
  return Object.keys(baseline).filter((name) => now[name]! > baseline[name]! * (1 + growth))
}

export async function settledRss(
  pids: Record<string, number>,
  baseline: RssByService,
  growth: number,
  waitMs: number,
): Promise<{ rss: RssByService; afterMs: number }> {
  const started = Date.now()
  for (;;) {
    const rss = await rssOf(pids)
    const afterMs = Date.now() - started
    if (grownBeyond(baseline, rss, growth).length === 0 || afterMs >= waitMs) return { rss, afterMs }
    await new Promise((r) => setTimeout(r, 1000))
  }
}

export function formatRss(baseline: RssByService, peak: RssByService, after: RssByService): string {
  const lines = [
    '| service | baseline MiB | right after MiB | settled MiB | settled vs baseline |',
    '| --- | --- | --- | --- | --- |',
  ]
  for (const name of Object.keys(baseline)) {
    const ratio = (after[name]! / baseline[name]! - 1) * 100
    lines.push(
      `| ${name} | ${baseline[name]!.toFixed(1)} | ${peak[name]!.toFixed(1)} | ${after[name]!.toFixed(1)} | ${ratio >= 0 ? '+' : ''}${ratio.toFixed(1)} % |`,
    )
  }
  return lines.join('\n')
}
