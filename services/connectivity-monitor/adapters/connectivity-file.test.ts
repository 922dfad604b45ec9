import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../shared/logger.ts'
import { captureLog } from '../../../shared/testing/log-capture.ts'
import type { Evidence, TargetState } from '../domain/ports.ts'
import { createConnectivityFile } from './connectivity-file.ts'
import { change, target } from './history-store-fixtures.ts'

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0)
let dir: string

function freshDir() {
  dir = mkdtempSync(join(tmpdir(), 'connectivity-file-'))
  return dir
}

afterEach(() => rmSync(dir, { recursive: true, force: true }))

const spark1 = target('spark-1', { kind: 'node', legacySubject: 'spark1' })
const vllm = target('vllm', { legacySubject: 'vllm' })
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8'))

/** A file as the earlier version left it: v0.6 events and older v0.5 ones that still say `spark`. */
const EARLIER_FILE = `{
  "macs": {"spark1": "aa:bb:cc:dd:ee:01", "spark2": "aa:bb:cc:dd:ee:02"},
  "current": {"spark1": "up", "spark2": "up", "vllm": "down"},
  "last_change": {"spark1": "2026-02-27T08:00:00Z", "spark2": "2026-02-27T08:00:00Z", "vllm": "2026-03-01T11:59:30Z"},
  "events": [
    {"spark": "spark1", "at": "2026-02-27T07:59:00Z", "transition": "down"},
    {"spark": "spark1", "at": "2026-02-27T08:00:00Z", "transition": "up", "down_seconds": 60.0},
    {"subject": "vllm", "at": "2026-03-01T11:59:30Z", "transition": "down", "kind": "transition"},
    {"subject": "vllm", "at": "2026-03-01T11:59:40Z", "kind": "report", "ok": false, "source": "recap-relay", "detail": "connect timeout", "latency_ms": 3000}
  ]
}`

describe('connectivity.json, the earlier format', () => {
  it('continues a file written by the earlier version: keeps macs, migrates v0.5 events, ends the down with down_seconds', async () => {
    const path = join(freshDir(), 'connectivity.json')
    writeFileSync(path, EARLIER_FILE)
    const log = createConnectivityFile({ path, maxEvents: 200, logger: silentLogger() })
    log.transition(change('vllm', 'down', 'up', T0), vllm)
    log.transition(change('spark-1', 'up', 'busy', T0), spark1)
    await log.flush()
    const doc = read(path)
    expect(Object.keys(doc)).toEqual(['macs', 'current', 'last_change', 'events'])
    expect(doc.macs).toEqual({ spark1: 'aa:bb:cc:dd:ee:01', spark2: 'aa:bb:cc:dd:ee:02' })
    expect(doc.current).toEqual({ spark1: 'up', spark2: 'up', vllm: 'up' })
    expect(doc.last_change.vllm).toBe('2026-03-01T12:00:00.000Z')
    expect(doc.last_change.spark1).toBe('2026-02-27T08:00:00Z')
    expect(doc.events).toHaveLength(5)
    expect(doc.events[0]).toEqual({
      subject: 'spark1',
      at: '2026-02-27T07:59:00Z',
      transition: 'down',
      kind: 'transition',
    })
    expect(doc.events[4]).toEqual({
      subject: 'vllm',
      at: '2026-03-01T12:00:00.000Z',
      transition: 'up',
      down_seconds: 30,
      kind: 'transition',
    })
  })

  it('writes only targets the earlier version knew, up/down only, nothing for maintenance or unknown', async () => {
    const path = join(freshDir(), 'connectivity.json')
    const log = createConnectivityFile({ path, maxEvents: 200, logger: silentLogger() })
    const steps: TargetState[] = ['up', 'busy', 'degraded', 'down', 'maintenance', 'unknown', 'up']
    for (const [i, to] of steps.entries()) log.transition(change('vllm', 'unknown', to, T0 + i * 1000), vllm)
    log.transition(change('gateway', 'unknown', 'down', T0), target('gateway', { kind: 'service' }))
    await log.flush()
    const doc = read(path)
    expect(doc.events.map((e: { transition: string }) => e.transition)).toEqual(['up', 'down', 'up'])
    expect(doc.events[2]).toMatchObject({ at: '2026-03-01T12:00:06.000Z', down_seconds: 3 })
    expect(doc.current).toEqual({ vllm: 'up' })
  })

  it('appends reports under the earlier subject without changing current', async () => {
    const path = join(freshDir(), 'connectivity.json')
    const log = createConnectivityFile({ path, maxEvents: 200, logger: silentLogger() })
    const evidence: Evidence = {
      target: 'parakeet',
      layer: 'passive',
      at: T0,
      ok: false,
      kind: 'other',
      latencyMs: 3000,
      detail: 'e'.repeat(400),
      source: 'recap-relay',
    }
    log.report(target('parakeet', { legacySubject: 'parakeet' }), evidence)
    log.report(target('speech-proxy', { kind: 'service' }), {
      ...evidence,
      ok: true,
      detail: undefined,
      latencyMs: 12,
    })
    await log.flush()
    const doc = read(path)
    expect(doc.current).toEqual({})
    expect(doc.events).toEqual([
      {
        subject: 'parakeet',
        at: '2026-03-01T12:00:00.000Z',
        kind: 'report',
        ok: false,
        source: 'recap-relay',
        detail: 'e'.repeat(280),
        latency_ms: 3000,
      },
      {
        subject: 'speech-proxy',
        at: '2026-03-01T12:00:00.000Z',
        kind: 'report',
        ok: true,
        source: 'recap-relay',
        detail: null,
        latency_ms: 12,
      },
    ])
  })

  it('keeps the newest events only', async () => {
    const path = join(freshDir(), 'connectivity.json')
    const log = createConnectivityFile({ path, maxEvents: 10, logger: silentLogger() })
    for (let i = 0; i < 25; i++)
      log.transition(change('vllm', 'unknown', i % 2 ? 'down' : 'up', T0 + i * 1000), vllm)
    await log.flush()
    const events = read(path).events
    expect(events).toHaveLength(10)
    expect(events.at(-1).at).toBe('2026-03-01T12:00:24.000Z')
  })
})

