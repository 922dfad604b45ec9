/**
 * The StartOS package as StartOS loads it: the ncc bundle startos/javascript/index.js (built by
 * scripts/startos-check.sh, which test.sh runs first; built here when missing or older than the
 * package's sources). Packing the .s9pk needs start-cli and Docker and is not done here
 * (docs/STARTOS.md). `main` runs here with stand-in effects: it returns the daemon chain StartOS
 * would start, unstarted. Files under startos/ are CommonJS to the repository's type check, so this
 * file reaches them only through the bundle or a runtime import; their own tests sit beside them
 * (startos/startos/*.test.ts).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const project = join(root, 'startos')
const bundlePath = join(project, 'javascript/index.js')

interface BuiltSpec {
  validator: { safeParse(v: unknown): { success: boolean; error?: unknown } }
}
interface Action {
  id: string
  inputSpec: { build(o: { effects: unknown }): Promise<BuiltSpec> } | null
}
interface DaemonEntry {
  kind: 'daemon' | 'oneshot' | 'health'
  id: string
  requires: readonly string[]
  exec?: { command: string[]; user?: string; cwd?: string; env?: Record<string, string> }
  ready?: { display: string | null; fn: () => Promise<{ result: string; message: string | null }> }
}
interface Bundle {
  manifest: Record<string, unknown> & {
    id: string
    version: string
    canMigrateFrom: string
    images: Record<string, { source: unknown; arch: string[] }>
    volumes: string[]
  }
  actions: { actions: Record<string, Action> }
  main: (o: { effects: unknown; started: () => void }) => Promise<{ entries: DaemonEntry[] }>
  init: unknown
  uninit: unknown
  createBackup: unknown
}

const newestSource = (dir: string): number =>
  Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newestSource(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  )

let bundle: Bundle
const sdk = createRequire(join(project, 'package.json'))('@start9labs/start-sdk')

beforeAll(() => {
  if (!existsSync(bundlePath) || statSync(bundlePath).mtimeMs < newestSource(join(project, 'startos')))
    execFileSync('bash', [join(root, 'scripts/startos-check.sh')], { stdio: 'inherit', timeout: 170_000 })
  bundle = createRequire(import.meta.url)(bundlePath)
}, 180_000)

describe('the bundle', () => {
  it('exports what StartOS loads', () => {
    for (const name of ['manifest', 'main', 'init', 'uninit', 'actions', 'createBackup'] as const)
      expect(bundle[name], name).toBeDefined()
  })
})

describe('the manifest', () => {
  it("is the earlier package's id at version 1.0.0:0, with release notes", () => {
    expect(bundle.manifest).toMatchObject({ id: 'spark-control', title: 'Spark Control', license: 'MIT' })
    expect(bundle.manifest.version).toBe('1.0.0:0')
    expect(JSON.stringify(bundle.manifest.releaseNotes)).toMatch(/earlier version/)
  })

  it('is an update of the earlier package (0.27.0:0) and of anything older', () => {
    const from = sdk.VersionRange.parse(bundle.manifest.canMigrateFrom)
    for (const v of ['0.27.0:0', '0.13.0:4', '1.0.0:0'])
      expect(sdk.ExtendedVersion.parse(v).satisfies(from), v).toBe(true)
  })

  it("builds one image from the repository's Dockerfile for x86_64 and aarch64", () => {
    expect(Object.keys(bundle.manifest.images)).toEqual(['spark-control'])
    const image = bundle.manifest.images['spark-control']
    expect(image?.source).toEqual({ dockerBuild: { workdir: '..', dockerfile: '../Dockerfile' } })
    expect(existsSync(resolve(project, '../Dockerfile'))).toBe(true)
    expect(image?.arch).toEqual(['x86_64', 'aarch64'])
  })

  it("has the one data volume 'main' (the earlier package's) and no field SDK 2.0 removed", () => {
    expect(bundle.manifest.volumes).toEqual(['main'])
    expect(bundle.manifest).not.toHaveProperty('alerts')
  })
})

/** Effects outside StartOS: every call answers null (no store file yet, nothing to wait for). */
const standInEffects = new Proxy(
  {},
  { get: (_, key) => (key === 'then' ? undefined : async () => null) },
) as Record<string, unknown>

