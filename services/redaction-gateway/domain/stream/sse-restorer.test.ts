import { describe, expect, it } from 'vitest'
import { mapLookup } from '../rehydrate/testing-maps.ts'
import { createChunkRestorer } from './chunk-restorer.ts'
import { createSseRestorer } from './sse-restorer.ts'
import { createTextRestorer } from './text-restorer.ts'

const MAP = {
  '[PERSON_1]': 'Sarah Johnson',
  '[PERSON_12]': 'Zoë Ng',
  '[ORG_1]': 'O"Brien \\ Partners',
}

type Json = Record<string, unknown>
const chunk = (choices: Json[]) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices,
})
const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`

/** Everything a restorer makes of `input` fed in the given pieces. */
function run(pieces: string[], maxEventChars = 1 << 20): string {
  const stage = createSseRestorer(createChunkRestorer(mapLookup(MAP)), { maxEventChars })
  return pieces.map((p) => stage.push(p)).join('') + stage.end()
}

/** The texts of an output stream, per choice: content and each tool call's arguments, joined. */
function texts(out: string) {
  const content: Record<number, string> = {}
  const args: Record<string, string> = {}
  for (const event of out.split('\n\n')) {
    const data = event
      .split('\n')
      .find((l) => l.startsWith('data: '))
      ?.slice(6)
    if (!data || data === '[DONE]') continue
    for (const choice of (JSON.parse(data) as { choices: Json[] }).choices) {
      const delta = (choice.delta ?? {}) as { content?: string; tool_calls?: Json[] }
      const i = choice.index as number
      if (delta.content !== undefined) content[i] = (content[i] ?? '') + delta.content
      for (const call of delta.tool_calls ?? []) {
        const key = `${i}/${call.index}`
        args[key] = (args[key] ?? '') + ((call.function as Json)?.arguments ?? '')
      }
    }
  }
  return { content, args }
}

const STREAM = [
  sse(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }])),
  sse(chunk([{ index: 0, delta: { content: 'Dear [PERS' }, finish_reason: null }])),
  sse(chunk([{ index: 0, delta: { content: 'ON_1], meet [PERSON_1' }, finish_reason: null }])),
  sse(chunk([{ index: 0, delta: { content: '2] at [ORG_1].' }, finish_reason: null }])),
  sse(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }])),
  'data: [DONE]\n\n',
].join('')

describe('SSE restorer', () => {
  it('gives the same output whatever byte the stream is split at', () => {
    const whole = run([STREAM])
    expect(texts(whole).content[0]).toBe(`Dear Sarah Johnson, meet Zoë Ng at ${MAP['[ORG_1]']}.`)
    expect(whole.endsWith('data: [DONE]\n\n')).toBe(true)
    for (let at = 1; at < STREAM.length; at++) {
      expect(texts(run([STREAM.slice(0, at), STREAM.slice(at)])), `split at ${at}`).toEqual(texts(whole))
    }
    // And cut into single characters, with CRLF line ends.
    const crlf = STREAM.replace(/\n/g, '\r\n')
    expect(texts(run([...crlf]))).toEqual(texts(whole))
  })

  it('keeps tool-call arguments valid JSON with quotes and backslashes restored, per call', () => {
    const call = (index: number, args: string, extra: Json = {}) => ({
      index,
      ...extra,
      function: { arguments: args },
    })
    const events = [
      sse(
        chunk([
          { index: 0, delta: { tool_calls: [call(0, '{"to": "[OR', { id: 't0', type: 'function' })] } },
        ]),
      ),
      sse(chunk([{ index: 0, delta: { tool_calls: [call(1, '{"who": "[PERSON_1', { id: 't1' })] } }])),
      sse(chunk([{ index: 0, delta: { tool_calls: [call(0, 'G_1]"}'), call(1, ']"}')] } }])),
      sse(chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }])),
    ].join('')
    for (let at = 0; at <= events.length; at += 7) {
      const { args } = texts(run([events.slice(0, at), events.slice(at)]))
      expect(JSON.parse(args['0/0']!)).toEqual({ to: MAP['[ORG_1]'] })
      expect(JSON.parse(args['0/1']!)).toEqual({ who: 'Sarah Johnson' })
    }
  })

  it('holds each choice apart and flushes what is held at [DONE] when no finish_reason came', () => {
    const events = [
      sse(
        chunk([
          { index: 0, delta: { content: 'A [PERSON_' } },
          { index: 1, delta: { content: 'B [PERSON' } },
        ]),
      ),
      sse(
        chunk([
          { index: 1, delta: { content: '_1]' } },
          { index: 0, delta: { content: '12' } },
        ]),
      ),
      'data: [DONE]\n\n',
    ].join('')
    const out = run([events])
    // `[PERSON_12` (no closing bracket) is a tolerant form: it is restored once the stream says it is whole.
    expect(texts(out).content).toEqual({ 0: 'A Zoë Ng', 1: 'B Sarah Johnson' })
    expect(out.indexOf('Zoë Ng')).toBeGreaterThan(0)
    expect(out.indexOf('Zoë Ng')).toBeLessThan(out.indexOf('data: [DONE]'))
  })

  it('passes comments, error events, usage chunks and non-JSON data unchanged', () => {
    const events = [
      ': keep-alive\n\n',
      'event: error\ndata: {"error":{"message":"[PERSON_1] x"}}\n\n',
      'data: {"id":"u","choices":[],"usage":{"total_tokens":3}}\n\n',
      'data: not json [PERSON_1]\n\n',
    ].join('')
    expect(run([events])).toBe(events)
  })

  it('refuses an event longer than the limit instead of buffering it', () => {
    expect(() => run([`data: ${'x'.repeat(200)}`], 100)).toThrow(/over 100 characters/)
  })
})

describe('text restorer', () => {
  it('puts back neutralised brackets split across chunks, and restores tokens', () => {
    const r = createTextRestorer(mapLookup(MAP))
    const out = ['a ［PERS', 'ON_1］ and [PERSON', '_1] end'].map((p) => r.push(p)).join('') + r.end()
    expect(out).toBe('a [PERSON_1] and Sarah Johnson end')
  })
})
