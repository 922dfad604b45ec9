import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../../../shared/logger.ts'
import type { Outage, RecordedChange, Target, TargetState, Transition } from '../ports.ts'
import { createAlerter, DEGRADED_DEBOUNCE_FACTOR } from './alerter.ts'
import type { AlertSender, MonitorAlert, PostVerdict } from './ports.ts'

const T0 = Date.parse('2026-12-06T12:00:00Z')
const s = (seconds: number) => T0 + seconds * 1000

const node = (id: string): Target => ({
  id,
  kind: 'node',
  title: id,
  host: null,
  legacySubject: null,
  origins: [],
  disabled: false,
})
const upstream = (id: string, host: string | null = 'spark-1'): Target => ({
  ...node(id),
  kind: 'upstream',
  host,
})

/** A channel in memory: what it was sent, answering each try with the next scripted verdict (then ok). */
function fakeSender(script: PostVerdict[] = []) {
  const sent: Array<{ alert: MonitorAlert; delivery: string }> = []
  const sender: AlertSender = {
    name: 'fake',
    receiver: 'http://127.0.0.1',
    send: async (alert, delivery) => {
      sent.push({ alert, delivery })
      return script.shift() ?? { ok: true, status: 200 }
    },
  }
  return { sender, sent }
}

function setup(
  options: { debounceS?: number; remindMin?: number; maintenance?: Set<string>; script?: PostVerdict[] } = {},
) {
  const channel = fakeSender(options.script)
  const marked: string[] = []
  const held = options.maintenance ?? new Set<string>()
  const alerter = createAlerter({
    config: {
      ALERT_DEBOUNCE_S: options.debounceS ?? 30,
      ALERT_REMIND_MIN: options.remindMin ?? 0,
      SIMULATED_CLUSTER: true,
    },
    senders: [channel.sender],
    clock: { now: () => T0 },
    logger: silentLogger(),
    maintenance: { active: (t) => (held.has(t.id) ? { reason: 'planned', until: null } : null) },
    markAlerted: (id) => marked.push(id),
    delivery: { capacity: 100, maxAttempts: 3, baseMs: 1, maxMs: 2 },
  })
  let outages = 0
  /** Feeds a state change as the engine would, with what the history made of it. */
  function change(target: Target, from: TargetState, to: TargetState, at: number, reason = `${to} now`) {
    const t: Transition = { target: target.id, from, to, at, decidedAt: at + 500, reason, evidence: [] }
    const recorded: RecordedChange = {}
    const out = (x: TargetState) => x === 'down' || x === 'degraded'
    if (out(to) && !out(from)) recorded.opened = { id: `out_${++outages}` } as Outage
    if (out(from) && !out(to)) recorded.closed = { id: `out_${outages}`, duration_ms: at - T0 } as Outage
    alerter.onChange(t, target, recorded)
  }
  async function tick(at: number) {
    alerter.tick(at)
    await alerter.idle()
  }
  return { alerter, sent: channel.sent, marked, held, change, tick }
}

