/**
 * Durability: a writer SIGKILLed in the middle of a load of scrubs loses none it had answered.
 * Everything the child printed was printed after its write returned; after the kill the store is
 * reopened and every printed token must give back its value.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openMapStore } from './map-store-sqlite.ts'

const CHILD = fileURLToPath(new URL('./map-store-kill-child.ts', import.meta.url))
const KEY = Buffer.alloc(32, 0x42)
const ANSWERED_BEFORE_KILL = 300

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'map-store-kill-'))
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

interface Answered {
  handle: string
  tokens: string[]
  values: string[]
}

describe('map store under SIGKILL', () => {
  it('keeps every scrub the writer answered before it was killed', async () => {
    const path = join(root, 'maps', 'r.db')
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, MAP_DB: path, MAP_KEY_HEX: KEY.toString('hex') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let errors = ''
    child.stderr.on('data', (d: Buffer) => (errors += d.toString()))
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    )
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        if (out.split('\n').length > ANSWERED_BEFORE_KILL) resolve()
      })
      child.once('exit', () => reject(new Error(`writer exited early: ${errors}`)))
    })
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    // The last line may be cut by the kill: only whole lines were answered.
    const answered: Answered[] = out
      .split('\n')
      .slice(0, -1)
      .map((line) => JSON.parse(line))
    expect(answered.length).toBeGreaterThanOrEqual(ANSWERED_BEFORE_KILL)
    const store = await openMapStore({ path, key: KEY, ttlS: 3600, sweepEveryMs: 0 })
    try {
      for (const scrub of answered) {
        const values = store.valuesFor(scrub.handle, scrub.tokens)
        expect(scrub.tokens.map((t) => values.get(t))).toEqual(scrub.values)
      }
    } finally {
      store.close()
    }
  }, 60_000)
})
