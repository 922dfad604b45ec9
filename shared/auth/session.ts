/**
 * The owner's dashboard sessions, kept in memory: a restart of the gateway logs the owner out (the
 * ids were never written anywhere). Each id is 256 random bits; a session ends after `idleMs`
 * without a request or `absoluteMs` after the login, whichever comes first, or at logout.
 */
import { randomBytes } from 'node:crypto'

/** The session cookie: HttpOnly, SameSite=Strict, Secure behind HTTPS (like the key cookie). */
export const SESSION_COOKIE = 'sc_session'
/** Who the audit log names for what a logged-in owner does. */
export const OWNER_ACTOR = 'owner'

export interface SessionTimes {
  idleMs: number
  absoluteMs: number
}

export interface Session {
  readonly id: string
  readonly createdMs: number
  lastSeenMs: number
}

export interface SessionStore {
  /** A new session; the id the browser held before (if any) is destroyed, so login rotates the id. */
  create(previousId?: string | null): Session
  /** The live session for this id (its idle clock restarts), or null when unknown or expired. */
  touch(id: string | null): Session | null
  destroy(id: string | null): void
  readonly size: number
}

/** More would mean something is logging in in a loop; the oldest sessions go first. */
const MAX_SESSIONS = 1000
const ID_CHARS = /^[A-Za-z0-9_-]{43}$/

export function createSessionStore(
  times: SessionTimes,
  now: () => number = Date.now,
  randomId: () => string = () => randomBytes(32).toString('base64url'),
): SessionStore {
  const sessions = new Map<string, Session>()
  const expired = (s: Session, at: number) =>
    at - s.lastSeenMs >= times.idleMs || at - s.createdMs >= times.absoluteMs
  const sweep = (at: number) => {
    for (const [id, s] of sessions) if (expired(s, at)) sessions.delete(id)
  }
  return {
    create(previousId) {
      if (previousId) sessions.delete(previousId)
      const at = now()
      sweep(at)
      while (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!)
      const session: Session = { id: randomId(), createdMs: at, lastSeenMs: at }
      sessions.set(session.id, session)
      return session
    },
    touch(id) {
      if (id === null || !ID_CHARS.test(id)) return null
      const session = sessions.get(id)
      if (!session) return null
      const at = now()
      if (expired(session, at)) {
        sessions.delete(id)
        return null
      }
      session.lastSeenMs = at
      return session
    },
    destroy(id) {
      if (id) sessions.delete(id)
    },
    get size() {
      return sessions.size
    },
  }
}
