/**
 * Every knob the Settings page shows, by environment variable name. The services' config.ts take
 * these knobs' schemas from here, so the page, the settings file and the start-up check agree.
 */
import type { z } from '@hono/zod-openapi'
import type { ServiceName } from '../topology.ts'
import type { Knob } from './knob.ts'
import { CLUSTER_KNOBS } from './knobs-cluster.ts'
import { ALERT_KNOBS, DATA_KNOBS, SPEECH_KNOBS } from './knobs-services.ts'

export const KNOBS = { ...CLUSTER_KNOBS, ...SPEECH_KNOBS, ...DATA_KNOBS, ...ALERT_KNOBS }

export type KnobName = keyof typeof KNOBS
/** What a knob's value is once parsed (a number, a URL string, a Secret, a list…). */
export type KnobValue<K extends KnobName> = z.output<(typeof KNOBS)[K]['schema']>

export const KNOB_LIST: readonly Knob[] = Object.entries(KNOBS).map(([name, spec]) => ({
  ...spec,
  name,
  liveIn: 'liveIn' in spec ? spec.liveIn : [],
  secret: 'secret' in spec ? spec.secret : false,
}))

const BY_NAME = new Map(KNOB_LIST.map((k) => [k.name, k]))

export const knobNamed = (name: string): Knob | undefined => BY_NAME.get(name)

/** The knobs whose changes `service` picks up without a restart. */
export const liveKnobsOf = (service: ServiceName): Knob[] =>
  KNOB_LIST.filter((k) => k.liveIn.includes(service))
