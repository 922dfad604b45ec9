/** The download registry on its own: bounds (one per repo, maxActive, kept history), deadline, audit. */
import { describe, expect, it } from 'vitest'
import type { AuditInput } from '../coordination/ports.ts'
import {
  createDownloads,
  type DownloadJournal,
  type DownloadRunner,
  type DownloadView,
  INTERRUPTED_TEXT,
} from './downloads.ts'

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
  const endAll = (code = 0) => {
    for (const end of ends.splice(0)) end(code)
  }
  return { runner, endAll }
}

describe('downloads registry', () => {
  it('bounds concurrency and history, and audits start, refusal and end', async () => {
    const audits: AuditInput[] = []
    const { runner, endAll } = heldRunner()
    let n = 0
    const d = createDownloads({
      runner,
      nodes: () => ['a', 'b'],
      audit: (e) => audits.push(e),
      timeoutMs: 60_000,
      maxActive: 2,
      maxKept: 1,
      newId: () => `dl_${String(++n).padStart(12, '0')}`,
    })
    const first = d.start({ repo: 'org/one', actor: 't' })
    expect(first.nodes.map((x) => x.node)).toEqual(['a', 'b'])
    expect(d.get(first.download_id)!.percent).toBe(25)
    d.start({ repo: 'org/two', actor: 't' })
    expect(() => d.start({ repo: 'org/three', actor: 't' })).toThrow(
      expect.objectContaining({ status: 429, retryAfterS: 60 }),
    )
    expect(() => d.start({ repo: 'ORG/one', actor: 't' })).toThrow(expect.objectContaining({ status: 409 }))
    expect(() => d.start({ repo: 'org/four', nodes: ['zz'], actor: 't' })).toThrow(
      expect.objectContaining({ status: 422 }),
    )
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
    expect(d.get(v.download_id)).toMatchObject({
      status: 'failed',
      error: 'a: the download did not finish within 1 s',
    })
    const missing: DownloadRunner = { run: async () => ({ code: 127 }) }
    const m = createDownloads({ runner: missing, nodes: () => ['a'], audit: () => {}, timeoutMs: 1000 })
    const id = m.start({ repo: 'org/x', actor: 't' }).download_id
    await m.idle()
    expect(m.get(id)!.error).toMatch(/not installed \(see MODEL_DOWNLOAD_TOOL\)/)
  })
})

