/** Key usage (adapters/key-usage.ts): counted in memory, written beside the key file now and then, read back at start. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openKeyUsage, usageFilePath } from './key-usage.ts'

const fresh = () => join(mkdtempSync(join(tmpdir(), 'key-usage-')), 'api-keys.usage.json')
const at = (iso: string) => () => new Date(iso)

describe('key usage', () => {
  it('lives beside the key file', () => {
    expect(usageFilePath('/data/api-keys.json')).toBe('/data/api-keys.usage.json')
  })

  it('counts in memory and writes nothing until a flush, then one whole file', async () => {
    const path = fresh()
    const usage = await openKeyUsage({ path, flushMs: 3_600_000, now: at('2026-03-01T10:00:00.000Z') })
    for (let i = 0; i < 100; i++) usage.note('crm-app')
    usage.note('ops')
    expect(existsSync(path)).toBe(false)
    expect(usage.get('crm-app')).toEqual({ last_used_at: '2026-03-01T10:00:00.000Z', request_count: 100 })
    await usage.flush()
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      'crm-app': { last_used_at: '2026-03-01T10:00:00.000Z', request_count: 100 },
      ops: { last_used_at: '2026-03-01T10:00:00.000Z', request_count: 1 },
    })
    // Written by rename: no temporary file is left behind.
    expect(readdirSync(join(path, '..'))).toEqual(['api-keys.usage.json'])
    await usage.close()
  })

  it('flushes on its timer, survives a restart, and forgets a revoked key', async () => {
    const path = fresh()
    const first = await openKeyUsage({ path, flushMs: 20 })
    first.note('crm-app')
    first.note('crm-app')
    await expect.poll(() => existsSync(path) && readFileSync(path, 'utf8')).toContain('"request_count":2')
    await first.close()
    const second = await openKeyUsage({ path, flushMs: 3_600_000 })
    expect(second.get('crm-app')?.request_count).toBe(2)
    second.forget('crm-app')
    await second.close()
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({})
  })

  it('is bounded, and starts afresh from a file that is not a usage file', async () => {
    const path = fresh()
    writeFileSync(path, '{"x": "not counts"}')
    const problems: string[] = []
    const usage = await openKeyUsage({
      path,
      maxKeys: 2,
      flushMs: 3_600_000,
      onError: (e) => problems.push(e.message),
    })
    expect(problems).toEqual([expect.stringContaining('not a usage file')])
    for (const name of ['a', 'b', 'c']) usage.note(name)
    expect([usage.get('a'), usage.get('b'), usage.get('c')].map((u) => u?.request_count)).toEqual([
      1,
      1,
      undefined,
    ])
    await usage.close()
  })
})
