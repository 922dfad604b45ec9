/**
 * Where each sweep target answers, from the swap-controller's config: PARAKEET_URL, KOKORO_URL and
 * EMBED_URL as the speech-proxy and vector-search read them, else spark-2's host (SPARK2_HOST) on
 * the usual port. A service hidden by DISABLED_SERVICES is not swept.
 */

import { resolveUpstreamUrl } from '../../../../shared/config.ts'
import type { SweepTarget } from '../../../../shared/contracts/swap-controller.ts'
import { UPSTREAMS } from '../../../../shared/topology.ts'
import type { SwapControllerConfig } from '../../config.ts'

type TargetConfig = Pick<
  SwapControllerConfig,
  'PARAKEET_URL' | 'KOKORO_URL' | 'EMBED_URL' | 'SPARK2_HOST' | 'DISABLED_SERVICES'
>

const SOURCES = {
  asr: { upstream: 'parakeet', key: 'PARAKEET_URL' },
  tts: { upstream: 'kokoro', key: 'KOKORO_URL' },
  embeddings: { upstream: 'embeddings', key: 'EMBED_URL' },
} as const

export function sweepTargetUrl(config: TargetConfig, target: SweepTarget): string | null {
  const { upstream, key } = SOURCES[target]
  if (config.DISABLED_SERVICES.some((name) => name.toLowerCase() === upstream)) return null
  return resolveUpstreamUrl({
    url: config[key],
    port: UPSTREAMS[upstream].port,
    fallbackHost: config.SPARK2_HOST,
    fallbackHostKey: 'SPARK2_HOST',
  })
}
