/** The download registry on its own: bounds (one per repo, maxActive, kept history), deadline, audit. */
import { describe, expect, it } from 'vitest'
import type { AuditInput } from '../coordination/ports.ts'
import { createDownloads, type DownloadRunner } from './downloads.ts'

/** Each run waits until the test ends it, or its signal aborts. */
function heldRunner() {
  const ends: Array<(code: number) => void> = []
  const runner: DownloadRunner = {
    run: (_node, _repo, { onLine, signal }) =>
      new Promise((resolve) => {
        onLine('Fetching 4 files:  25%|██▌       | 1/4 [00:01<00:03, 1.0s/it]', false)
        onLine('x'.repeat(5000), true)
        ends.push((code) => resolve({ code }))
        signal.addEventListener('abort', () => resolve({ code: null }), { once: true })
      }),
  }
  return { runner, endAll: (code = 0) => ends.splice(0).forEach((e) => e(code)) }
}

describe('downloads registry', () => {
  it('bounds concurrency and history, and audits start, refusal and end', async () => {
    const audits: AuditInput[] = []
    const { runner, endAll } = heldRunner()
    let n = 0
    const d = createDownloads({ runner, nodes: () => ['a', 'b'], audit: (e) => audits.push(e), timeoutMs: 60_000, maxActive: 2, maxKept: 1, newId: () => `dl_${String(++n).padStart(12, '0')}` })
    const first = d.start({ repo: 'org/one', actor: 't' })
    expect(first.nodes.map((x) => x.node)).toEqual(['a', 'b'])
    expect(d.get(first.download_id)!.percent).toBe(25)
    d.start({ repo: 'org/two', actor: 't' })
    expect(() => d.start({ repo: 'org/three', actor: 't' })).toThrow(expect.objectContaining({ status: 429, retryAfterS: 60 }))
    expect(() => d.start({ repo: 'ORG/one', actor: 't' })).toThrow(expect.objectContaining({ status: 409 }))
    expect(() => d.start({ repo: 'org/four', nodes: ['zz'], actor: 't' })).toThrow(expect.objectContaining({ status: 422 }))
    endAll(0)
    await d.idle()
    expect(d.list()).toHaveLength(1)
    expect(audits.map((a) => a.outcome)).toEqual(['started', 'started', 'refused', 'refused', 'ok', 'ok'])
  })

  it('fails a node at its deadline and names the missing tool on exit 127', async () => {
    const { runner } = heldRunner()
    const d = createDownloads({ runner, nodes: () => ['a'], audit: () => {}, timeoutMs: 50 })
    const v = d.start({ repo: 'org/slow', actor: 't' })
    await d.idle()
    expect(d.get(v.download_id)).toMatchObject({ status: 'failed', error: 'a: the download did not finish within 1 s' })
    const missing: DownloadRunner = { run: async () => ({ code: 127 }) }
    const m = createDownloads({ runner: missing, nodes: () => ['a'], audit: () => {}, timeoutMs: 1000 })
    const id = m.start({ repo: 'org/x', actor: 't' }).download_id
    await m.idle()
    expect(m.get(id)!.error).toMatch(/not installed \(see MODEL_DOWNLOAD_TOOL\)/)
  })
})
