import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'

export { Counter, Gauge, Histogram, Registry } from 'prom-client'

/**
 * One registry per app instance, so tests can build many apps in one process. `eventLoopPrecisionMs`:
 * how often the event-loop lag is sampled (prom-client's default, 10 ms, is a timer 100 times a second).
 */
export function createMetrics(
  service: string,
  {
    processMetrics = false,
    eventLoopPrecisionMs,
  }: { processMetrics?: boolean; eventLoopPrecisionMs?: number } = {},
) {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  if (processMetrics)
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: eventLoopPrecisionMs })
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to the response head, by route template, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  })
  return { registry, requests, duration }
}

export type Metrics = ReturnType<typeof createMetrics>
