/**
 * The two settings of API keys, for the services that check them (the gateway). Blank
 * `API_KEY_GROUPS` — the default — means no route needs a key.
 */
import { z } from '@hono/zod-openapi'
import { blankIsUnset, env } from '../config.ts'
import { SCOPES, type Scope } from './keys.ts'

const groupList = z.preprocess(
  blankIsUnset,
  z
    .string()
    .default('')
    .transform((s, ctx): Scope[] => {
      const names = s
        .split(',')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean)
      if (names.includes('all')) return [...SCOPES]
      const bad = names.filter((n) => !(SCOPES as readonly string[]).includes(n))
      if (bad.length) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown group ${bad.join(', ')}; expected ${SCOPES.join(', ')} or all`,
        })
        return z.NEVER
      }
      return [...new Set(names)] as Scope[]
    }),
)

export const apiKeyConfig = () => ({
  /** Comma list of route groups that need a key: chat, audio, search, redaction, admin, or all. */
  API_KEY_GROUPS: groupList,
  /** The hashed keys (tools/api-keys.ts writes it); default `api-keys.json` in `DATA_DIR`. */
  API_KEYS_FILE: env.optionalString(),
})
