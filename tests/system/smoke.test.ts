/**
 * `npm run smoke` against the demo stack, run as an operator runs it (a child process): every check
 * passes and the exit code is 0; with the speech-to-text upstream down the run exits 1 with FAIL
 * lines that name the check and say why, while the other checks still pass; bad arguments print
 * the usage and exit 2.
 */
import { execFile } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { dialogue } from '../fixtures/audio/fixtures.ts'
import { useDemo } from '../support/demo.ts'

const fixture = useDemo({ name: 'smoke' })
let audio: string

beforeAll(async () => {
  audio = (await dialogue()).path
}, 120_000)

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function smoke(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'tools/smoke/main.ts', ...args],
      { cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, SPARK_CONTROL_KEY: '' } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err.code as number | null) ?? null) : 0, stdout, stderr }),
    )
  })
}

/** The check lines: verdict, name, the rest. */
const lines = (stdout: string) =>
  stdout
    .split('\n')
    .map((line) => /^(PASS|FAIL|SKIP) {2}(\S+)\s+\d+\.\d\d s {2}(.+)$/.exec(line))
    .filter((m) => m !== null)
    .map(([, verdict, name, detail]) => ({ verdict, name, detail }))

describe('npm run smoke', () => {
  it('passes every check on a healthy installation and exits 0', async () => {
    const run = await smoke('--base', fixture.url(), '--audio', audio)
    expect(run.stderr).toBe('')
    expect(lines(run.stdout).map((l) => `${l.verdict} ${l.name}`)).toEqual([
      'PASS status',
      'PASS chat',
      'PASS transcription',
      'PASS tts',
      'PASS embeddings',
      'PASS search',
      'PASS scrub',
    ])
    expect(run.stdout).toContain('OK: 7 passed, 0 failed, 0 skipped')
    expect(run.code).toBe(0)
    const collections = await fetch(fixture.url('/api/search/collections')).then((r) => r.json())
    expect(collections.collections.map((c: { name: string }) => c.name)).not.toContainEqual(
      expect.stringMatching(/^smoke_/),
    )
  }, 60_000)

  it('fails the checks that need speech to text when Parakeet is down, saying why, and exits 1', async () => {
    const parakeet = fixture.demo().sim.parakeet
    await parakeet.setMode('down')
    try {
      await expect
        .poll(
          () => fetch(fixture.url('/api/endpoints')).then((r) => r.json().then((e) => e.parakeet.ready)),
          {
            timeout: 20_000,
          },
        )
        .toBe(false)
      // No --audio: the built-in speech sample.
      const run = await smoke('--base', fixture.url(), '--only', 'status,transcription,tts')
      const byName = Object.fromEntries(lines(run.stdout).map((l) => [l.name, l]))
      expect(byName.status).toMatchObject({
        verdict: 'FAIL',
        detail: expect.stringMatching(/not ready: parakeet/),
      })
      expect(byName.transcription).toMatchObject({
        verdict: 'FAIL',
        detail: expect.stringMatching(
          /^POST \/api\/audio\/transcribe-with-speakers answered 503 Service Unavailable: ./,
        ),
      })
      expect(byName.tts?.verdict).toBe('PASS')
      expect(run.stdout).toContain('FAILED: 1 passed, 2 failed, 0 skipped')
      expect(run.code).toBe(1)
    } finally {
      await parakeet.setMode('ok')
    }
  }, 60_000)

  it('answers --json with one document', async () => {
    const run = await smoke('--base', fixture.url(), '--only', 'embeddings,search', '--json')
    expect(JSON.parse(run.stdout)).toMatchObject({
      base: fixture.url(),
      ok: true,
      checks: [
        { name: 'embeddings', verdict: 'PASS', detail: expect.stringContaining('1024 dimensions') },
        { name: 'search', verdict: 'PASS' },
      ],
    })
    expect(run.code).toBe(0)
  }, 30_000)

  it('prints the usage and exits 2 on bad arguments', async () => {
    for (const args of [
      [],
      ['--base', fixture.url(), '--only', 'coffee'],
      ['--base', fixture.url(), '--audio', '/nonexistent.wav'],
    ]) {
      const run = await smoke(...args)
      expect(run.code).toBe(2)
      expect(run.stderr).toContain('usage: npm run smoke -- --base <gateway-url>')
      expect(run.stdout).toBe('')
    }
  }, 30_000)
})
