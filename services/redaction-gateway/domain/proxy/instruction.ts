/**
 * The system instruction the scrub-proxy adds, so the model writes placeholders back in the form
 * rehydration reads best. Its example is not a real token (`N` is no number), so it can never be
 * restored into a value. It joins the first message when that is a system message (some chat
 * templates take only one), else it is a system message of its own at the start.
 */
type Json = Record<string, unknown>

export const PLACEHOLDER_INSTRUCTION =
  'Some names, contacts, numbers and other details in this conversation were replaced by ' +
  'placeholders in square brackets, such as [TYPE_N] (a type in capitals, an underscore, a number). ' +
  'Copy a placeholder exactly as written, brackets included, wherever you refer to what it stands ' +
  'for; never change, translate or invent placeholders, and do not guess what they stand for.'

export function withInstruction(request: Json): Json {
  const messages = Array.isArray(request.messages) ? [...request.messages] : []
  const first = messages[0] as Json | undefined
  if (first?.role === 'system' && typeof first.content === 'string') {
    messages[0] = { ...first, content: `${first.content}\n\n${PLACEHOLDER_INSTRUCTION}` }
  } else if (first?.role === 'system' && Array.isArray(first.content)) {
    messages[0] = { ...first, content: [...first.content, { type: 'text', text: PLACEHOLDER_INSTRUCTION }] }
  } else messages.unshift({ role: 'system', content: PLACEHOLDER_INSTRUCTION })
  return { ...request, messages }
}
