/**
 * The gateway's API-key check, built from its configuration: nothing at all while
 * `API_KEY_GROUPS` is empty (the default), else the key file, followed as it changes.
 */
import { type ApiKeyAuth, createApiKeyAuth } from '../../../shared/auth/guard.ts'
import type { Scope } from '../../../shared/auth/keys.ts'
import { keysFilePath, openFileKeyStore } from '../../../shared/auth/store.ts'
import type { Logger } from '../../../shared/logger.ts'

export interface ApiKeySettings {
  API_KEY_GROUPS: Scope[]
  API_KEYS_FILE?: string
  DATA_DIR: string
}

export async function openGatewayAuth(
  config: ApiKeySettings,
  logger: Logger,
  /** Told of each request a valid key came with (usage counts). */
  onUse?: (name: string) => void,
): Promise<ApiKeyAuth | undefined> {
  if (config.API_KEY_GROUPS.length === 0) return undefined
  const path = keysFilePath(config)
  // A key file that cannot be read stops the gateway: guessing would open or close every route.
  const store = await openFileKeyStore({
    path,
    onReloadError: (err) =>
      logger.warn(
        { reason: err.message },
        'API key file changed but cannot be read; keeping the previous keys',
      ),
  })
  const groups = config.API_KEY_GROUPS
  if (store.size === 0) {
    logger.warn(
      { groups, file: path },
      'API keys required but none exist yet: add one with tools/api-keys.ts',
    )
  } else {
    logger.info({ groups, keys: store.size, file: path }, 'API keys required')
  }
  return createApiKeyAuth({ groups, store, onUse })
}
