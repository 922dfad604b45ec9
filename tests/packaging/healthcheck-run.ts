/**
 * Runs a container health check command here, as the container would (`node -e …` with PORT set),
 * against local servers that answer /ready with chosen statuses, and reports its exit code for
 * each: what Docker would record as healthy (0) or unhealthy (anything else).
 */
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Statuses /ready is made to answer, and `refused` for a port where nothing listens. */
export const PROBED = [200, 204, 301, 404, 503, 'refused'] as const
export type Probed = (typeof PROBED)[number]

async function serverAnswering(status: number) {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/ready' ? status : 404, { location: '/elsewhere' }).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function run(test: string[], port: number): Promise<number | null> {
  const [form, program, ...args] = test
  if (form !== 'CMD' || program !== 'node') throw new Error(`unexpected health check form: ${test.join(' ')}`)
  const child = spawn(process.execPath, args, {
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  })
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

/** The check's exit code for each of PROBED, all run at once. */
export async function healthOutcomes(test: string[]): Promise<Record<Probed, number | null>> {
  const outcomes = await Promise.all(
    PROBED.map(async (probe) => {
      const server = await serverAnswering(probe === 'refused' ? 200 : probe)
      if (probe === 'refused') await server.close()
      const code = await run(test, server.port)
      if (probe !== 'refused') await server.close()
      return [probe, code] as const
    }),
  )
  return Object.fromEntries(outcomes) as Record<Probed, number | null>
}

/** Healthy on a 2xx only: a redirect, a 404, a 503 and a closed port are all unhealthy. */
export const TWO_XX_ONLY: Record<Probed, number> = { 200: 0, 204: 0, 301: 1, 404: 1, 503: 1, refused: 1 }
