/** The knobs of the services on Spark 2: speech lanes and addresses, embeddings and Qdrant, redaction, alerts. */
import { z } from '@hono/zod-openapi'
import { blankIsUnset, env } from '../config.ts'
import { UPSTREAMS } from '../topology.ts'
import type { KnobSpec } from './knob.ts'

const SPEECH_AND_MONITOR = ['speech-proxy', 'connectivity-monitor'] as const
/** The swap-controller reads the Spark 2 services' addresses too (its service containers' health). */
const SPEECH_ADDRESS = ['speech-proxy', 'connectivity-monitor', 'swap-controller'] as const
const VECTOR_AND_MONITOR = ['vector-search', 'connectivity-monitor'] as const
const EMBED_ADDRESS = ['vector-search', 'connectivity-monitor', 'swap-controller'] as const

export const SPEECH_KNOBS = {
  SPEECH_LANE_ASR: {
    label: 'Transcriptions at once',
    help: 'How many transcriptions the speech model runs at the same time; more wait in line.',
    services: ['speech-proxy'],
    liveIn: ['speech-proxy'],
    schema: env.int(1, 1, 64),
  },
  SPEECH_LANE_DIARIZE: {
    label: 'Speaker detections at once',
    help: 'How many "who spoke when" jobs run at the same time; more wait in line.',
    services: ['speech-proxy'],
    liveIn: ['speech-proxy'],
    schema: env.int(1, 1, 64),
  },
  SPEECH_LANE_TTS: {
    label: 'Speech syntheses at once',
    help: 'How many text-to-speech requests run at the same time; more wait in line.',
    services: ['speech-proxy'],
    liveIn: ['speech-proxy'],
    schema: env.int(2, 1, 64),
  },
  SPEECH_QUEUE_MAX: {
    label: 'Speech requests waiting, at most',
    help: 'How many requests may wait in each line; beyond it apps are told to retry later.',
    services: ['speech-proxy'],
    liveIn: ['speech-proxy'],
    schema: env.int(128, 0, 100_000),
  },
  SPEECH_CLIENT_MAX: {
    label: 'Speech requests per app, at most',
    help: 'How many requests one app may have running or waiting at once, so one app cannot take all.',
    services: ['speech-proxy'],
    schema: env.int(32, 1, 100_000),
  },
  PARAKEET_URL: {
    label: 'Transcription server address',
    help: 'The Parakeet server, as http://host:port; empty means Spark 2 on the port below.',
    services: SPEECH_ADDRESS,
    schema: env.url(),
  },
  PARAKEET_PORT: {
    label: 'Transcription server port',
    help: 'The Parakeet port on Spark 2, used when the address above is empty.',
    services: SPEECH_AND_MONITOR,
    schema: env.port(UPSTREAMS.parakeet.port),
  },
  KOKORO_URL: {
    label: 'Speech synthesis server address',
    help: 'The Kokoro server, as http://host:port; empty means Spark 2 on the port below.',
    services: SPEECH_ADDRESS,
    schema: env.url(),
  },
  KOKORO_PORT: {
    label: 'Speech synthesis server port',
    help: 'The Kokoro port on Spark 2, used when the address above is empty.',
    services: SPEECH_AND_MONITOR,
    schema: env.port(UPSTREAMS.kokoro.port),
  },
} as const satisfies Record<string, KnobSpec>

export const DATA_KNOBS = {
  EMBED_URL: {
    label: 'Embeddings server address',
    help: 'The bge-m3 server, as http://host:port; empty means Spark 2 on its usual port.',
    services: EMBED_ADDRESS,
    schema: env.url(),
  },
  QDRANT_URL: {
    label: 'Qdrant address',
    help: 'The Qdrant vector database, as http://host:port; empty means Spark 2, or the built-in store.',
    services: VECTOR_AND_MONITOR,
    schema: env.url(),
  },
  QDRANT_API_KEY: {
    label: 'Qdrant API key',
    help: 'Sent to Qdrant when it asks for one.',
    services: VECTOR_AND_MONITOR,
    secret: true,
    schema: env.secret(),
  },
  REDACTION_CLOUD_URL: {
    label: 'Cloud model address (scrub-proxy)',
    help: 'An OpenAI-compatible API (…/v1) the scrub-proxy forwards scrubbed chats to; empty turns it off.',
    services: ['redaction-gateway'],
    schema: env.url(),
  },
  REDACTION_CLOUD_API_KEY: {
    label: 'Cloud model API key',
    help: 'The key the scrub-proxy sends to that cloud API.',
    services: ['redaction-gateway'],
    secret: true,
    schema: env.secret(),
  },
  REDACTION_PROXY_NER: {
    label: 'Scrub-proxy name search',
    help: "rules_only: names are found by rules; auto: the cluster's own model looks for names too.",
    services: ['redaction-gateway'],
    schema: z.preprocess(blankIsUnset, z.enum(['rules_only', 'auto']).default('rules_only')),
  },
} as const satisfies Record<string, KnobSpec>

export const ALERT_KNOBS = {
  ALERT_WEBHOOK_URL: {
    label: 'Alert webhook address',
    help: 'Where a message is sent when something goes down and when it is back; empty sends none.',
    services: ['connectivity-monitor'],
    schema: env.url(),
  },
  ALERT_WEBHOOK_SECRET: {
    label: 'Alert webhook secret',
    help: 'Signs each alert so the receiver can tell it came from here.',
    services: ['connectivity-monitor'],
    secret: true,
    schema: env.secret(),
  },
  ALERT_NTFY_URL: {
    label: 'ntfy topic address',
    help: 'An ntfy topic (https://ntfy.sh/<topic> or your own server) for alerts on your phone.',
    services: ['connectivity-monitor'],
    schema: env.url(),
  },
  ALERT_NTFY_TOKEN: {
    label: 'ntfy access token',
    help: 'Needed only when the ntfy topic is protected.',
    services: ['connectivity-monitor'],
    secret: true,
    schema: env.secret(),
  },
  ALERT_DEBOUNCE_S: {
    label: 'Alert after (seconds down)',
    help: 'Something must stay down this long before an alert goes out; shorter blips are only logged.',
    services: ['connectivity-monitor'],
    schema: env.int(30, 0, 86_400),
  },
  ALERT_REMIND_MIN: {
    label: 'Remind every (minutes)',
    help: 'Repeat the alert this often while the outage lasts; 0 never repeats it.',
    services: ['connectivity-monitor'],
    schema: env.int(0, 0, 10_080),
  },
} as const satisfies Record<string, KnobSpec>
