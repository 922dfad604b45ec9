/**
 * The dashboard's owner login and CSRF tokens, built from the gateway's configuration. The login is
 * off (every page open, as before) until a password is set: `DASHBOARD_PASSWORD`, hashed here in
 * memory, or the hash in `<DATA_DIR>/dashboard-password` (tools/dashboard-password.ts). CSRF tokens
 * are always issued; see login-guard.ts for when one is required.
 */
import type { AuditRecorder } from '../../../shared/audit/recorder.ts'
import { type CsrfTokens, createCsrfTokens } from '../../../shared/auth/csrf.ts'
import { createLockout, type Lockout } from '../../../shared/auth/lockout.ts'
import { hashPassword } from '../../../shared/auth/password.ts'
import { passwordFilePath, readPasswordHash } from '../../../shared/auth/password-file.ts'
import { createSessionStore, type SessionStore } from '../../../shared/auth/session.ts'
import type { Logger } from '../../../shared/logger.ts'
import type { GatewayConfig } from '../config.ts'

export interface DashboardLogin {
  /** The owner's password hash; null: no login (the default). */
  passwordHash: string | null
  sessions: SessionStore
  lockout: Lockout
  csrf: CsrfTokens
  audit: AuditRecorder
  now: () => number
}

export type LoginSettings = Pick<
  GatewayConfig,
  | 'DATA_DIR'
  | 'DASHBOARD_PASSWORD'
  | 'SESSION_IDLE_MS'
  | 'SESSION_MAX_MS'
  | 'LOGIN_LOCKOUT_FAILURES'
  | 'LOGIN_LOCKOUT_MS'
  | 'LOGIN_LOCKOUT_MAX_MS'
  | 'LOGIN_GLOBAL_FAILURES'
>

const noAudit: AuditRecorder = { record: () => {} }

export function createDashboardLogin(
  config: Omit<LoginSettings, 'DATA_DIR' | 'DASHBOARD_PASSWORD'>,
  options: { passwordHash: string | null; audit?: AuditRecorder; now?: () => number },
): DashboardLogin {
  const now = options.now ?? Date.now
  return {
    passwordHash: options.passwordHash,
    sessions: createSessionStore({ idleMs: config.SESSION_IDLE_MS, absoluteMs: config.SESSION_MAX_MS }, now),
    lockout: createLockout(
      {
        failures: config.LOGIN_LOCKOUT_FAILURES,
        baseMs: config.LOGIN_LOCKOUT_MS,
        maxMs: Math.max(config.LOGIN_LOCKOUT_MS, config.LOGIN_LOCKOUT_MAX_MS),
        globalFailures: config.LOGIN_GLOBAL_FAILURES,
      },
      now,
    ),
    csrf: createCsrfTokens(),
    audit: options.audit ?? noAudit,
    now,
  }
}

/** Reads the password (env first, then the file); a file that is not a hash stops the gateway. */
export async function openDashboardLogin(
  config: LoginSettings,
  logger: Logger,
  audit?: AuditRecorder,
): Promise<DashboardLogin> {
  const fromEnv = config.DASHBOARD_PASSWORD
  const file = passwordFilePath(config.DATA_DIR)
  const passwordHash = fromEnv ? await hashPassword(fromEnv) : await readPasswordHash(file)
  if (passwordHash === null) logger.info('dashboard login off: no DASHBOARD_PASSWORD and no password file')
  else logger.info({ source: fromEnv ? 'DASHBOARD_PASSWORD' : file }, 'dashboard login on')
  return createDashboardLogin(config, { passwordHash, audit })
}
