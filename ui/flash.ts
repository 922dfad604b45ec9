/**
 * What a form sent without JavaScript came to. htmx swaps the answer into the page; a plain form
 * post is redirected back (303), and the answer waits here for that next page, once. Only an opaque
 * id travels in the URL, so nobody can link someone to a page that says what they chose.
 */
import { randomUUID } from 'node:crypto'
import type { Notice } from './components/notice.tsx'

export interface FlashOptions {
  /** Bound on waiting answers; the oldest goes first (a redirect nobody followed). */
  maxEntries?: number
  /** A redirect is followed at once; an answer older than this is about a page long gone. */
  ttlMs?: number
  now?: () => number
}

/** The query parameter the redirect carries the id in. */
export const FLASH_PARAM = 'notice'

export class FlashNotices {
  private readonly entries = new Map<string, { notice: Notice; atMs: number }>()
  private readonly maxEntries: number
  private readonly ttlMs: number
  private readonly now: () => number

  constructor(options: FlashOptions = {}) {
    this.maxEntries = options.maxEntries ?? 64
    this.ttlMs = options.ttlMs ?? 5 * 60_000
    this.now = options.now ?? Date.now
  }

  /** Keeps `notice` for the next page and answers the id to send it there with. */
  put(notice: Notice): string {
    const id = randomUUID()
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(id, { notice, atMs: this.now() })
    return id
  }

  /** The notice kept under `id`, once: a reload shows the page as it is now. */
  take(id: string | undefined): Notice | null {
    if (!id) return null
    const entry = this.entries.get(id)
    if (!entry) return null
    this.entries.delete(id)
    return this.now() - entry.atMs <= this.ttlMs ? entry.notice : null
  }

  /** `path` with the notice's id attached, or `path` alone when there is nothing to say. */
  redirectPath(path: string, notice: Notice | null): string {
    return notice ? `${path}${path.includes('?') ? '&' : '?'}${FLASH_PARAM}=${this.put(notice)}` : path
  }
}
