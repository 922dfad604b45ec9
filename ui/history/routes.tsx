/** `GET /ui/history`: the merged audit view with the filters of its form (ui/history/filters.ts). */
import { Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import type { Chrome } from '../layout/layout.tsx'
import { MergedHistoryPage } from '../pages/history.tsx'
import { chromeFor, page, pageReader } from '../respond.ts'
import { readFilters } from './filters.ts'
import type { AuditViewSource } from './source.ts'

export function historyDashboardRoutes(deps: {
  audit: AuditViewSource
  chrome: Chrome
  logger: Logger
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const read = pageReader(deps.logger, 'audit')
  app.get('/ui/history', async (c) => {
    const filters = readFilters((name) => c.req.query(name))
    const audit = await read(c, 'audit', deps.audit.read(filters.query, c.req.raw.signal))
    return page(c, <MergedHistoryPage chrome={chromeFor(deps.chrome, c)} filters={filters} audit={audit} />)
  })
  return app
}
