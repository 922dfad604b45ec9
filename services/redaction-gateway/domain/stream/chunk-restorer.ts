/**
 * OpenAI `chat.completion.chunk` objects restored one by one: each choice's `delta.content` and each
 * tool call's `delta.tool_calls[j].function.arguments` (JSON-escaped values) through a restorer of
 * its own, so a placeholder split across chunks of one choice is held back and never mixed with
 * another choice's text. What a choice still holds is flushed into the chunk that carries its
 * `finish_reason`, or — when the stream ends without one — into one extra chunk. Every other field
 * passes unchanged.
 */
import type { TokenLookup } from '../rehydrate/rehydrate.ts'
import type { SurfaceLookup } from '../rehydrate/surfaces.ts'
import { createTextRestorer, type TextRestorer } from './text-restorer.ts'

type Json = Record<string, unknown>

interface ChoiceState {
  content?: TextRestorer
  tools: Map<number, TextRestorer>
}

export interface ChunkRestorer {
  /** The chunk with its texts restored, or undefined when nothing in it changed (pass the bytes on). */
  chunk(data: Json): Json | undefined
  /** A chunk with what every unfinished choice still holds, or undefined when nothing is held. */
  flush(): Json | undefined
  readonly totals: { restored: number; unresolved: number }
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const indexOf = (v: Json, position: number) => (typeof v.index === 'number' ? v.index : position)

export function createChunkRestorer(lookup: TokenLookup, surfaces?: SurfaceLookup): ChunkRestorer {
  const open = new Map<number, ChoiceState>()
  const all: TextRestorer[] = []
  let last: Json = {}
  const restorer = (json: boolean) => {
    const r = createTextRestorer(lookup, { json, surfaces })
    all.push(r)
    return r
  }

  function restoreChoice(choice: Json, position: number): boolean {
    const index = indexOf(choice, position)
    const state: ChoiceState = open.get(index) ?? { tools: new Map() }
    open.set(index, state)
    let changed = false
    const delta = isRecord(choice.delta) ? choice.delta : undefined
    if (delta && typeof delta.content === 'string') {
      state.content ??= restorer(false)
      const out = state.content.push(delta.content)
      changed ||= out !== delta.content
      delta.content = out
    }
    const calls = delta && Array.isArray(delta.tool_calls) ? delta.tool_calls : []
    calls.forEach((call, j) => {
      if (!isRecord(call) || !isRecord(call.function) || typeof call.function.arguments !== 'string') return
      const key = indexOf(call, j)
      const tool = state.tools.get(key) ?? restorer(true)
      state.tools.set(key, tool)
      const out = tool.push(call.function.arguments)
      changed ||= out !== call.function.arguments
      call.function.arguments = out
    })
    if (choice.finish_reason === null || choice.finish_reason === undefined) return changed
    open.delete(index)
    const rest = restsOf(state)
    if (!rest.content && rest.tools.length === 0) return changed
    choice.delta = mergeRest(delta ?? {}, rest)
    return true
  }

  return {
    chunk(data) {
      if (!Array.isArray(data.choices)) return undefined
      last = data
      let changed = false
      data.choices.forEach((choice, i) => {
        if (isRecord(choice)) changed = restoreChoice(choice, i) || changed
      })
      return changed ? data : undefined
    },
    flush() {
      const choices = [...open].flatMap(([index, state]) => {
        const rest = restsOf(state)
        if (!rest.content && rest.tools.length === 0) return []
        return [{ index, delta: mergeRest({}, rest), finish_reason: null }]
      })
      open.clear()
      if (choices.length === 0) return undefined
      const { id, object, created, model } = last
      return { id, object: object ?? 'chat.completion.chunk', created, model, choices }
    },
    get totals() {
      return {
        restored: all.reduce((n, r) => n + r.restored, 0),
        unresolved: new Set(all.flatMap((r) => r.unknown)).size,
      }
    },
  }
}

interface Rest {
  content: string
  tools: Array<{ index: number; arguments: string }>
}

function restsOf(state: ChoiceState): Rest {
  const tools = [...state.tools].map(([index, r]) => ({ index, arguments: r.end() }))
  return { content: state.content?.end() ?? '', tools: tools.filter((t) => t.arguments !== '') }
}

/** The delta with the held rest appended: to its content, and to (or as) its tool-call entries. */
function mergeRest(delta: Json, rest: Rest): Json {
  if (rest.content) delta.content = (typeof delta.content === 'string' ? delta.content : '') + rest.content
  if (rest.tools.length === 0) return delta
  const calls: unknown[] = Array.isArray(delta.tool_calls) ? delta.tool_calls : []
  for (const tool of rest.tools) {
    const entry = calls.find((c, j) => isRecord(c) && indexOf(c, j) === tool.index && isRecord(c.function))
    if (isRecord(entry) && isRecord(entry.function)) {
      const before = typeof entry.function.arguments === 'string' ? entry.function.arguments : ''
      entry.function.arguments = before + tool.arguments
    } else calls.push({ index: tool.index, function: { arguments: tool.arguments } })
  }
  delta.tool_calls = calls
  return delta
}
