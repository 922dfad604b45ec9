/**
 * Mounts the dashboard (ui/) for `/`, `/ui/*` and `/static/*` (GET and HEAD), and its forms under
 * `/ui/actions/*` (POST, behind the gateway's same-origin guard). It runs as its
 * own Hono app so its middleware can never reach the API routes; the gateway's request id, logger
 * and shutdown signal are handed over, so its logs and errors carry the same request id.
 */
import { type Context, Hono } from 'hono'
import { AppError, notFound } from '../../../shared/errors.ts'
import { type AppEnv, type AppVariables, type ServiceApp, sendError } from '../../../shared/service.ts'

export const DASHBOARD_PATHS = ['/', '/ui', '/ui/*', '/static/*']
/** The dashboard's own forms (a person confirmed a swap, asked for a cancel): POST only. */
export const DASHBOARD_ACTION_PATHS = ['/ui/actions/*']

export function mountDashboard(app: ServiceApp, dashboard: Hono<AppEnv> | undefined) {
  if (!dashboard) {
    app.get('/', (c) => c.html(PLACEHOLDER))
    return
  }
  const inner = new Hono<AppEnv>()
  inner.use(async (c, next) => {
    const parent = (c.env as { parent: AppVariables }).parent
    c.set('requestId', parent.requestId)
    c.set('log', parent.log)
    c.set('shutdown', parent.shutdown)
    // The name of the API key that unlocked the dashboard, when keys are on: the audit log's "who".
    if (parent.actor) c.set('actor', parent.actor)
    if (parent.owner) c.set('owner', true)
    await next()
  })
  inner.route('/', dashboard)
  inner.notFound((c) => sendError(c, notFound(`No page at ${c.req.path}.`)))
  inner.onError((err, c) => {
    if (err instanceof AppError) return sendError(c, err)
    c.var.log.error({ err }, 'dashboard error')
    return sendError(
      c,
      new AppError(
        500,
        'internal_error',
        'The page failed to render; the error was logged with this request id.',
      ),
    )
  })
  const forward = (c: Context<AppEnv>) =>
    inner.fetch(c.req.raw, {
      parent: {
        requestId: c.var.requestId,
        log: c.var.log,
        shutdown: c.var.shutdown,
        actor: c.var.actor,
        owner: c.var.owner,
      },
    })
  app.on(['GET', 'HEAD'], DASHBOARD_PATHS, forward)
  app.on('POST', DASHBOARD_ACTION_PATHS, forward)
}

const PLACEHOLDER = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Spark Control</title></head>
<body><h1>Spark Control</h1><p>The dashboard is not installed in this build.</p>
<p>Status: <a href="/api/status">/api/status</a> · API reference: <a href="/docs">/docs</a></p></body></html>`
