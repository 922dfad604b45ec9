/**
 * A metering hop in front of the simulated Parakeet: it gives each work request (POST) a service
 * time of our choosing, counts how many are in flight at once, and records when each started and
 * ended. The simulator itself has no service-time knob and no concurrency record; this hop adds
 * both without changing what it answers. Used by `bench/speech.ts` and the speech load test.
 *
 * A request is answered when both the chosen service time has passed and the simulator has
 * answered, so the upstream time is the larger of the two.
 */
import { Buffer } from 'node:buffer'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { sleep } from '../shared/abort.ts'

export interface MeteredCall {
  path: string
  /** `performance.now()` when the request arrived and when its answer was sent. */
  startMs: number
  endMs: number
  /** Seconds of 16 kHz mono audio in the upload (the speech-proxy sends only that). */
  audioS: number
  status: number
}

export interface MeterOptions {
  /** The simulated Parakeet's base URL. */
  target: string
  /** Service time of one work request, from the audio it carries. */
  serviceMs(audioS: number): number
}

export interface UpstreamMeter {
  url: string
  inFlight(): number
  maxInFlight(): number
  calls(): readonly MeteredCall[]
  /** Forgets the calls and the maximum (between phases). */
  reset(): void
  close(): Promise<void>
}

/** Bytes per second of 16 kHz mono s16 audio, the format the speech-proxy uploads. */
const PCM16K_BYTES_PER_S = 32_000
/** Chunks are a few minutes of 16 kHz audio; a body far beyond that is not one. */
const MAX_BODY_BYTES = 64 * 1024 * 1024

/** Seconds of audio in a multipart body holding one WAV: its `data` chunk size over its byte rate. */
export function wavSecondsIn(body: Buffer): number {
  const riff = body.indexOf('RIFF')
  if (riff >= 0 && body.toString('latin1', riff + 8, riff + 12) === 'WAVE') {
    const byteRate = body.readUInt32LE(riff + 28)
    const data = body.indexOf('data', riff + 36)
    if (byteRate > 0 && data > 0) {
      const size = body.readUInt32LE(data + 4)
      // ffmpeg writing to a pipe leaves the size unset (0 or 0xFFFFFFFF): fall back to what arrived.
      const bytes = size > 0 && size < 0xffffffff ? size : body.length - data - 8
      return Math.min(bytes, body.length - data - 8) / byteRate
    }
  }
  return body.length / PCM16K_BYTES_PER_S
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = []
  let size = 0
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length
    if (size > MAX_BODY_BYTES) throw new Error(`upload over ${MAX_BODY_BYTES} bytes`)
    parts.push(part)
  }
  return Buffer.concat(parts)
}

export async function startUpstreamMeter(options: MeterOptions): Promise<UpstreamMeter> {
  let calls: MeteredCall[] = []
  let inFlight = 0
  let maxInFlight = 0

  const forward = async (req: IncomingMessage, body: Buffer | undefined) => {
    const headers: Record<string, string> = {}
    const type = req.headers['content-type']
    if (type) headers['content-type'] = type
    const res = await request(`${options.target}${req.url ?? '/'}`, {
      method: req.method as 'GET' | 'POST',
      headers,
      body,
    })
    return { status: res.statusCode, type: res.headers['content-type'], body: await res.body.arrayBuffer() }
  }

  const reply = (res: ServerResponse, answer: Awaited<ReturnType<typeof forward>>) => {
    res.writeHead(answer.status, answer.type ? { 'content-type': String(answer.type) } : {})
    return new Promise<void>((resolve) => res.end(Buffer.from(answer.body), resolve))
  }

  const work = async (req: IncomingMessage, res: ServerResponse) => {
    const startMs = performance.now()
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    let status = 0
    let audioS = 0
    let answer: Awaited<ReturnType<typeof forward>>
    try {
      const body = await readBody(req)
      audioS = wavSecondsIn(body)
      ;[answer] = await Promise.all([forward(req, body), sleep(options.serviceMs(audioS))])
      status = answer.status
    } finally {
      // The work is over once the answer is ready; counting the write too would let a caller that
      // already read it start its next request before this one is off the count.
      inFlight--
      calls.push({ path: req.url ?? '/', startMs, endMs: performance.now(), audioS, status })
    }
    await reply(res, answer)
  }

  const server = createServer((req, res) => {
    const done =
      req.method === 'POST' ? work(req, res) : forward(req, undefined).then((answer) => reply(res, answer))
    done.catch((err: Error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ detail: `meter: ${err.message}` }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    calls: () => calls,
    reset() {
      calls = []
      maxInFlight = inFlight
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Milliseconds in which at least one of `calls` was running, within [from, to]. */
export function busyMs(calls: readonly MeteredCall[], from = 0, to = Number.POSITIVE_INFINITY): number {
  const spans = calls
    .map((c) => [Math.max(c.startMs, from), Math.min(c.endMs, to)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0])
  let total = 0
  let end = Number.NEGATIVE_INFINITY
  for (const [a, b] of spans) {
    if (b <= end) continue
    total += b - Math.max(a, end)
    end = b
  }
  return total
}
