/**
 * The speech proxy served on a real port in front of the simulated Kokoro, with the simulator's
 * view of its own syntheses (how many run at once, how each ended). Test-only code.
 */
import type { Buffer } from 'node:buffer'
import { Hono } from 'hono'
import { createPool } from '../../../shared/http-client.ts'
import { type FakeUpstream, startFake } from '../../../shared/testing/fake-upstream.ts'
import type { EmulatorHandle } from '../../../tools/spark-sim/speech/emulator-server.ts'
import { startKokoro } from '../../../tools/spark-sim/speech/kokoro.ts'
import type { KokoroPacing, KokoroStreamEvent } from '../../../tools/spark-sim/speech/kokoro-pacing.ts'
import { speechApp } from './harness.ts'

export interface SimSyntheses {
  running: number
  peak: number
  ended: Record<Exclude<KokoroStreamEvent, 'started'>, number>
}

export interface KokoroBed {
  sim: EmulatorHandle
  seen: SimSyntheses
  service: FakeUpstream
  app: ReturnType<typeof speechApp>
  close(): Promise<void>
}

export async function startKokoroBed(
  pacing: Omit<KokoroPacing, 'onStream'> = {},
  env: Record<string, string> = {},
): Promise<KokoroBed> {
  const seen: SimSyntheses = { running: 0, peak: 0, ended: { finished: 0, cancelled: 0, failed: 0 } }
  const sim = await startKokoro({
    ...pacing,
    onStream(event) {
      if (event === 'started') {
        seen.running++
        seen.peak = Math.max(seen.peak, seen.running)
        return
      }
      seen.running--
      seen.ended[event]++
    },
  })
  const pool = createPool({ connectTimeoutMs: 1000 })
  const app = speechApp({ kokoroUrl: sim.url, dispatcher: pool, env })
  // A plain Hono in front: the fake server takes any fetch handler, the service's has its own Env.
  const service = await startFake(new Hono().all('*', (c) => app.app.fetch(c.req.raw, c.env as object)))
  return {
    sim,
    seen,
    service,
    app,
    async close() {
      await service.close()
      await pool.destroy()
      await sim.close()
    },
  }
}

/** The audio encodings' first bytes: what a player checks before decoding. */
export function audioKind(bytes: Buffer): string {
  if (bytes.toString('ascii', 0, 4) === 'RIFF' && bytes.toString('ascii', 8, 12) === 'WAVE') return 'wav'
  if (bytes.toString('ascii', 0, 4) === 'fLaC') return 'flac'
  if (bytes.toString('ascii', 0, 4) === 'OggS') return 'opus'
  if (bytes.toString('ascii', 0, 3) === 'ID3') return 'mp3'
  if (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0) return 'mp3'
  return 'unknown'
}
