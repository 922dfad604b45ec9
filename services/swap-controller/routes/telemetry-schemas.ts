/**
 * OpenAPI shapes of the telemetry routes: what they answer is the contract in
 * shared/contracts/swap-controller.ts, re-exported for the routes and checked against the poller's
 * own types below.
 */
import type { Same } from '../../../shared/contracts/same.ts'
import type { TelemetryView } from '../../../shared/contracts/swap-controller.ts'
import type { Columns, NodeSample, VllmSample } from '../domain/telemetry/history.ts'
import type { NodeTelemetry, VllmTelemetry } from '../domain/telemetry/snapshot.ts'

export { type TelemetryEvent, telemetrySchema } from '../../../shared/contracts/swap-controller.ts'

type Wire = Omit<TelemetryView['nodes'][number], 'history'>
// The poller publishes exactly the contract's readings and columns; a drift fails tsc here.
true satisfies Same<NodeTelemetry, Wire>
true satisfies Same<VllmTelemetry, Omit<TelemetryView['vllm'], 'history'>>
true satisfies Same<Columns<NodeSample>, TelemetryView['nodes'][number]['history']>
true satisfies Same<Columns<VllmSample>, TelemetryView['vllm']['history']>