describe('connectivity.json on disk', () => {
  it('creates a missing folder, and starts afresh from a corrupt file, keeping a copy and saying so', async () => {
    const path = join(freshDir(), 'data', 'sub', 'connectivity.json')
    const fresh = createConnectivityFile({ path, maxEvents: 200, logger: silentLogger() })
    fresh.transition(change('vllm', 'unknown', 'down', T0), vllm)
    await fresh.flush()
    expect(read(path).current).toEqual({ vllm: 'down' })

    writeFileSync(path, '{"current": {"vllm": "do')
    const { records, logger } = captureLog()
    const log = createConnectivityFile({ path, maxEvents: 200, logger })
    expect(records().find((l) => l.level === 'warn')?.msg).toMatch(/not valid JSON/)
    expect(readFileSync(`${path}.corrupt`, 'utf8')).toBe('{"current": {"vllm": "do')
    log.transition(change('vllm', 'unknown', 'up', T0), vllm)
    await log.flush()
    expect(read(path)).toMatchObject({ macs: {}, current: { vllm: 'up' } })
    expect(readdirSync(join(dir, 'data', 'sub')).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('never blocks the caller, and the last state wins however the writes interleave', async () => {
    const path = join(freshDir(), 'connectivity.json')
    const log = createConnectivityFile({ path, maxEvents: 200, logger: silentLogger() })
    for (let i = 0; i < 60; i++) {
      log.transition(change('vllm', 'unknown', i % 2 ? 'down' : 'up', T0 + i * 1000), vllm)
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    await log.flush()
    const doc = read(path)
    expect(doc.events).toHaveLength(60)
    expect(doc.current.vllm).toBe('down')
    expect(doc.last_change.vllm).toBe('2026-03-01T12:00:59.000Z')
  })

  it('survives a failed write and writes on the next change', async () => {
    const root = freshDir()
    // A directory where the file's folder should be: every write fails until it is gone.
    const path = join(root, 'blocked', 'connectivity.json')
    writeFileSync(join(root, 'blocked'), 'not a folder')
    const { records, logger } = captureLog()
    const log = createConnectivityFile({ path, maxEvents: 200, logger })
    log.transition(change('vllm', 'unknown', 'down', T0), vllm)
    await log.flush()
    expect(records().some((l) => l.msg === 'connectivity log: write failed')).toBe(true)
    rmSync(join(root, 'blocked'))
    mkdirSync(join(root, 'blocked'))
    log.transition(change('vllm', 'down', 'up', T0 + 2000), vllm)
    await log.flush()
    expect(read(path).events.map((e: { transition: string }) => e.transition)).toEqual(['down', 'up'])
  })

  it('a reader in another process never sees a half-written file', async () => {
    const path = join(freshDir(), 'connectivity.json')
    const log = createConnectivityFile({ path, maxEvents: 2000, logger: silentLogger() })
    // Big enough that a write takes many syscalls: a torn read would show.
    const detail = 'x'.repeat(250)
    const reportOf = (i: number): Evidence => ({
      target: 'vllm',
      layer: 'passive',
      at: T0 + i,
      ok: true,
      latencyMs: i,
      detail,
      source: 'test',
    })
    for (let i = 0; i < 1500; i++) log.report(vllm, reportOf(i))
    await log.flush()
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs')
         let reads = 0, torn = 0, stop = false
         process.stdin.on('data', () => { stop = true })
         process.stdout.write('ready\\n')
         const loop = () => {
           for (let i = 0; i < 20; i++) {
             try { JSON.parse(fs.readFileSync(${JSON.stringify(path)}, 'utf8')); reads++ } catch { torn++ }
           }
           if (stop) { process.stdout.write(JSON.stringify({ reads, torn }) + '\\n'); process.exit(0) }
           setImmediate(loop)
         }
         loop()`,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    )
    let out = ''
    const ready = new Promise<void>((resolve) =>
      reader.stdout.on('data', (chunk) => {
        out += String(chunk)
        if (out.includes('ready')) resolve()
      }),
    )
    const exited = new Promise<void>((resolve) => reader.on('exit', () => resolve()))
    await ready
    for (let round = 0; round < 40; round++) {
      log.report(vllm, reportOf(round))
      await log.flush()
    }
    reader.stdin.write('stop\n')
    await exited
    const result = JSON.parse(out.split('\n').filter(Boolean).at(-1)!)
    expect(result.torn).toBe(0)
    expect(result.reads).toBeGreaterThan(0)
    expect(existsSync(path)).toBe(true)
  })
})
