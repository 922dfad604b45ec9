/**
 * The Settings page and its form: grouped fields with their source and when they apply, env-set
 * ones read-only, secrets never in the page; a save sends only what changed, and the answer says
 * what is in force now and what waits for a restart — in place with htmx, as a notice without it.
 */
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { SettingsBody, SettingsUpdateAnswer } from '../../shared/contracts/settings.ts'
import { AppError, validationFailed } from '../../shared/errors.ts'
import { silentLogger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import type { SettingsRead } from '../../shared/settings/file.ts'
import { applyReport, describeSettings, planUpdate } from '../../shared/settings/view.ts'
import { FlashNotices } from '../flash.ts'
import type { Chrome } from '../layout/layout.tsx'
import { formChanges } from './form-input.ts'
import { SETTINGS_PATHS } from './paths.ts'
import { settingsDashboardRoutes } from './routes.tsx'
import type { SettingsSource } from './source.ts'

const urls = { htmx: '/h.js', sse: '/s.js', css: '/c.css', script: '/d.js', icon: '/i.svg' }

/** A store over a file held in memory, with the environment given. */
function fakeSettings(env: Record<string, string>, file: Record<string, string>) {
  const saved: Array<Record<string, string | null>> = []
  const read = (): SettingsRead => ({ values: { ...file }, raw: { ...file }, problem: null })
  const source: SettingsSource = {
    read: async () => describeSettings(env, read(), '/data/app_settings.json'),
    async update(values) {
      saved.push(values)
      const plan = planUpdate(env, { ...file }, values)
      if (!plan.ok) throw plan.issues.length ? validationFailed(plan.issues) : new AppError(409, 'x', 'env')
      for (const k of Object.keys(file)) delete file[k]
      Object.assign(file, plan.raw)
      const body: SettingsBody = describeSettings(env, read(), '/data/app_settings.json')
      return { ...body, changed: plan.changed, ...applyReport(plan.changed) } satisfies SettingsUpdateAnswer
    },
  }
  return { source, saved, file }
}

function dashboard(settings: SettingsSource) {
  const chrome: Chrome = { simulated: false, controlsOpen: true, notices: new FlashNotices(), urls }
  const app = new Hono<AppEnv>()
  app.route('/', settingsDashboardRoutes({ settings, chrome, logger: silentLogger() }))
  return app
}

const post = (app: Hono<AppEnv>, form: Record<string, string>, htmx: boolean) =>
  app.request(SETTINGS_PATHS.save, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(htmx ? { 'hx-request': 'true' } : {}),
    },
    body: new URLSearchParams(form).toString(),
  })

describe('the settings page', () => {
  it('groups the fields by service with source and live/restart tags; env-set fields are read-only; no secret shows', async () => {
    const { source } = fakeSettings({ VLLM_PORT: '9000' }, { SPEECH_LANE_ASR: '3', QDRANT_API_KEY: 'k3y' })
    const html = await (await dashboard(source).request(SETTINGS_PATHS.page)).text()
    expect(html).toContain('<legend>Speech</legend>')
    expect(html).toMatch(/data-setting="SPEECH_LANE_ASR" data-source="file" data-applies="live"/)
    expect(html).toMatch(/data-setting="VLLM_PORT" data-source="env" data-applies="restart"/)
    expect(html).toMatch(/id="setting-VLLM_PORT" type="text" value="9000"[^>]*disabled/)
    expect(html).toContain('name="clear:QDRANT_API_KEY"')
    expect(html).not.toContain('k3y')
  })

  it('saves only what changed and says in place what applies now and what needs a restart', async () => {
    const { source, saved } = fakeSettings({}, { SPEECH_LANE_ASR: '3' })
    const res = await post(
      dashboard(source),
      { SPEECH_LANE_ASR: '3', SPEECH_LANE_TTS: '4', VLLM_CONTAINER: 'vllm_two', SWAP_WEBHOOK_SECRET: '' },
      true,
    )
    expect(res.status).toBe(200)
    expect(saved).toEqual([{ SPEECH_LANE_TTS: '4', VLLM_CONTAINER: 'vllm_two' }])
    const html = await res.text()
    expect(html).toContain('Saved. Some changes apply after a restart of swap-controller.')
    expect(html).toContain('Speech syntheses at once: in force now')
    expect(html).toContain('vLLM container name: after a restart of swap-controller')
  })

  it('without JavaScript lands back on the page with the notice; a refused value says which field', async () => {
    const { source, file } = fakeSettings({}, {})
    const app = dashboard(source)
    const res = await post(app, { SPEECH_LANE_ASR: 'many' }, false)
    expect(res.status).toBe(303)
    const back = await (await app.request(res.headers.get('location')!)).text()
    expect(back).toContain('Not saved: some values are not valid. Nothing changed.')
    expect(back).toContain('SPEECH_LANE_ASR: ')
    expect(file).toEqual({})
  })
})

describe('formChanges', () => {
  it('an emptied field removes the setting; an empty secret keeps it; its box removes it', async () => {
    const { source } = fakeSettings({}, { SPEECH_LANE_ASR: '3', ALERT_NTFY_TOKEN: 't' })
    const { settings } = await source.read()
    expect(formChanges({ SPEECH_LANE_ASR: '', ALERT_NTFY_TOKEN: '' }, settings)).toEqual({
      SPEECH_LANE_ASR: null,
    })
    expect(formChanges({ 'clear:ALERT_NTFY_TOKEN': 'on' }, settings)).toEqual({ ALERT_NTFY_TOKEN: null })
    expect(formChanges({ ALERT_NTFY_TOKEN: 'new' }, settings)).toEqual({ ALERT_NTFY_TOKEN: 'new' })
  })
})
