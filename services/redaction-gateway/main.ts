import { getGlobalDispatcher } from 'undici'
import { proveInternal } from '../../shared/internal-auth/prove.ts'
import { originsOf, reportOutcomes } from '../../shared/outcomes/dispatcher.ts'
import { startService } from '../../shared/start.ts'
import { createCloudChat } from './adapters/cloud-chat.ts'
import { createLlmNer } from './adapters/llm-ner.ts'
import { type MapStore, openMapStore, prepareMapStore } from './adapters/map-store.ts'
import { resolveMapKey } from './adapters/map-store-key.ts'
import { openTypeCountsBeside } from './adapters/type-counts.ts'
import { buildApp, SERVICE_NAME } from './app.ts'
import { loadRedactionConfig } from './config.ts'

await startService({
  name: SERVICE_NAME,
  loadConfig: loadRedactionConfig,
  build: async (config, kit) => {
    // A problem here is reported by /ready (and logged), never a crash at start as before.
    const prepared = await prepareMapStore(config.REDACTION_MAP_DB)
    const fields = {
      mapDb: config.REDACTION_MAP_DB,
      state: prepared.state,
      detail: prepared.detail,
      key: config.REDACTION_MAP_KEY ? 'set' : 'insecure-dev',
    }
    const key = resolveMapKey(config, kit.logger)
    let store: MapStore | undefined
    let storeProblem: string | undefined
    if (prepared.state === 'up') {
      try {
        store = await openMapStore({
          path: config.REDACTION_MAP_DB,
          key,
          ttlS: config.REDACTION_MAP_TTL_S,
          logger: kit.logger,
        })
        kit.logger.info(fields, 'map store')
      } catch (err) {
        storeProblem = `could not be opened: ${(err as Error).message}`
        kit.logger.error({ ...fields, err: (err as Error).message }, 'map store could not be opened')
      }
    } else kit.logger.warn(fields, 'map store unusable')
    const typeCounts = await openTypeCountsBeside(config.REDACTION_MAP_DB, kit.logger)
    const cloudUrl = config.REDACTION_CLOUD_URL
    const cloud = cloudUrl
      ? createCloudChat({
          baseUrl: cloudUrl,
          apiKey: config.REDACTION_CLOUD_API_KEY,
          timeoutMs: config.REDACTION_CLOUD_TIMEOUT_MS,
        })
      : undefined
    kit.logger.info({ scrubProxy: cloud ? 'on' : 'off', ner: config.REDACTION_PROXY_NER }, 'scrub-proxy')
    return {
      app: buildApp({
        config,
        logger: kit.logger,
        metrics: kit.metrics,
        shutdown: kit.lifecycle.signal,
        store,
        storeProblem,
        deleteMap: store ? (handle) => store.delete(handle) : undefined,
        audit: kit.audit,
        typeCounts,
        cloud,
        localLlm: createLlmNer({
          baseUrl: config.SWAP_CONTROLLER_URL,
          timeoutMs: config.REDACTION_NER_TIMEOUT_MS,
          deadlineMs: config.REDACTION_NER_DEADLINE_MS,
          concurrency: config.REDACTION_NER_CONCURRENCY,
          chunkChars: config.REDACTION_NER_CHUNK_CHARS,
          disabled: config.DISABLED_SERVICES.has('vllm'),
          registry: kit.metrics.registry,
          // The name pass's calls are reported as traffic to the swap-controller; the cloud's are not ours.
          dispatcher: reportOutcomes(
            proveInternal(getGlobalDispatcher()),
            kit.outcomes,
            originsOf({ 'swap-controller': config.SWAP_CONTROLLER_URL }),
            // The chat proxy's 503 (vLLM swapping or away) is vLLM's state, not the controller's.
            { relays: true },
          ),
        }),
      }),
      onClose: [() => store?.close(), () => typeCounts?.close(), () => cloud?.close()],
    }
  },
})