describe('downloads journal', () => {
  function memoryJournal() {
    const rows = new Map<string, DownloadView>()
    const writes: DownloadView[] = []
    const journal: DownloadJournal = {
      save(v) {
        writes.push(structuredClone(v))
        rows.set(v.download_id, structuredClone(v))
      },
      recent: (limit) => [...rows.values()].slice(-limit).map((v) => structuredClone(v)),
    }
    return { journal, rows, writes }
  }

  it('writes a job when it starts, while it runs (throttled) and when it ends; a new registry lists it', async () => {
    const { journal, rows, writes } = memoryJournal()
    const { runner, endAll } = heldRunner()
    let clock = 1_000_000
    const d = createDownloads({
      runner,
      nodes: () => ['a'],
      audit: () => {},
      timeoutMs: 60_000,
      journal,
      journalEveryMs: 5000,
      now: () => clock,
    })
    const id = d.start({ repo: 'org/one', actor: 't' }).download_id
    expect(writes.map((w) => w.status)).toEqual(['running'])
    clock += 6000
    endAll(0)
    await d.idle()
    expect(writes.map((w) => w.status)).toEqual(['running', 'done'])
    expect(rows.get(id)).toMatchObject({ status: 'done', percent: 100 })
    const again = createDownloads({ runner, nodes: () => ['a'], audit: () => {}, timeoutMs: 60_000, journal })
    expect(again.get(id)).toMatchObject({ status: 'done', repo: 'org/one' })
    expect(again.list().map((v) => v.download_id)).toEqual([id])
  })

  it('saves progress at most every journalEveryMs while output arrives', async () => {
    const { journal, writes } = memoryJournal()
    let clock = 0
    let emit: (line: string) => void = () => {}
    let end: () => void = () => {}
    const runner: DownloadRunner = {
      run: (_n, _r, { onLine }) =>
        new Promise((resolve) => {
          emit = (l) => onLine(l, false)
          end = () => resolve({ code: 0 })
        }),
    }
    const d = createDownloads({
      runner,
      nodes: () => ['a'],
      audit: () => {},
      timeoutMs: 60_000,
      journal,
      journalEveryMs: 5000,
      now: () => clock,
    })
    d.start({ repo: 'org/one', actor: 't' })
    for (let i = 1; i <= 10; i++) {
      clock += 1000
      emit(`Fetching 10 files:  ${i * 10}%|██        | ${i}/10 [00:01<00:03, 1.0s/it]`)
    }
    end()
    await d.idle()
    // Start, two progress writes (at 5 s and 10 s; a running bar never claims 100), the end.
    expect(writes.map((w) => [w.status, w.percent])).toEqual([
      ['running', 0],
      ['running', 50],
      ['running', 99.9],
      ['done', 100],
    ])
  })

  it('shows a job found running after a restart as interrupted, audited, with how to resume', () => {
    const { journal, rows } = memoryJournal()
    const audits: AuditInput[] = []
    const { runner } = heldRunner()
    const before = createDownloads({
      runner,
      nodes: () => ['a', 'b'],
      audit: () => {},
      timeoutMs: 60_000,
      journal,
    })
    const id = before.start({ repo: 'org/big', actor: 'ops' }).download_id
    // The process dies here: no close(), the row still says running.
    const after = createDownloads({
      runner,
      nodes: () => ['a', 'b'],
      audit: (e) => audits.push(e),
      timeoutMs: 60_000,
      journal,
    })
    const v = after.get(id)!
    expect(v.status).toBe('interrupted')
    expect(v.nodes.map((n) => n.status)).toEqual(['interrupted', 'interrupted'])
    expect(v.error).toBe(INTERRUPTED_TEXT)
    expect(v.finished_at).not.toBeNull()
    expect(rows.get(id)!.status).toBe('interrupted')
    expect(audits).toEqual([
      expect.objectContaining({
        action: 'model.download',
        target: 'org/big',
        outcome: 'interrupted',
        actor: 'ops',
      }),
    ])
    // Not running any more: the same repo may be downloaded again.
    expect(after.start({ repo: 'org/big', actor: 'ops' }).status).toBe('running')
    after.close()
  })

  it('marks jobs interrupted (not cancelled, not failed) when the process shuts down', async () => {
    const { journal, rows } = memoryJournal()
    const audits: AuditInput[] = []
    const { runner } = heldRunner()
    const d = createDownloads({
      runner,
      nodes: () => ['a'],
      audit: (e) => audits.push(e),
      timeoutMs: 60_000,
      journal,
    })
    const id = d.start({ repo: 'org/one', actor: 't' }).download_id
    d.close()
    await d.idle()
    expect(d.get(id)!.status).toBe('interrupted')
    expect(rows.get(id)!.status).toBe('interrupted')
    expect(audits.map((a) => a.outcome)).toEqual(['started', 'interrupted'])
  })

  it('goes on downloading when the journal cannot be written (a full disk), and says so', async () => {
    const errors: string[] = []
    const broken: DownloadJournal = {
      save: () => {
        throw new Error('SQLITE_FULL: database or disk is full')
      },
      recent: () => {
        throw new Error('SQLITE_IOERR')
      },
    }
    const { runner, endAll } = heldRunner()
    const d = createDownloads({
      runner,
      nodes: () => ['a'],
      audit: () => {},
      timeoutMs: 60_000,
      journal: broken,
      journalEveryMs: 0,
      onJournalError: (e) => errors.push((e as Error).message),
    })
    const id = d.start({ repo: 'org/one', actor: 't' }).download_id
    expect(d.get(id)!.status).toBe('running')
    endAll(0)
    await d.idle()
    expect(d.get(id)!.status).toBe('done')
    expect(errors[0]).toBe('SQLITE_IOERR')
    expect(errors.filter((e) => e.startsWith('SQLITE_FULL')).length).toBeGreaterThanOrEqual(2)
  })
})
