/** The connectivity page's words: latencies, spans, uptime to 0.001 %, unknown time, and "switching". */
import { describe, expect, it } from 'vitest'
import { NOW, SAMPLE_WINDOWS, target } from '../fixtures/connectivity.ts'
import {
  agoWords,
  exactTime,
  isSwitching,
  latency,
  maintenanceWords,
  readingWords,
  span,
  stateLook,
  unknownWords,
  uptimePct,
} from './words.ts'

describe('numbers', () => {
  it('says a latency with the precision that matters at its size', () => {
    expect(latency(0.4)).toBe('0.4 ms')
    expect(latency(12.4)).toBe('12 ms')
    expect(latency(1499)).toBe('1.5 s')
    expect(latency(-1)).toBe('—')
  })

  it('says a duration to the tenth of a second while that matters, coarser beyond', () => {
    expect(span(4200)).toBe('4.2 s')
    expect(span(1500)).toBe('1.5 s')
    expect(span(42_000)).toBe('42 s')
    expect(span(65_000)).toBe('1 min 5 s')
    expect(span(600_000)).toBe('10 min')
    expect(span(2 * 3600_000 + 5 * 60_000)).toBe('2 h 5 min')
    expect(span(7200_000)).toBe('2 h')
    expect(span(76 * 3600_000)).toBe('3 d 4 h')
    expect(span(Number.NaN)).toBe('—')
  })

  it('gives uptime to 0.001 % and never rounds a down minute up to 100 %', () => {
    expect(uptimePct(99.987)).toBe('99.987 %')
    expect(uptimePct(99.9999)).toBe('99.999 %')
    expect(uptimePct(100)).toBe('100.000 %')
    expect(uptimePct(0)).toBe('0.000 %')
    expect(uptimePct(null)).toBe('no data')
  })

  it('says unknown time apart, and nothing when every second is known', () => {
    expect(unknownWords(7200)).toBe('2 h unknown — the monitor was not running or had no reading')
    expect(unknownWords(0)).toBeNull()
  })

  it('says times in UTC, with the day when it is not today', () => {
    expect(exactTime('2030-01-02T09:03:04Z', NOW)).toBe('09:03:04 UTC')
    expect(exactTime('2029-12-30T09:03:04Z', NOW)).toBe('30 Dec 09:03 UTC')
    expect(exactTime(null, NOW)).toBe('an unknown time')
    expect(agoWords('2030-01-02T11:59:57Z', NOW)).toBe('3.0 s ago')
    expect(agoWords(null, NOW)).toBe('never')
  })
})

describe('readings', () => {
  it('names each layer and says a failure with its kind', () => {
    expect(readingWords('tcp', { ok: true, latency_ms: 0.4 })).toBe('TCP 0.4 ms')
    expect(readingWords('http', { ok: true, latency_ms: 812, detail: 'slow' })).toBe('health 812 ms slow')
    expect(readingWords('http', { ok: false, latency_ms: 1500, kind: 'timeout' })).toBe(
      'health no answer in time after 1.5 s',
    )
    expect(readingWords('tcp', { ok: false, latency_ms: 0.3, kind: 'refused' })).toBe(
      'TCP refused after 0.3 ms',
    )
  })
})

describe('the state pill', () => {
  it('has a word and a symbol for every state', () => {
    for (const state of ['up', 'busy', 'degraded', 'down', 'maintenance', 'unknown'] as const) {
      const look = stateLook(target('x', { state }), [], NOW)
      expect(look.label).toBe(state)
      expect(look.symbol).not.toBe('')
    }
  })

  it("calls a model switch 'switching' (the swap's window, or the monitor's swap reason), never down", () => {
    const vllm = target('vllm', { state: 'maintenance', maintenance: { reason: 'loading', until: null } })
    expect(isSwitching(vllm, SAMPLE_WINDOWS, NOW)).toBe(true)
    expect(stateLook(vllm, SAMPLE_WINDOWS, NOW).label).toBe('switching')
    const bySaying = { ...vllm, maintenance: { reason: 'swap: qwen3 (warming)', until: null } }
    expect(stateLook(bySaying, [], NOW).label).toBe('switching')
    expect(maintenanceWords('swap: qwen3 (warming)')).toBe('Switching the chat model: qwen3 (warming)')
    // An owner's window is maintenance, even when its reason mentions a swap of hardware.
    const kokoro = target('kokoro', {
      state: 'maintenance',
      maintenance: { reason: 'disk swap', until: null },
    })
    expect(stateLook(kokoro, SAMPLE_WINDOWS, NOW).label).toBe('maintenance')
    // A swap window that has not begun yet does not make a target "switching".
    const later = [{ ...SAMPLE_WINDOWS[1]!, starts_at: '2030-01-02T13:00:00Z' }]
    expect(isSwitching({ ...vllm, maintenance: { reason: 'x', until: null } }, later, NOW)).toBe(false)
  })
})
