import { describe, expect, it } from 'vitest'
import type { MonitorEvent } from '../../../shared/contracts/connectivity-monitor.ts'
import { postJson, startedMonitor } from '../testing/app.ts'

describe('GET /api/monitor/events', () => {
  /** Reads SSE messages off a response until `count` have come. */
  async function readEvents(res: Response, count: number, onFirst?: () => void): Promise<MonitorEvent[]> {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    const events: MonitorEvent[] = []
    let buffer = ''
    while (events.length < count) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
      let end = buffer.indexOf('\n\n')
      while (end >= 0) {
        const data = buffer
          .slice(0, end)
          .split('\n')
          .find((l) => l.startsWith('data:'))
        if (data) events.push(JSON.parse(data.slice(5)))
        buffer = buffer.slice(end + 2)
        end = buffer.indexOf('\n\n')
        if (events.length === 3) onFirst?.()
      }
    }
    await reader.cancel()
    return events
  }

  it('sends each target’s state first, then live events', async () => {
    const { app } = startedMonitor()
    const res = await app.request('/api/monitor/events')
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events = await readEvents(res, 4, () => {
      void app.request('/api/health-event', postJson({ service: 'parakeet', ok: true, source: 'recap' }))
    })
    expect(events.slice(0, 3)).toEqual(
      ['vllm', 'parakeet', 'spark-2'].map((target) =>
        expect.objectContaining({ type: 'state', target, from: 'unknown', to: 'unknown' }),
      ),
    )
    expect(events.slice(3)).toEqual([
      expect.objectContaining({ type: 'state', target: 'parakeet', from: 'unknown', to: 'up' }),
    ])
  })

  it('sends a comment line while nothing happens, so proxies keep the stream open', async () => {
    const { app } = startedMonitor({ events: { heartbeatMs: 20 } })
    const res = await app.request('/api/monitor/events')
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    while (!text.includes(': keep-alive')) text += (await reader.read()).value ?? ''
    await reader.cancel()
    expect(text.indexOf(': keep-alive')).toBeGreaterThan(text.lastIndexOf('event: state'))
  })

  it('drops a client that falls behind instead of holding the engine', async () => {
    const { app, engine } = startedMonitor({ events: { queueSize: 2 } })
    const res = await app.request('/api/monitor/events')
    // Nobody reads the stream: the queue fills and the client is dropped.
    for (let i = 0; i < 10; i++)
      engine.report({ target: 'vllm', layer: 'passive', at: Date.now(), ok: true, latencyMs: 1, source: 't' })
    const text = await res.text()
    expect(text.match(/event: state/g)).toHaveLength(3)
    expect(text.match(/event: report/g)?.length ?? 0).toBeLessThanOrEqual(2)
  })
})
