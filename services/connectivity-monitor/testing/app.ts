/**
 * The monitor's app over stand-in parts (testing/engine-parts.ts), probing off unless asked: route
 * tests drive it with `app.request` and feed the engine as the routes would. Test-only code.
 */
import { afterEach } from 'vitest'
import { type Logger, silentLogger } from '../../../shared/logger.ts'
import { buildApp, type MonitorDeps } from '../app.ts'
import { loadMonitorConfig } from '../config.ts'
import { createMonitorEngine, type MonitorEngine, type MonitorEngineDeps } from '../domain/engine/engine.ts'
import { engineDeps, sampleTarget } from './engine-parts.ts'

export function monitorApp(
  options: {
    engine?: Partial<MonitorEngineDeps>
    events?: MonitorDeps['events']
    logger?: Logger
    audit?: MonitorDeps['audit']
  } = {},
) {
  const parts = engineDeps({
    targets: [
      sampleTarget('vllm'),
      sampleTarget('parakeet'),
      sampleTarget('spark-2', { kind: 'node', host: null, legacySubject: 'spark2' }),
    ],
    probing: false,
    ...options.engine,
  })
  const engine = createMonitorEngine(parts.deps)
  const app = buildApp({
    config: loadMonitorConfig({}),
    logger: options.logger ?? silentLogger(),
    engine,
    history: parts.deps.history,
    maintenance: parts.deps.maintenance,
    events: options.events,
    audit: options.audit,
  })
  return { app, engine, ...parts }
}

const running: MonitorEngine[] = []

/**
 * `monitorApp` with its engine started, stopped after the test: call at the top of a test file's
 * tests (it registers the cleanup in that file).
 */
export function startedMonitor(options: Parameters<typeof monitorApp>[0] = {}) {
  const m = monitorApp(options)
  m.engine.start()
  running.push(m.engine)
  return m
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()))
})

/** A JSON POST for `app.request`. */
export const postJson = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})
