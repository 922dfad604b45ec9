import { describe, expect, it } from 'vitest'
import type { SettingsRead } from './file.ts'
import { KNOB_LIST } from './registry.ts'
import { applyReport, describeSettings, planUpdate } from './view.ts'

const read = (values: Record<string, string>): SettingsRead => ({ values, raw: { ...values }, problem: null })
const setting = (body: ReturnType<typeof describeSettings>, name: string) =>
  body.settings.find((s) => s.name === name)!

describe('the registry', () => {
  it('holds a page-sized set of knobs, each with words, an owner and a schema that accepts blank', () => {
    expect(KNOB_LIST.length).toBeGreaterThanOrEqual(20)
    expect(KNOB_LIST.length).toBeLessThanOrEqual(35)
    for (const knob of KNOB_LIST) {
      expect(knob.label.length, knob.name).toBeGreaterThan(3)
      expect(knob.help.length, knob.name).toBeGreaterThan(10)
      expect(knob.services.length, knob.name).toBeGreaterThan(0)
      expect(knob.schema.safeParse(undefined).success, knob.name).toBe(true)
    }
  })
})

describe('describeSettings', () => {
  it('says where each value comes from; environment-set knobs are read-only', () => {
    const body = describeSettings(
      { VLLM_PORT: '9000' },
      read({ VLLM_PORT: '8000', SPEECH_LANE_ASR: '3' }),
      '/d',
    )
    expect(setting(body, 'VLLM_PORT')).toMatchObject({ value: '9000', source: 'env', editable: false })
    expect(setting(body, 'SPEECH_LANE_ASR')).toMatchObject({
      value: '3',
      source: 'file',
      editable: true,
      applies: 'live',
      restart_needed_in: [],
    })
    expect(setting(body, 'SPEECH_LANE_TTS')).toMatchObject({ value: '2', default: '2', source: 'default' })
    expect(setting(body, 'VLLM_CONTAINER')).toMatchObject({ applies: 'restart', service: 'swap-controller' })
    expect(setting(body, 'DISABLED_SERVICES')).toMatchObject({ applies: 'restart', live_in: ['gateway'] })
  })

  it('masks secrets: only set or unset, never the value or a default', () => {
    const body = describeSettings({}, read({ SWAP_WEBHOOK_SECRET: 'hunter2' }), '/d')
    expect(setting(body, 'SWAP_WEBHOOK_SECRET')).toMatchObject({ value: 'set', default: null, secret: true })
    expect(setting(body, 'ALERT_NTFY_TOKEN')).toMatchObject({ value: 'unset', source: 'default' })
    expect(JSON.stringify(body)).not.toContain('hunter2')
  })

  it('shows a file value the schema refuses as not in force, and says why', () => {
    const body = describeSettings({}, read({ SPEECH_LANE_ASR: 'lots' }), '/d')
    expect(setting(body, 'SPEECH_LANE_ASR')).toMatchObject({ value: '1', source: 'default' })
    expect(body.problem).toMatch(/^SPEECH_LANE_ASR: /)
  })
})

describe('planUpdate', () => {
  it('sets, replaces and removes keys, keeping unknown keys untouched', () => {
    const plan = planUpdate(
      {},
      { SPEECH_LANE_ASR: '1', VLLM_PORT: 8000, OWNER_KEY: { x: 1 } },
      { SPEECH_LANE_ASR: 3, VLLM_PORT: null, SPEECH_LANE_TTS: '2', KOKORO_URL: ' ' },
    )
    expect(plan).toEqual({
      ok: true,
      raw: { SPEECH_LANE_ASR: '3', OWNER_KEY: { x: 1 }, SPEECH_LANE_TTS: '2' },
      changed: ['SPEECH_LANE_ASR', 'VLLM_PORT', 'SPEECH_LANE_TTS'],
    })
  })

  it('refuses a value the schema refuses, naming the field with its message', () => {
    const plan = planUpdate({}, {}, { SPEECH_LANE_ASR: '0', SWAP_WEBHOOK_URL: 'ftp://x', NOPE: '1' })
    expect(plan.ok).toBe(false)
    if (plan.ok) return
    expect(plan.issues.map((i) => i.field)).toEqual([
      'values.SPEECH_LANE_ASR',
      'values.SWAP_WEBHOOK_URL',
      'values.NOPE',
    ])
    expect(plan.issues[0]!.message).toMatch(/1/)
  })

  it('refuses to write a knob the environment sets', () => {
    expect(planUpdate({ VLLM_PORT: '9000' }, {}, { VLLM_PORT: '8000' })).toEqual({
      ok: false,
      issues: [],
      envSet: ['VLLM_PORT'],
    })
  })
})

describe('applyReport', () => {
  it('says what is in force now and which service must restart for the rest', () => {
    expect(applyReport(['SPEECH_LANE_ASR', 'VLLM_PORT', 'DISABLED_SERVICES'])).toEqual({
      applied_now: ['SPEECH_LANE_ASR'],
      restart_needed: [
        { service: 'swap-controller', settings: ['VLLM_PORT', 'DISABLED_SERVICES'] },
        { service: 'connectivity-monitor', settings: ['VLLM_PORT', 'DISABLED_SERVICES'] },
        { service: 'speech-proxy', settings: ['DISABLED_SERVICES'] },
        { service: 'vector-search', settings: ['DISABLED_SERVICES'] },
        { service: 'redaction-gateway', settings: ['DISABLED_SERVICES'] },
      ],
    })
  })
})
