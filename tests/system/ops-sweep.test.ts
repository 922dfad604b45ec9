/**
 * The concurrency sweep on the simulated cluster, through the gateway's admin API and from the
 * command line: an ASR backend that serialises (capacity 1) has its knee at 1, an embeddings
 * backend that runs 3 at once has it at 3, and each is recommended as the lane limit with its
 * setting; `npm run sweep` finds the same straight against the emulator and through the gateway,
 * and refuses a backend that is neither local nor simulated without --yes-live. Short cells keep
 * the file near half a minute.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { SweepList, SweepResult } from '../../shared/contracts/swap-controller.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { eventually, useDemo } from '../support/demo.ts'

const fixture = useDemo({ name: 'ops-sweep' })
const sim = () => fixture.demo().sim
const SHORT = { cell_s: 1.2, warmup_s: 0.3 }

const outDir = mkdtemp(join(tmpdir(), 'ops-sweep-'))
afterAll(async () => {
  await rm(await outDir, { recursive: true, force: true })
})

async function sweep(body: Record<string, unknown>): Promise<SweepResult> {
  const res = await fetch(fixture.url('/api/ops/sweeps'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-spark-actor': 'system-test' },
    body: JSON.stringify({ ...SHORT, confirm: true, ...body }),
  })
  expect(res.status).toBe(202)
  const started = (await res.json()) as SweepResult
  return eventually(
    async () => (await (await fetch(fixture.url(`/api/ops/sweeps/${started.id}`))).json()) as SweepResult,
    (r) => r.status !== 'running',
    30_000,
  )
}

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** `npm run sweep -- <args>` as an operator runs it (arguments split on spaces). */
function cli(args: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'tools/sweep/main.ts', ...args.split(/\s+/)],
      { cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, SPARK_CONTROL_KEY: '' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err.code as number | null) ?? null) : 0, stdout, stderr }),
    )
  })
}

describe('concurrency sweep on the simulated cluster', () => {
  it('finds knee 1 for an ASR backend that serialises, and recommends SPEECH_LANE_ASR=1', async () => {
    // The emulator's own work (ffmpeg, VAD) takes ~0.4 s on a busy test machine: a longer service
    // time keeps each request's length even, so two-second cells measure it steadily.
    sim().parakeet.setCapacity(1, 800)
    const result = await sweep({ target: 'asr', levels: [1, 2, 3], cell_s: 2, warmup_s: 0.4 })
    expect(result).toMatchObject({
      status: 'done',
      simulated: true,
      url: sim().parakeet.url,
      stopped_early: null,
      knee: 1,
      recommended_limit: 1,
      setting: 'SPEECH_LANE_ASR',
    })
    const [one, , three] = result.cells
    expect(three!.throughput_rps).toBeLessThan(one!.throughput_rps * 1.1)
    expect(three!.p95_ms!).toBeGreaterThan(one!.p95_ms! * 2)
    // Parakeet answers GETs late while it works: the blip shows in the health latency.
    expect(three!.health_max_ms!).toBeGreaterThan(500)
  })

  it('finds knee 3 for an embeddings backend that runs 3 at once, lists it first, and audits it', async () => {
    sim().embeddings.setCapacity(3, 400)
    const result = await sweep({ target: 'embeddings', levels: [1, 2, 3, 4] })
    expect(result, JSON.stringify(result.cells)).toMatchObject({
      knee: 3,
      recommended_limit: 3,
      setting: 'EMBED_CONCURRENCY',
    })
    expect(result.reason).toMatch(/Set EMBED_CONCURRENCY=3/)
    const list = (await (await fetch(fixture.url('/api/ops/sweeps'))).json()) as SweepList
    expect(list.sweeps[0]!.id).toBe(result.id)
    const history = (await (
      await fetch(fixture.url('/api/swap/history?action=ops.sweep&limit=50'))
    ).json()) as {
      entries?: Array<{ action: string; outcome: string; target: string | null }>
    }
    const rows = (history.entries ?? []).filter((e) => e.action === 'ops.sweep' && e.target === result.id)
    expect(rows.map((r) => r.outcome).sort()).toEqual(['ok', 'started'])
  })

  it('npm run sweep finds knee 3 straight against the emulator, prints the table and writes the JSON', async () => {
    sim().embeddings.setCapacity(3, 400)
    const dir = await outDir
    const run = await cli(
      `--target embeddings --url ${sim().embeddings.url} --levels 1,3,4 --cell-s 1.2 --warmup-s 0.3 --out ${dir}`,
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/conc\s+req\s+err%\s+req\/s/)
    expect(run.stdout).toMatch(/Knee: 3 — recommended EMBED_CONCURRENCY=3/)
    const [file] = await readdir(dir)
    const saved = JSON.parse(await readFile(join(dir, file!), 'utf8')) as SweepResult
    expect(saved).toMatchObject({ target: 'embeddings', simulated: true, knee: 3, recommended_limit: 3 })
  })

  it('npm run sweep --gateway runs it in Spark Control; a live backend is refused without --yes-live', async () => {
    sim().embeddings.setCapacity(1, 250)
    const run = await cli(
      `--target embeddings --gateway ${fixture.url()} --levels 1,2 --cell-s 1.2 --warmup-s 0.3`,
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Knee: 1 — recommended EMBED_CONCURRENCY=1/)
    expect(run.stdout).toMatch(/Saved in Spark Control as sweep-/)

    const live = await cli('--target asr --url http://192.0.2.1:8000 --levels 1 --cell-s 1')
    expect(live.code).toBe(2)
    expect(live.stderr).toMatch(/refused — http:\/\/192\.0\.2\.1:8000 is not on this machine .* --yes-live/)
  })
})
