/**
 * A tiny line chart as inline SVG, drawn on the server: no script, no inline style (our CSP has
 * none). Gaps (null readings, e.g. while vLLM was down) break the line instead of pretending zero.
 */
const W = 120
const H = 28

export function sparkPoints(values: ReadonlyArray<number | null>, min: number, max: number): string[] {
  const n = values.length
  if (n === 0) return []
  const span = max - min || 1
  const step = n > 1 ? W / (n - 1) : 0
  const runs: string[] = []
  let run: string[] = []
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      if (run.length) runs.push(run.join(' '))
      run = []
      return
    }
    const y = H - 1 - ((Math.min(max, Math.max(min, v)) - min) / span) * (H - 2)
    run.push(`${(i * step).toFixed(1)},${y.toFixed(1)}`)
  })
  if (run.length) runs.push(run.join(' '))
  return runs
}

/**
 * The chart's scale in words, read from the readings themselves: "now 42.6 tok/s · low 40 · high 43".
 * A line with no numbers beside it says only "it moved", not how much, nor in what unit.
 */
export function sparkScale(values: ReadonlyArray<number | null>, format: (v: number) => string): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v))
  if (finite.length === 0) return 'no readings yet'
  const last = values[values.length - 1]
  const now =
    last === null || last === undefined || !Number.isFinite(last) ? 'no reading now' : `now ${format(last)}`
  return `${now} · low ${format(Math.min(...finite))} · high ${format(Math.max(...finite))}`
}

const plain = (v: number) => (Math.abs(v) >= 100 ? String(Math.round(v)) : String(Math.round(v * 10) / 10))

export function Sparkline(props: {
  values: ReadonlyArray<number | null>
  label: string
  min?: number
  max?: number
  /** Writes one reading with its unit ("42.6 tok/s"); the scale text beside the line uses it. */
  format?: (v: number) => string
}) {
  const finite = props.values.filter((v): v is number => v !== null && Number.isFinite(v))
  const min = props.min ?? Math.min(0, ...finite)
  const max = props.max ?? Math.max(1, ...finite)
  const runs = sparkPoints(props.values, min, max)
  const scale = sparkScale(props.values, props.format ?? plain)
  return (
    <div class="spark-box">
      <svg
        class="spark"
        viewBox={`0 0 ${W} ${H}`}
        width={W}
        height={H}
        role="img"
        aria-label={`${props.label}: ${scale}`}
      >
        <title>{props.label}</title>
        {runs.map((points) =>
          points.includes(' ') ? (
            <polyline points={points} />
          ) : (
            <circle cx={points.split(',')[0]} cy={points.split(',')[1]} r="1.5" />
          ),
        )}
      </svg>
      {/* Hidden from screen readers: the chart's label already says it. */}
      <span class="spark-scale" aria-hidden="true" data-spark-scale="">
        {scale}
      </span>
    </div>
  )
}
