/**
 * A container's log as `docker logs` sees it: timestamped lines, bounded (oldest dropped first so a
 * chatty container cannot grow memory without limit), with live followers for `docker logs -f`.
 */

export interface LogLine {
  /** Milliseconds since the epoch, plus a sub-millisecond counter so `--timestamps` stay ordered. */
  at: number
  seq: number
  text: string
}

export type Follower = { line(l: LogLine): void; end(): void }

export class LogBuffer {
  readonly lines: LogLine[] = []
  private readonly followers = new Set<Follower>()
  private seq = 0
  ended = false

  constructor(readonly maxLines = 5000) {}

  append(text: string): void {
    for (const part of text.split('\n')) {
      const line = { at: Date.now(), seq: this.seq++, text: part }
      this.lines.push(line)
      if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines)
      for (const f of this.followers) f.line(line)
    }
  }

  /** Followers are told when the container stops, which ends `docker logs -f`. */
  follow(f: Follower): () => void {
    if (this.ended) {
      f.end()
      return () => undefined
    }
    this.followers.add(f)
    return () => this.followers.delete(f)
  }

  end(): void {
    this.ended = true
    for (const f of this.followers) f.end()
    this.followers.clear()
  }

  /** A restarted container keeps its old lines and can be followed again. */
  reopen(): void {
    this.ended = false
  }
}

/** RFC 3339 with nanoseconds, the way `docker logs --timestamps` prints it. */
export function dockerTimestamp(l: LogLine): string {
  const iso = new Date(l.at).toISOString() // 2026-04-18T10:00:00.123Z
  const nanos = String(l.seq % 1_000_000).padStart(6, '0')
  return `${iso.slice(0, 23)}${nanos}Z`
}
