import { describe, expect, it } from 'vitest'
import { cell, sweepResult } from '../fixtures/ops.ts'
import {
  errorRateWords,
  kneeRows,
  latestPerTarget,
  progressWords,
  recommendationWords,
} from './sweep-words.ts'

describe('the knee table', () => {
  it('lists the levels in order with the knee marked and errors said with their counts', () => {
    const s = sweepResult({ cells: [cell(2, 3.9, 640), cell(1, 2, 600), cell(3, 5.6, 700, 2)], knee: 2 })
    const rows = kneeRows(s)
    expect(rows.map((r) => r.concurrency)).toEqual([1, 2, 3])
    expect(rows.map((r) => r.isKnee)).toEqual([false, true, false])
    expect(rows[0]).toMatchObject({ throughput: '2.00/s', p95: '600 ms', p50: '420 ms', p99: '720 ms' })
    expect(rows[2]).toMatchObject({ hasErrors: true, errors: '3.6 % (2 of 56)' })
  })

  it('never rounds a few errors down to zero', () => {
    expect(errorRateWords({ ...cell(1, 100, 10), errors: 1, requests: 5000, error_rate: 0.0002 })).toBe(
      '< 0.1 % (1 of 5000)',
    )
    expect(errorRateWords(cell(1, 1, 1))).toBe('0 %')
  })

  it('says the recommended limit with its setting, or why there is none', () => {
    expect(recommendationWords(sweepResult())).toBe(
      'Recommended limit: 3 requests at once — set SPEECH_LANE_ASR=3.',
    )
    expect(recommendationWords(sweepResult({ recommended_limit: 1, setting: null }))).toBe(
      'Recommended limit: 1 request at once.',
    )
    expect(recommendationWords(sweepResult({ recommended_limit: null, status: 'failed' }))).toBe(
      'No recommendation: the sweep failed.',
    )
  })
})

describe('the latest sweep per target', () => {
  it('keeps the running sweep apart from the newest finished one', () => {
    const old = sweepResult({ id: 'old', started_at: '2030-01-01T00:00:00Z' })
    const last = sweepResult({ id: 'last', started_at: '2030-01-02T00:00:00Z' })
    const running = sweepResult({
      id: 'now',
      status: 'running',
      started_at: '2030-01-02T11:00:00Z',
      cells: [cell(1, 2, 5)],
    })
    const tts = sweepResult({ id: 'tts', target: 'tts' })
    const byTarget = latestPerTarget([old, running, tts, last])
    expect(byTarget.map((t) => [t.target, t.running?.id ?? null, t.latest?.id ?? null])).toEqual([
      ['asr', 'now', 'last'],
      ['tts', null, 'tts'],
      ['embeddings', null, null],
    ])
    expect(progressWords(running)).toBe('Measured 1 at once so far.')
    expect(progressWords({ ...running, cells: [] })).toBe('Warming up: no level measured yet.')
  })
})
