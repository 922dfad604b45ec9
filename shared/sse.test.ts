import { describe, expect, it } from 'vitest'
import { sseErrorEvent } from './sse.ts'

describe('sseErrorEvent', () => {
  it("writes the earlier chat route's bytes: event: error, the OpenAI envelope, the status as code", () => {
    expect(sseErrorEvent('vLLM stopped mid-stream: the connection was lost', 502)).toBe(
      'event: error\ndata: {"error":{"message":"vLLM stopped mid-stream: the connection was lost",' +
        '"type":"server_error","code":502}}\n\n',
    )
    expect(sseErrorEvent('max_tokens is too large', 400)).toBe(
      'event: error\ndata: {"error":{"message":"max_tokens is too large","type":"invalid_request_error","code":400}}\n\n',
    )
  })

  it('keeps a message with line breaks on one data line, so it cannot start a forged event', () => {
    const event = sseErrorEvent('bad\n\nevent: done\ndata: {}', 500)
    expect(event.split('\n\n')).toHaveLength(2)
    expect(JSON.parse(event.split('\n')[1]!.slice('data: '.length)).error.message).toBe(
      'bad\n\nevent: done\ndata: {}',
    )
  })

  it('ends a half-written event first when the stream was cut mid-way', () => {
    const cut = `data: {"n":1`
    const stream = cut + sseErrorEvent('swap-controller failed', 502, { afterPartialEvent: true })
    const events = stream.split('\n\n').filter((e) => e !== '')
    expect(events.at(-1)).toBe(
      'event: error\ndata: {"error":{"message":"swap-controller failed","type":"server_error","code":502}}',
    )
    expect(events[0]).toBe(cut)
  })
})
