/**
 * The Prometheus text exposition format (what vLLM's `/metrics` serves through prometheus_client):
 * `name{label="value",…} value [timestamp]`, `#` comments. Only samples are kept; HELP/TYPE lines
 * are not needed because vLLM's names already say what they are (`_total`, `_bucket`).
 */

export interface PromSample {
  name: string
  labels: Record<string, string>
  value: number
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:]*/
const ESCAPES: Record<string, string> = { n: '\n', '\\': '\\', '"': '"' }

/** `{a="x",b="y\"z"}` starting at `text[start]`; returns the labels and the index after `}`. */
function parseLabels(text: string, start: number): { labels: Record<string, string>; end: number } | null {
  const labels: Record<string, string> = {}
  let i = start + 1
  for (;;) {
    while (text[i] === ' ' || text[i] === ',') i++
    if (text[i] === '}') return { labels, end: i + 1 }
    const name = NAME.exec(text.slice(i))
    if (!name) return null
    i += name[0].length
    if (text[i] !== '=' || text[i + 1] !== '"') return null
    i += 2
    let value = ''
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        value += ESCAPES[text[i + 1] ?? ''] ?? text[i + 1] ?? ''
        i += 2
      } else value += text[i++]
    }
    if (i >= text.length) return null
    labels[name[0]] = value
    i++
  }
}

export function parsePromValue(raw: string): number | null {
  if (raw === '+Inf' || raw === 'Inf') return Number.POSITIVE_INFINITY
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY
  if (raw === 'NaN') return Number.NaN
  const n = Number(raw)
  return raw !== '' && !Number.isNaN(n) ? n : null
}

/** Every sample line; malformed lines are skipped, never fatal (one odd metric must not blank the panel). */
export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const name = NAME.exec(line)
    if (!name) continue
    let rest = name[0].length
    let labels: Record<string, string> = {}
    if (line[rest] === '{') {
      const parsed = parseLabels(line, rest)
      if (!parsed) continue
      labels = parsed.labels
      rest = parsed.end
    }
    const value = parsePromValue(line.slice(rest).trim().split(/\s+/)[0] ?? '')
    if (value !== null) samples.push({ name: name[0], labels, value })
  }
  return samples
}
