/**
 * `docker logs -t` gives a container's stdout and stderr on the two streams (uvicorn writes its
 * log to stderr); their fixed-width RFC3339Nano stamps put the lines back in write order.
 */
const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) ?/

export function mergeLogStreams(stdout: string, stderr: string): string[] {
  const lines = [...stdout.split('\n'), ...stderr.split('\n')].filter((l) => l !== '')
  const stamped = lines.map((line, i) => ({ stamp: STAMP.exec(line)?.[1] ?? '', line, i }))
  stamped.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.i - b.i))
  return stamped.map((s) => s.line.replace(STAMP, '').replace(/\r$/, ''))
}
