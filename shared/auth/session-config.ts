/**
 * The owner login's settings (opt-in: nothing changes until a password is set by
 * `DASHBOARD_PASSWORD` or in `<DATA_DIR>/dashboard-password`).
 */
import { env } from '../config.ts'

const HOUR_MS = 3600_000

export const loginConfig = () => ({
  /** The owner's dashboard password, in plain text; hashed in memory at start. Blank: see the file. */
  DASHBOARD_PASSWORD: env.optionalString(),
  /** A session ends after this long without a request (default 12 h)… */
  SESSION_IDLE_MS: env.int(12 * HOUR_MS, 1000),
  /** …and this long after the login in any case (default 7 days). */
  SESSION_MAX_MS: env.int(7 * 24 * HOUR_MS, 1000),
  /** Failed logins from one address before it must wait. */
  LOGIN_LOCKOUT_FAILURES: env.int(5, 1, 1000),
  /** The first wait; each further failure doubles it, up to the cap. */
  LOGIN_LOCKOUT_MS: env.int(60_000, 100),
  LOGIN_LOCKOUT_MAX_MS: env.int(HOUR_MS, 100),
  /** Failed logins from all addresses together, within one lockout period, before every address waits. */
  LOGIN_GLOBAL_FAILURES: env.int(50, 1, 100_000),
})