const servicesOnDisk = readdirSync(join(root, 'services'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)

describe('main', () => {
  let entries: DaemonEntry[]
  let daemons: DaemonEntry[]
  beforeAll(async () => {
    entries = (await bundle.main({ effects: standInEffects, started: () => {} })).entries
    daemons = entries.filter((e) => e.kind === 'daemon')
  })
  afterEach(() => vi.unstubAllGlobals())

  it('starts one daemon per folder under services/, named after it', () => {
    expect(daemons.map((d) => d.id).sort()).toEqual([...servicesOnDisk].sort())
  })

  it("runs each service's built entry point as the image's user, with the data volume and its port", () => {
    for (const d of daemons) {
      expect(d.exec?.command.at(-1)).toBe(`dist/services/${d.id}/main.js`)
      expect(d.exec).toMatchObject({ user: 'node', cwd: '/app' })
      expect(d.exec?.env).toMatchObject({ DATA_DIR: '/data', PORT: expect.stringMatching(/^\d+$/) })
      // No Spark configured yet: blank, which the services report as not configured.
      expect(d.exec?.env?.SPARK_NODES).toBe('')
    }
  })

  it('starts the gateway once every backend is ready, after the volume is handed to the services', () => {
    const gateway = daemons.find((d) => d.id === 'gateway')
    const backends = daemons.filter((d) => d.id !== 'gateway')
    expect([...(gateway?.requires ?? [])].sort()).toEqual(backends.map((d) => d.id).sort())
    expect(entries.find((e) => e.id === 'data-owner')).toMatchObject({
      kind: 'oneshot',
      exec: { command: ['chown', '-R', 'node:node', '/data'], user: 'root' },
    })
    for (const d of backends) expect(d.requires).toEqual(['data-owner'])
  })

  it('gives every daemon a health check on its own /ready that needs a 2xx', async () => {
    for (const d of daemons) {
      expect(d.ready?.display, d.id).toBeTruthy()
      const port = d.exec?.env?.PORT
      const seen: string[] = []
      const answer = (status: number) =>
        vi.stubGlobal('fetch', async (url: string) => {
          seen.push(String(url))
          return new Response('{}', { status })
        })
      answer(200)
      expect((await d.ready?.fn())?.result, d.id).toBe('success')
      answer(503)
      expect((await d.ready?.fn())?.result, d.id).toBe('loading')
      vi.stubGlobal('fetch', async () => {
        throw new TypeError('fetch failed')
      })
      expect((await d.ready?.fn())?.result, d.id).toBe('failure')
      expect(seen).toEqual([`http://127.0.0.1:${port}/ready`, `http://127.0.0.1:${port}/ready`])
    }
  })
})

describe('the actions', () => {
  const effects = {}

  it("keep the earlier package's action ids", () => {
    expect(Object.keys(bundle.actions.actions)).toEqual(
      expect.arrayContaining(['configureSparks', 'showPublicKey']),
    )
  })

  it("take the sample inputs (startos/startos/actions/samples.ts) by each action's own input spec", async () => {
    const { ACTION_SAMPLES } = (await import(join(project, 'startos/actions/samples.ts'))) as {
      ACTION_SAMPLES: Record<string, { valid: unknown[]; invalid: unknown[] }>
    }
    const withInput = Object.values(bundle.actions.actions).filter((a) => a.inputSpec)
    expect(withInput.length).toBeGreaterThan(0)
    for (const action of withInput) {
      const samples = ACTION_SAMPLES[action.id]
      expect(samples?.valid.length, `valid samples for ${action.id}`).toBeGreaterThan(0)
      const { validator } = await (action.inputSpec as NonNullable<Action['inputSpec']>).build({ effects })
      for (const sample of samples?.valid ?? []) {
        const parsed = validator.safeParse(sample)
        expect(parsed.success, `${action.id} refused ${JSON.stringify(sample)}: ${parsed.error}`).toBe(true)
      }
      for (const sample of samples?.invalid ?? [])
        expect(validator.safeParse(sample).success, `${action.id} took ${JSON.stringify(sample)}`).toBe(false)
    }
  })
})
