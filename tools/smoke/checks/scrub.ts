/**
 * scrub: `/scrub` replaces a name and an email in a sentence with placeholders, and `/rehydrate` on
 * that map gives the sentence back exactly. Names are found by the rules alone (`ner:
 * rules_only`), so the check does not depend on the chat model (the chat check covers that).
 */
import { type Check, fail } from '../check.ts'

const NAME = 'Maria Jensen'
const EMAIL = 'maria.jensen@example.com'
const SENTENCE = `Please ask ${NAME} to email ${EMAIL} before Friday.`
const ITEM_ID = 'smoke-1'

interface Scrubbed {
  map_handle?: string
  items?: { id: unknown; scrubbed_text?: string }[]
}
interface Rehydrated {
  items?: { id: unknown; text?: string }[]
}

export const scrubCheck: Check = {
  name: 'scrub',
  needs: [],
  async run({ client }) {
    const scrubbed = (
      await client.request('/scrub', {
        json: {
          task_id: 'smoke-test',
          actor: 'smoke',
          items: [{ id: ITEM_ID, text: SENTENCE }],
          ner: 'rules_only',
        },
      })
    ).json<Scrubbed>()
    const { handle, text } = scrubVerdict(scrubbed)
    const rehydrated = (
      await client.request('/rehydrate', { json: { map_handle: handle, items: [{ id: ITEM_ID, text }] } })
    ).json<Rehydrated>()
    rehydrateVerdict(rehydrated)
    return `"${text}" came back as the original`
  },
}

/** The map handle and scrubbed text; fails when the name or email is still there or not a placeholder. */
export function scrubVerdict(body: Scrubbed): { handle: string; text: string } {
  const text = body.items?.[0]?.scrubbed_text
  if (typeof text !== 'string') return fail('/scrub answered without the scrubbed item')
  if (!body.map_handle) return fail('/scrub answered without a map_handle')
  const leaked = [NAME, EMAIL].filter((value) => text.includes(value))
  if (leaked.length > 0) fail(`/scrub left ${leaked.join(' and ')} in the text: "${text}"`)
  const missing = ['PERSON', 'EMAIL'].filter((type) => !new RegExp(`\\[${type}_\\d+\\]`).test(text))
  if (missing.length > 0) fail(`/scrub gave no ${missing.join(' or ')} placeholder: "${text}"`)
  return { handle: body.map_handle, text }
}

/** Fails unless the rehydrated item is the original sentence, character for character. */
export function rehydrateVerdict(body: Rehydrated): void {
  const text = body.items?.[0]?.text
  if (typeof text !== 'string') fail('/rehydrate answered without the item')
  if (text !== SENTENCE) fail(`/rehydrate gave "${text}" instead of the original sentence`)
}
