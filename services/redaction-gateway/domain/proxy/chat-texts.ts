/**
 * Every text of an OpenAI chat request that may carry PII, as slots the scrubber fills: string
 * contents and `text` parts of every message (tool results included), every string inside each
 * tool call's JSON `arguments` (arguments that are not JSON are one text), and `user`. The request
 * is copied; the slots write into the copy, and `finish()` gives it back with the arguments
 * serialised again. Other fields (model, tools, sampling settings) are not touched.
 */
type Json = Record<string, unknown>

export interface ChatTexts {
  texts: string[]
  /** The copy with `scrubbed[i]` in place of `texts[i]`. */
  finish(scrubbed: readonly string[]): Json
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)

export function chatTexts(request: Json): ChatTexts {
  const copy = structuredClone(request)
  const writers: Array<(text: string) => void> = []
  const texts: string[] = []
  const last: Array<() => void> = []
  const slot = (text: string, write: (text: string) => void) => {
    texts.push(text)
    writers.push(write)
  }
  if (typeof copy.user === 'string') slot(copy.user, (t) => (copy.user = t))
  for (const message of Array.isArray(copy.messages) ? copy.messages : []) {
    if (!isRecord(message)) continue
    contentSlots(message, slot)
    for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
      if (isRecord(call) && isRecord(call.function) && typeof call.function.arguments === 'string')
        last.push(argumentSlots(call.function, slot))
    }
  }
  return {
    texts,
    finish(scrubbed) {
      for (const [i, text] of scrubbed.entries()) writers[i]!(text)
      for (const serialise of last) serialise()
      return copy
    },
  }
}

type Slot = (text: string, write: (text: string) => void) => void

function contentSlots(message: Json, slot: Slot) {
  if (typeof message.content === 'string') return slot(message.content, (t) => (message.content = t))
  if (!Array.isArray(message.content)) return
  for (const part of message.content)
    if (isRecord(part) && part.type === 'text' && typeof part.text === 'string')
      slot(part.text, (t) => (part.text = t))
}

/** The strings of a JSON arguments text; returns what writes the arguments back once they are filled. */
function argumentSlots(fn: Json, slot: Slot): () => void {
  const raw = fn.arguments as string
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    slot(raw, (t) => (fn.arguments = t))
    return () => {}
  }
  const root = { value: parsed }
  const visit = (holder: Json, key: string) => {
    const value = holder[key]
    if (typeof value === 'string') slot(value, (t) => (holder[key] = t))
    else if (Array.isArray(value) || isRecord(value))
      for (const k of Object.keys(value)) visit(value as Json, k)
  }
  visit(root, 'value')
  return () => {
    fn.arguments = JSON.stringify(root.value)
  }
}
