/** The knobs of the swap-controller (vLLM, the swap webhook, chat during a swap) and the gateway. */
import { z } from '@hono/zod-openapi'
import { blankIsUnset, env } from '../config.ts'
import { safeName } from '../names.ts'
import { SERVICE_NAMES, UPSTREAMS } from '../topology.ts'
import type { KnobSpec } from './knob.ts'

export const CLUSTER_KNOBS = {
  DISABLED_SERVICES: {
    label: 'Hidden services',
    help: 'Comma-separated names (vllm, parakeet, kokoro, embeddings, qdrant, or a service) the dashboard and discovery treat as switched off.',
    services: SERVICE_NAMES,
    liveIn: ['gateway'],
    schema: env.list(),
  },
  VLLM_PORT: {
    label: 'vLLM port',
    help: 'The port vLLM answers on, on the head Spark (8888 unless you changed the launch scripts).',
    services: ['swap-controller', 'connectivity-monitor'],
    schema: env.int(UPSTREAMS.vllm.port, 1, 65535),
  },
  VLLM_CONTAINER: {
    label: 'vLLM container name',
    help: 'The Docker container the launch scripts start vLLM in (vllm_node unless you changed them).',
    services: ['swap-controller'],
    schema: z.preprocess(blankIsUnset, safeName('a container name', { trim: true }).default('vllm_node')),
  },
  SWAP_WEBHOOK_URL: {
    label: 'Swap webhook address',
    help: 'Where a message is sent each time a model switch finishes or fails; empty sends none.',
    services: ['swap-controller'],
    liveIn: ['swap-controller'],
    schema: env.url(),
  },
  SWAP_WEBHOOK_SECRET: {
    label: 'Swap webhook secret',
    help: 'Signs each swap message so the receiver can tell it came from here.',
    services: ['swap-controller'],
    liveIn: ['swap-controller'],
    secret: true,
    schema: env.secret(),
  },
  SWAP_WEBHOOK_TIMEOUT_MS: {
    label: 'Swap webhook timeout (ms)',
    help: 'How long one delivery of a swap message may take before it is tried again later.',
    services: ['swap-controller'],
    liveIn: ['swap-controller'],
    schema: env.int(5000, 100, 120_000),
  },
  CHAT_WAIT_DURING_SWAP_MS: {
    label: 'Chat wait during a switch (ms)',
    help: 'How long a chat request waits for a model switch to finish before it is told to retry.',
    services: ['swap-controller'],
    schema: env.int(30_000, 0, 600_000),
  },
  OPS_AUTO_RESTART: {
    label: 'Restart a stuck service by itself',
    help: 'true: a Spark service that stops answering is restarted automatically (at most a few times in 30 minutes); false: never.',
    services: ['swap-controller'],
    schema: env.bool(false),
  },
  OPS_AUTO_RESTART_MAX: {
    label: 'Automatic restarts allowed',
    help: 'How many automatic restarts of one service are allowed within the restart window (30 minutes by default) before it is left alone.',
    services: ['swap-controller'],
    schema: env.int(3, 1, 100),
  },
  SWAP_FIT_POLICY: {
    label: 'Model too big for memory',
    help: 'refuse: a model that will not fit is not started; warn: it is started anyway, with a warning.',
    services: ['swap-controller'],
    schema: z.preprocess(blankIsUnset, z.enum(['refuse', 'warn']).default('refuse')),
  },
} as const satisfies Record<string, KnobSpec>
