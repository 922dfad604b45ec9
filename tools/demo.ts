/**
 * `npm run demo`: Spark Control on the simulated cluster. Prints the dashboard address and runs
 * until Ctrl-C. Service logs go to .data/demo/logs/<service>.log (JSON lines).
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs'
import type { ServiceName } from '../shared/topology.ts'
import { startDemo } from './demo-stack.ts'
import { REPO_ROOT } from './stack/launch.ts'

const logDir = `${REPO_ROOT}.data/demo/logs`
mkdirSync(logDir, { recursive: true })
const logs = new Map<ServiceName, WriteStream>()
const logTo = (service: ServiceName, line: string) => {
  let stream = logs.get(service)
  if (!stream) {
    stream = createWriteStream(`${logDir}/${service}.log`, { flags: 'a' })
    logs.set(service, stream)
  }
  stream.write(`${line}\n`)
}

const gatewayHost = process.env.DEMO_HOST ?? '127.0.0.1'
console.log('Starting the simulated cluster and Spark Control…')
// `npx deno task demo` runs this file on Deno: the services then run on Deno too.
const runtime = process.versions.deno ? 'deno' : 'node'
const demo = await startDemo({ defaultPorts: true, gatewayHost, runtime, echo: logTo }).catch(
  (err: Error) => {
    console.error(`The demo could not start: ${err.message}`)
    console.error('Is another copy running, or is port 9999 (or 9101-9105) taken? Stop it and try again.')
    process.exit(1)
  },
)

const shown = gatewayHost === '0.0.0.0' ? '127.0.0.1' : gatewayHost
console.log(`
  Spark Control is running on a SIMULATED cluster (no real Sparks).

  Dashboard:  http://${shown}:9999/
  API docs:   http://${shown}:9999/docs
  Status:     http://${shown}:9999/api/status

  Service logs: ${logDir}
  Press Ctrl-C to stop.
`)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  console.log('Stopping…')
  await demo.stop()
  for (const stream of logs.values()) stream.end()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
