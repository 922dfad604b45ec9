/**
 * When a state really began. The change is confirmed a probe or two after it happened; the
 * outage log wants its true start and end (durations within ±1 s), so the new state is dated
 * between the last evidence of the old state and the first of the new — the midpoint, when the
 * two are close enough (less than two steady intervals apart) for the midpoint to be within half
 * an interval of the truth. Further apart (nobody was looking), the first evidence of the new
 * state is the only honest date.
 */
export function backdate(lastBefore: number | null, first: number, intervalMs: number): number {
  if (lastBefore === null || lastBefore > first) return first
  return first - lastBefore < 2 * intervalMs ? Math.round((lastBefore + first) / 2) : first
}
