import { readdir, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { PatchApplyAnswer } from '../../../shared/contracts/swap-controller/ops.ts'
import { createProofChecker, PROOF_HEADER } from '../../../shared/internal-auth/proof.ts'
import {
  ACTOR,
  callPatchApply,
  PATCH_APPLY_PATH,
  PATCH_IDS,
  type PatchesInput,
  patchesShown,
  patchRequestBody,
} from './patches-call.ts'
import { ActionRefusal } from './result.ts'
import { ACTION_SAMPLES } from './samples.ts'
import { tempDataDirs } from './test-dirs.ts'

const dataDir = tempDataDirs('patches-action-')
const SECRET = 'b'.repeat(64)

const step = (kind: 'check' | 'apply' | 'recheck', display: string, ok: boolean | null) => ({
  kind,
  command: { node: 'spark-2', argv: display.split(' '), display },
  exit_code: ok === null ? null : ok ? 0 : 1,
  ok,
  detail: ok === false ? 'docker said no' : null,
  ms: ok === null ? null : 12,
})

const dryRun: PatchApplyAnswer = {
  dry_run: true,
  ok: true,
  results: [
    {
      id: 'parakeet-memory-cap',
      service: 'parakeet',
      node: 'spark-2',
      before: 'missing',
      after: null,
      applied: false,
      skipped: false,
      steps: [step('apply', "'docker' 'update' '--memory' '1' 'parakeet-asr'", null)],
      summary: 'parakeet-memory-cap on parakeet (spark-2): missing',
    },
  ],
  skipped: [{ id: 'speech-restart-policy', service: 'kokoro', reason: 'not in the inventory' }],
}

const servers: Array<{ close: () => void; closeAllConnections: () => void }> = []
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    s.close()
  }
})

interface Seen {
  verdict: string
  actor: string | undefined
  body: unknown
}

/** A stand-in swap-controller that checks the proof as the real one does. */
async function controller(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const checker = createProofChecker(Buffer.from(SECRET))
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (c) => {
      text += c
    })
    req.on('end', () => {
      const header = req.headers[PROOF_HEADER] as string | undefined
      seen.push({
        verdict: checker.check(header, req.method ?? '', req.url ?? ''),
        actor: req.headers['x-spark-actor'] as string | undefined,
        body: JSON.parse(text),
      })
      answer(req, res)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

async function withSecret() {
  const dir = await dataDir()
  await writeFile(join(dir, 'internal-secret'), `${SECRET}\n`)
  return dir
}

const json = (status: number, body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

describe('Re-apply container patches', () => {
  it('offers exactly the patch files of patches/', async () => {
    const files = (await readdir(new URL('../../../patches/', import.meta.url))).filter((f) =>
      f.endsWith('.yaml'),
    )
    expect([...PATCH_IDS].sort()).toEqual(files.map((f) => f.replace(/\.yaml$/, '')).sort())
  })

  it('asks for a dry run, or for the change only once confirmed', () => {
    const [preview, apply] = ACTION_SAMPLES.reapplyPatches.valid as PatchesInput[]
    expect(patchRequestBody(preview!)).toEqual({ dry_run: true })
    expect(patchRequestBody(apply!)).toEqual({ confirm: true, ids: ['parakeet-memory-cap'] })
    const [unconfirmed] = ACTION_SAMPLES.reapplyPatches.refused as PatchesInput[]
    expect(() => patchRequestBody(unconfirmed!)).toThrow(ActionRefusal)
    expect(() => patchRequestBody(unconfirmed!)).toThrow(/^Nothing was changed: to apply, also switch on/)
    expect(() => patchRequestBody({ ids: ['nope'], mode: 'preview', confirm: false })).toThrow(
      'No patch is called nope.',
    )
  })

  it('sends the body with a valid internal proof and the actor, and shows the exact commands', async () => {
    const dir = await withSecret()
    const { origin, seen } = await controller(json(200, dryRun))
    const answer = await callPatchApply({ dataDir: dir, body: { dry_run: true }, timeoutMs: 5000, origin })
    expect(seen).toEqual([{ verdict: 'ok', actor: ACTOR, body: { dry_run: true } }])
    const shown = patchesShown(answer)
    expect(shown.title).toBe('Container patches: preview')
    expect(shown.message).toMatch(
      /^Preview: these exact commands would run on the Sparks \(nothing has been changed\)/,
    )
    expect(shown.result?.type === 'group' && shown.result.value).toEqual([
      expect.objectContaining({
        name: 'parakeet-memory-cap on parakeet (spark-2)',
        value: "apply on spark-2: 'docker' 'update' '--memory' '1' 'parakeet-asr'",
        copyable: true,
      }),
      expect.objectContaining({
        name: 'speech-restart-policy on kokoro',
        value: 'Skipped: not in the inventory',
      }),
    ])
  })

  it('reports per patch what an apply did, failures with the failing step', async () => {
    const [result] = dryRun.results
    const answer: PatchApplyAnswer = {
      dry_run: false,
      ok: false,
      results: [
        { ...result!, after: 'applied', applied: true, steps: [step('apply', 'docker update', true)] },
        { ...result!, service: 'kokoro', after: 'missing', steps: [step('apply', 'docker update', false)] },
        { ...result!, service: 'qdrant', before: 'applied', skipped: true, steps: [] },
      ],
    }
    const shown = patchesShown(answer)
    expect(shown.message).toMatch(/^Some patches are not applied/)
    expect(
      shown.result?.type === 'group' && shown.result.value.map((m) => m.type === 'single' && m.value),
    ).toEqual([
      'Applied (was missing, now applied).',
      'Not applied (now missing): apply step failed — docker said no.',
      'Already applied: nothing ran.',
    ])
  })

  it('turns refusals, odd answers, silence and a missing secret into sentences', async () => {
    const dir = await withSecret()
    const busy = await controller(json(409, { title: 'Conflict', detail: 'A swap is running on spark-2' }))
    await expect(
      callPatchApply({ dataDir: dir, body: { confirm: true }, timeoutMs: 5000, origin: busy.origin }),
    ).rejects.toThrow(
      'A model switch or another patch run is under way on a patch’s Spark; try again when it is over. It said: A swap is running on spark-2.',
    )
    const odd = await controller(json(200, { ok: 'yes' }))
    await expect(
      callPatchApply({ dataDir: dir, body: { dry_run: true }, timeoutMs: 5000, origin: odd.origin }),
    ).rejects.toThrow('The swap-controller answered in a shape this package does not know.')
    const silent = await controller(() => {}) // never answers
    await expect(
      callPatchApply({ dataDir: dir, body: { dry_run: true }, timeoutMs: 200, origin: silent.origin }),
    ).rejects.toThrow(
      /^The swap-controller did not answer within 1 second\. The patches may still be applying/,
    )
    await expect(
      callPatchApply({
        dataDir: dir,
        body: { dry_run: true },
        timeoutMs: 5000,
        origin: 'http://127.0.0.1:1',
      }),
    ).rejects.toThrow('The swap-controller did not answer. Is Spark Control running? Try again once it is.')
    await expect(
      callPatchApply({
        dataDir: await dataDir(),
        body: { dry_run: true },
        timeoutMs: 5000,
        origin: busy.origin,
      }),
    ).rejects.toThrow(/^Spark Control has not finished its first start/)
    expect(PATCH_APPLY_PATH).toBe('/api/ops/patches/apply')
  })
})
