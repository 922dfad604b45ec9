/**
 * The check every service runs before any route: a request must carry the installation's proof
 * (proof.ts), which only the gateway and the services themselves can make. `/health` and `/ready`
 * stay open for container health checks. It is on once `startService` calls `requireInternalProof`
 * for the app; an app built in-process (unit tests) is not checked. Because a refused request never
 * reaches a route, the trust headers the gateway sets (`X-Spark-Actor`, `X-Spark-May-Swap`) are
 * only ever read from verified requests.
 */
import type { MiddlewareHandler } from 'hono'
import { AppError } from '../errors.ts'
import type { AppEnv, ServiceApp } from '../service.ts'
import { PROOF_HEADER, type ProofChecker } from './proof.ts'

const OPEN_PATHS = new Set(['/health', '/ready'])

const checkers = new WeakMap<object, ProofChecker>()

/** From now on `app` answers only requests that carry a valid proof (called by startService). */
export function requireInternalProof(app: ServiceApp, checker: ProofChecker): void {
  checkers.set(app, checker)
}

/** The middleware createService installs first; `app` is the service it guards. */
export function internalProofGuard(app: object): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const checker = checkers.get(app)
    if (!checker || OPEN_PATHS.has(c.req.path)) return next()
    const url = new URL(c.req.url)
    const verdict = checker.check(c.req.header(PROOF_HEADER), c.req.method, `${url.pathname}${url.search}`)
    if (verdict === 'ok') return next()
    c.var.log?.warn({ method: c.req.method, path: c.req.path, why: verdict }, 'refused: not from the gateway')
    throw new AppError(
      401,
      'unauthorized',
      'This service answers only requests that come through the gateway (no valid internal proof).',
    )
  }
}
