/**
 * An OpenAI chat-completions event stream restored as it passes: the text is cut into events at
 * blank lines (any of `\n`, `\r\n`, `\r`), each `data:` JSON chunk goes through the chunk
 * restorer, and everything else — comments, `event: error`, `[DONE]`, data that is not JSON — passes
 * as it came. An event whose texts did not change is passed as it came (its lines ended with `\n`); a
 * changed one is written back with one `data:` line. Before `[DONE]` (or the end) one extra chunk carries what unfinished
 * choices still hold.
 */
import { AppError } from '../../../../shared/errors.ts'
import type { ChunkRestorer } from './chunk-restorer.ts'

export interface TextStage {
  push(text: string): string
  end(): string
}

/** One event held while it arrives is bounded: past this it is refused (413), never buffered on. */
export const eventTooLarge = (maxChars: number) =>
  new AppError(413, 'event_too_large', `An event of the stream is over ${maxChars} characters.`)

export function createSseRestorer(chunks: ChunkRestorer, options: { maxEventChars: number }): TextStage {
  let partial = ''
  let lines: string[] = []
  let eventChars = 0

  const flushed = (): string => {
    const rest = chunks.flush()
    return rest ? `data: ${JSON.stringify(rest)}\n\n` : ''
  }

  function dispatch(event: string[]): string {
    const data = event.filter((l) => l.startsWith('data:')).map((l) => l.slice(l[5] === ' ' ? 6 : 5))
    const named = event.find((l) => l.startsWith('event:'))
    const raw = `${event.join('\n')}\n\n`
    if (data.length === 0 || (named && named.slice(6).trim() !== 'message')) return raw
    const text = data.join('\n')
    if (text.trim() === '[DONE]') {
      return flushed() + raw
    }
    const parsed = parseObject(text)
    const restored = parsed && chunks.chunk(parsed)
    if (!restored) return raw
    const first = event.findIndex((l) => l.startsWith('data:'))
    const kept = event.filter((l, i) => i === first || !l.startsWith('data:'))
    kept[first] = `data: ${JSON.stringify(restored)}`
    return `${kept.join('\n')}\n\n`
  }

  function take(text: string, atEnd: boolean): string {
    let s = partial + text
    // A `\r` at the end may be the first half of `\r\n`: wait for the next character.
    const hold = !atEnd && s.endsWith('\r') ? 1 : 0
    partial = hold ? '\r' : ''
    if (hold) s = s.slice(0, -1)
    const pieces = s.split(/\r\n|\r|\n/)
    const tail = pieces.pop() ?? ''
    let out = ''
    for (const line of pieces) {
      if (line !== '') {
        lines.push(line)
        eventChars += line.length
        continue
      }
      if (lines.length > 0) out += dispatch(lines)
      lines = []
      eventChars = 0
    }
    if (eventChars + tail.length > options.maxEventChars) throw eventTooLarge(options.maxEventChars)
    partial = tail + partial
    return out
  }

  return {
    push: (text) => take(text, false),
    end() {
      let out = take('', true)
      if (partial !== '') lines.push(partial)
      partial = ''
      if (lines.length > 0) out += dispatch(lines)
      lines = []
      return out + flushed()
    },
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