describe('alerter', () => {
  it('sends nothing for a blip that ends before the debounce', async () => {
    const { change, tick, sent } = setup()
    const vllm = upstream('vllm')
    change(vllm, 'up', 'down', s(0))
    await tick(s(29))
    change(vllm, 'down', 'up', s(29.5))
    await tick(s(31))
    await tick(s(120))
    expect(sent).toEqual([])
  })

  it('alerts once the outage has lasted the debounce from its start, then resolves it with its duration', async () => {
    const { change, tick, sent, marked } = setup()
    const vllm = upstream('vllm')
    change(vllm, 'up', 'down', s(0), 'connection refused')
    await tick(s(29.9))
    expect(sent).toEqual([])
    await tick(s(30))
    await tick(s(31))
    expect(sent.map((x) => x.alert)).toEqual([
      {
        event: 'outage',
        target: 'vllm',
        title: 'vllm',
        kind: 'upstream',
        state: 'down',
        severity: 'down',
        started_at: '2026-12-06T12:00:00.000Z',
        ended_at: null,
        duration_s: 30,
        reason: 'connection refused',
        grouped: [],
        simulated: true,
      },
    ])
    expect(marked).toEqual(['out_1'])
    change(vllm, 'down', 'up', s(95.25), 'answers again')
    await tick(s(96))
    expect(sent[1]!.alert).toMatchObject({
      event: 'resolved',
      state: 'up',
      ended_at: '2026-12-06T12:01:35.250Z',
      duration_s: 95.3,
      reason: 'answers again',
    })
    expect(sent[1]!.delivery).not.toBe(sent[0]!.delivery)
  })

  it(`waits ${DEGRADED_DEBOUNCE_FACTOR}× the debounce for a degraded target, the debounce once it goes down`, async () => {
    const { change, tick, sent } = setup({ debounceS: 10 })
    const kokoro = upstream('kokoro')
    change(kokoro, 'up', 'degraded', s(0))
    await tick(s(49))
    expect(sent).toEqual([])
    await tick(s(50))
    expect(sent.map((x) => x.alert.severity)).toEqual(['degraded'])

    const parakeet = upstream('parakeet')
    change(parakeet, 'up', 'degraded', s(100))
    await tick(s(105))
    change(parakeet, 'degraded', 'down', s(106))
    await tick(s(110))
    expect(sent.map((x) => [x.alert.target, x.alert.severity, x.alert.started_at])).toEqual([
      ['kokoro', 'degraded', '2026-12-06T12:00:00.000Z'],
      ['parakeet', 'down', '2026-12-06T12:01:40.000Z'],
    ])
  })

  it('alerts again, as down, a degraded outage already alerted that goes down; one resolve ends it', async () => {
    const { change, tick, sent, marked } = setup({ debounceS: 10 })
    const kokoro = upstream('kokoro')
    change(kokoro, 'up', 'degraded', s(0))
    await tick(s(50))
    change(kokoro, 'degraded', 'down', s(60))
    await tick(s(61))
    change(kokoro, 'down', 'degraded', s(70))
    await tick(s(200))
    change(kokoro, 'degraded', 'up', s(300))
    await tick(s(301))
    expect(
      sent.map((x) => `${x.alert.event}:${x.alert.severity}:${x.alert.started_at.slice(11, 19)}`),
    ).toEqual(['outage:degraded:12:00:00', 'outage:down:12:00:00', 'resolved:degraded:12:00:00'])
    expect(new Set(marked)).toEqual(new Set(['out_1']))
  })

  it('holds the alert back while maintenance covers the target, sends it if the outage outlasts it, and still resolves', async () => {
    const { change, tick, sent, held } = setup()
    const vllm = upstream('vllm')
    held.add('vllm')
    change(vllm, 'up', 'down', s(0))
    await tick(s(60))
    expect(sent).toEqual([])
    held.delete('vllm')
    await tick(s(61))
    expect(sent.map((x) => x.alert.event)).toEqual(['outage'])
    held.add('vllm')
    change(vllm, 'down', 'maintenance', s(70))
    await tick(s(71))
    expect(sent.map((x) => [x.alert.event, x.alert.state])).toEqual([
      ['outage', 'down'],
      ['resolved', 'maintenance'],
    ])
  })

  it('sends one alert for a node that is down, listing its targets, and resolves the node alone', async () => {
    const { change, tick, sent, marked } = setup()
    const spark = node('spark-1')
    const vllm = upstream('vllm')
    const qdrant = upstream('qdrant', 'spark-2')
    change(vllm, 'up', 'down', s(0))
    change(spark, 'up', 'down', s(1))
    change(qdrant, 'up', 'down', s(2))
    await tick(s(30))
    await tick(s(40))
    expect(sent.map((x) => [x.alert.target, x.alert.grouped])).toEqual([
      ['spark-1', ['vllm']],
      ['qdrant', []],
    ])
    expect(marked.sort()).toEqual(['out_1', 'out_2', 'out_3'])
    change(vllm, 'down', 'up', s(50))
    change(spark, 'down', 'up', s(51))
    await tick(s(200))
    expect(sent.map((x) => `${x.alert.event}:${x.alert.target}`)).toEqual([
      'outage:spark-1',
      'outage:qdrant',
      'resolved:spark-1',
    ])
  })

  it('gives a target held for its node a fresh debounce when the node comes back without it', async () => {
    const { change, tick, sent } = setup()
    const spark = node('spark-1')
    const vllm = upstream('vllm')
    change(spark, 'up', 'down', s(0))
    change(vllm, 'up', 'down', s(0))
    await tick(s(20))
    change(spark, 'down', 'up', s(25))
    await tick(s(40))
    expect(sent).toEqual([])
    await tick(s(55))
    expect(sent.map((x) => [x.alert.target, x.alert.started_at])).toEqual([
      ['vllm', '2026-12-06T12:00:00.000Z'],
    ])
  })

  it('reminds every ALERT_REMIND_MIN while the outage lasts, not while under maintenance', async () => {
    const { change, tick, sent, held } = setup({ remindMin: 1 })
    const vllm = upstream('vllm')
    change(vllm, 'up', 'down', s(0))
    await tick(s(30))
    await tick(s(89))
    await tick(s(90))
    held.add('vllm')
    await tick(s(150))
    held.delete('vllm')
    await tick(s(210))
    expect(sent.map((x) => [x.alert.event, x.alert.duration_s])).toEqual([
      ['outage', 30],
      ['reminder', 90],
      ['reminder', 210],
    ])
  })

  it('retries a failed delivery with the same delivery id, marks the outage only once it went out', async () => {
    const { change, tick, sent, marked } = setup({
      script: [
        { ok: false, retry: true, why: 'ECONNREFUSED' },
        { ok: false, retry: true, why: 'HTTP 503', status: 503 },
      ],
    })
    change(upstream('vllm'), 'up', 'down', s(0))
    await tick(s(30))
    expect(sent).toHaveLength(3)
    expect(new Set(sent.map((x) => x.delivery)).size).toBe(1)
    expect(marked).toEqual(['out_1'])
  })

  it('gives up after the tries, and never on a refusal (4xx)', async () => {
    const { change, tick, sent, marked } = setup({
      script: [
        { ok: false, retry: true, why: 'HTTP 500', status: 500 },
        { ok: false, retry: true, why: 'HTTP 500', status: 500 },
        { ok: false, retry: true, why: 'HTTP 500', status: 500 },
        { ok: false, retry: false, why: 'HTTP 404', status: 404 },
      ],
    })
    change(upstream('vllm'), 'up', 'down', s(0))
    await tick(s(30))
    change(upstream('kokoro'), 'up', 'down', s(40))
    await tick(s(70))
    expect(sent.map((x) => x.alert.target)).toEqual(['vllm', 'vllm', 'vllm', 'kokoro'])
    expect(marked).toEqual([])
  })

  it('takes no alert for a disabled target, and never throws into the engine', async () => {
    const { change, tick, sent, alerter } = setup({ debounceS: 0 })
    change({ ...upstream('embeddings'), disabled: true }, 'unknown', 'down', s(0))
    await tick(s(1))
    expect(sent).toEqual([])
    const broken = { ...upstream('x'), host: 'spark-1' }
    Object.defineProperty(broken, 'id', {
      get() {
        throw new Error('boom')
      },
    })
    expect(() =>
      alerter.onChange(
        { target: 'x', from: 'up', to: 'down', at: s(0), decidedAt: s(0), reason: '', evidence: [] },
        broken,
        {},
      ),
    ).not.toThrow()
    await alerter.close()
  })
})
