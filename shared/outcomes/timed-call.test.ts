import { describe, expect, it } from 'vitest'
import type { RequestOutcome } from '../contracts/connectivity-monitor.ts'
import { failureKind } from './failure-kind.ts'
import type { OutcomeSink } from './reporter.ts'
import { reportCall } from './timed-call.ts'

const sink = () => {
  const seen: RequestOutcome[] = []
  const s: OutcomeSink = { enabled: true, record: (o) => seen.push(o) }
  return { s, seen }
}

const coded = (code: string) => Object.assign(new Error(code), { code })

describe('failureKind', () => {
  it('names transport failures, from the error or the cause fetch wraps it in', () => {
    expect(failureKind(coded('ECONNREFUSED'))).toBe('refused')
    expect(failureKind(new TypeError('fetch failed', { cause: coded('ECONNRESET') }))).toBe('reset')
    expect(failureKind(coded('UND_ERR_SOCKET'))).toBe('reset')
    expect(failureKind(coded('EHOSTUNREACH'))).toBe('unreachable')
    expect(failureKind(coded('ENOTFOUND'))).toBe('dns')
    expect(failureKind(coded('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout')
    expect(failureKind(new DOMException('late', 'TimeoutError'))).toBe('timeout')
    expect(failureKind(new Error('odd'))).toBe('other')
    expect(failureKind(undefined)).toBe('other')
  })
})

describe('reportCall', () => {
  it('reports a result as ok, an answered error by its status, a transport failure by its kind', async () => {
    const { s, seen } = sink()
    await reportCall(s, 'qdrant', async () => 'fine')
    const answered = Object.assign(new Error('not found'), { status: 404 })
    await expect(reportCall(s, 'qdrant', () => Promise.reject(answered))).rejects.toBe(answered)
    const broken = Object.assign(new Error('bad gateway'), { status: 502 })
    await expect(reportCall(s, 'qdrant', () => Promise.reject(broken))).rejects.toBe(broken)
    const refused = new TypeError('fetch failed', { cause: coded('ECONNREFUSED') })
    await expect(reportCall(s, 'qdrant', () => Promise.reject(refused))).rejects.toBe(refused)
    await expect.poll(() => seen.length).toBe(4)
    expect(seen.map(({ ok, kind, status }) => ({ ok, kind, status }))).toEqual([
      { ok: true, kind: undefined, status: undefined },
      { ok: true, kind: undefined, status: 404 },
      { ok: false, kind: 'http_5xx', status: 502 },
      { ok: false, kind: 'refused', status: undefined },
    ])
    expect(seen.every((o) => o.target === 'qdrant' && o.latency_ms >= 0)).toBe(true)
  })

  it('leaves out a call its caller cancelled, but not one that timed out', async () => {
    const { s, seen } = sink()
    const cancelled = new DOMException('gone', 'AbortError')
    await expect(reportCall(s, 'qdrant', () => Promise.reject(cancelled))).rejects.toBe(cancelled)
    const late = Object.assign(new Error('late'), { name: 'QdrantClientTimeoutError' })
    await expect(reportCall(s, 'qdrant', () => Promise.reject(late))).rejects.toBe(late)
    await expect.poll(() => seen.length).toBe(1)
    expect(seen[0]).toMatchObject({ ok: false, kind: 'timeout' })
  })
})
