import { describe, expect, it } from 'vitest'
import { completionVerdict, streamVerdict } from './chat.ts'

const SSE = 'text/event-stream; charset=utf-8'
const chunk = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`

describe('chat verdicts', () => {
  it('takes a completion with content or with reasoning only', () => {
    expect(() => completionVerdict({ choices: [{ message: { content: 'ready' } }] })).not.toThrow()
    expect(() =>
      completionVerdict({ choices: [{ message: { content: null, reasoning_content: 'Thinking…' } }] }),
    ).not.toThrow()
  })

  it('fails a completion without text, saying how it finished', () => {
    expect(() =>
      completionVerdict({ choices: [{ message: { content: '' }, finish_reason: 'length' }] }),
    ).toThrow('the completion has no text (finish_reason length)')
    expect(() => completionVerdict({ choices: [] })).toThrow('the completion has no choices')
  })

  it('counts the chunks of a stream that carried text and ended with [DONE]', () => {
    const body = `${chunk({ role: 'assistant', content: '' })}${chunk({ content: 'rea' })}${chunk({ content: 'dy' })}data: [DONE]\n\n`
    expect(streamVerdict(SSE, body)).toBe(2)
  })

  it('fails a stream that is not SSE, carries no text, never ends or ends in an error event', () => {
    expect(() => streamVerdict('application/json', '{}')).toThrow('not text/event-stream')
    expect(() => streamVerdict(SSE, `${chunk({ content: '' })}data: [DONE]\n\n`)).toThrow(
      'the stream carried no text',
    )
    expect(() => streamVerdict(SSE, chunk({ content: 'half' }))).toThrow('without its closing [DONE]')
    expect(() =>
      streamVerdict(
        SSE,
        `${chunk({ content: 'x' })}event: error\ndata: {"error":{"message":"vLLM went away"}}\n\n`,
      ),
    ).toThrow('the stream ended with an error event: {"error":{"message":"vLLM went away"}}')
  })
})
