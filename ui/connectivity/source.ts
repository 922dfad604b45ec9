/**
 * What the connectivity page reads from and asks of the connectivity monitor: the port the gateway
 * implements over HTTP (services/gateway/adapters/monitor-source.ts, which checks every answer
 * against shared/contracts/connectivity-monitor.ts) and the tests fake. The shapes are the
 * contract's own: the page shows what the monitor says, in words.
 */
import type { z } from '@hono/zod-openapi'
import type {
  MaintenanceRequest,
  MaintenanceWindow,
  MonitorEvent,
  Outage,
  TargetsAnswer,
  TargetView,
  UptimeAnswer,
} from '../../shared/contracts/connectivity-monitor.ts'

export type { MaintenanceWindow, MonitorEvent, Outage, TargetView }
export type Targets = z.infer<typeof TargetsAnswer>
export type Uptime = z.infer<typeof UptimeAnswer>
export type UptimeRow = Uptime['targets'][number]
export type NewWindow = z.infer<typeof MaintenanceRequest>

/** A refusal or failure of the monitor in its own words (404 no such window, 422 a bad field, 503…). */
export class MonitorSourceError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export interface MonitorSource {
  /** Every target with its state, the reading of each probe layer and the probing mode. */
  targets(signal?: AbortSignal): Promise<Targets>
  /** Outages newest first, those that overlap `since` (ISO) or later. */
  outages(query: { limit: number; since?: string }, signal?: AbortSignal): Promise<Outage[]>
  uptime(signal?: AbortSignal): Promise<Uptime>
  /** Maintenance windows now and to come. */
  maintenance(signal?: AbortSignal): Promise<MaintenanceWindow[]>
  /** Opens a window as `actor` (a person confirmed it); rejects with MonitorSourceError on 4xx. */
  addMaintenance(window: NewWindow, actor: string, signal?: AbortSignal): Promise<MaintenanceWindow>
  /** Ends a window early; false when there was no such window. */
  removeMaintenance(id: string, actor: string, signal?: AbortSignal): Promise<boolean>
  /**
   * The monitor's live events until `signal` aborts; rejects (or ends) when the stream breaks.
   * `onOpen` is called once the monitor has accepted the stream, before any event.
   */
  events(signal: AbortSignal, onOpen?: () => void): AsyncIterable<MonitorEvent>
}
