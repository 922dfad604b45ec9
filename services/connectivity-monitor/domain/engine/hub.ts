/**
 * Fans MonitorEvents out to subscribers (the SSE clients). A listener that throws is logged and
 * kept away from the others: publishing is on the probe path and must never fail it.
 */
import type { MonitorEvent } from '../../../../shared/contracts/connectivity-monitor.ts'
import type { Logger } from '../../../../shared/logger.ts'

export type MonitorListener = (event: MonitorEvent) => void

export function createEventHub(logger: Logger) {
  const listeners = new Set<MonitorListener>()
  return {
    subscribe(listener: MonitorListener): () => void {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
    publish(event: MonitorEvent): void {
      for (const listener of listeners) {
        try {
          listener(event)
        } catch (err) {
          logger.warn({ err: (err as Error).message, event: event.type }, 'event listener failed')
        }
      }
    },
    get size() {
      return listeners.size
    },
  }
}
