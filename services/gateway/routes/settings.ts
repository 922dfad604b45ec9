/**
 * `GET /api/settings` and `PUT /api/settings`: the optional knobs of `<DATA_DIR>/app_settings.json`
 * (the dashboard's Settings page uses the same store). The write needs the `admin` key scope when
 * keys are on (domain/route-groups.ts) and passes the same-origin guard like every control route.
 */
import { createRoute } from '@hono/zod-openapi'
import { settingsBody, settingsUpdateAnswer, settingsUpdateBody } from '../../../shared/contracts/settings.ts'
import { jsonBody, jsonContent } from '../../../shared/openapi.ts'
import { createRouter, type ServiceApp } from '../../../shared/service.ts'
import type { SettingsStore } from '../adapters/settings-store.ts'

export const SETTINGS_PATH = '/api/settings'

const readRoute = createRoute({
  method: 'get',
  path: SETTINGS_PATH,
  tags: ['gateway'],
  summary:
    'The optional settings: each value (secrets only set/unset), where it comes from, live or after a restart',
  responses: { 200: jsonContent('Every setting the dashboard shows', settingsBody) },
})

const writeRoute = createRoute({
  method: 'put',
  path: SETTINGS_PATH,
  tags: ['gateway'],
  summary:
    'Save settings to the settings file (null removes one); says what applies now and what needs a restart',
  request: { body: jsonBody(settingsUpdateBody) },
  responses: {
    200: jsonContent(
      'Saved; the settings as they are now, and what the change came to',
      settingsUpdateAnswer,
    ),
  },
})

export function settingsRoutes({ store }: { store: SettingsStore }): ServiceApp {
  const router = createRouter()
  router.openapi(readRoute, async (c) => c.json(await store.read(), 200))
  router.openapi(writeRoute, async (c) => {
    const { values } = c.req.valid('json')
    return c.json(await store.update(values, c.var.actor ?? 'api'), 200)
  })
  return router
}
