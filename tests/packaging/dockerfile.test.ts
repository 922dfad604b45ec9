/**
 * The Dockerfile follows the packaging rules (docs/COMPOSE.md): multi-stage, production
 * dependencies installed afresh on the target platform, a non-root user owning /data, ffmpeg and
 * openssh-client, tini as PID 1, a health check that needs a 2xx from /ready, and every file a
 * service reads at run time in the image. The build context (.dockerignore) lets those files in and
 * keeps .env, .data, node_modules and dist out. Docker cannot run here; these rules are read from
 * the files, and the health check command itself is run against local servers.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { configShape as swap } from '../../services/swap-controller/config.ts'
import { argsOf, readDockerfile, readRepoFile, type Stage } from './files.ts'
import { healthOutcomes, TWO_XX_ONLY } from './healthcheck-run.ts'

const stages = readDockerfile()
const runtime = stages.at(-1)!
const stage = (name: string) => stages.find((s) => s.name === name)!
/** The stage a `COPY --from=<stage> <path>` of the runtime stage takes `path` from. */
const copiedFrom = (path: string) =>
  argsOf(runtime, 'COPY')
    .map((args) => /^--from=(\S+)\s+(\S+)\s+\S+$/.exec(args))
    .find((m) => m?.[2] === path)?.[1]
/** Context paths the COPY instructions of a stage take (no --from). */
const contextSources = (s: Stage) =>
  argsOf(s, 'COPY')
    .filter((args) => !args.startsWith('--from='))
    .flatMap((args) =>
      args
        .replace(/--\S+\s+/g, '')
        .split(/\s+/)
        .slice(0, -1),
    )
const installed = (s: Stage) =>
  argsOf(s, 'RUN')
    .flatMap((run) => /apt-get install (?:-\S+\s+)*(.*?)(?:&&|$)/.exec(run)?.[1]?.split(/\s+/) ?? [])
    .filter((word) => word && !word.startsWith('-'))

describe('Dockerfile', () => {
  it('builds in stages: compile, production dependencies, runtime', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime'])
  })

  it('compiles on the build machine and installs dependencies on the target platform', () => {
    expect(stage('build').from).toMatch(/^--platform=\$BUILDPLATFORM /)
    for (const s of [stage('deps'), runtime]) expect(s.from, s.name).not.toMatch(/--platform/)
  })

  it('compiles every folder the production build compiles, with scripts/build.sh', () => {
    const tsconfig = JSON.parse(readRepoFile('tsconfig.build.json')) as { include: string[] }
    const copied = contextSources(stage('build'))
    for (const folder of tsconfig.include) expect(copied, folder).toContain(folder)
    expect(argsOf(stage('build'), 'RUN')).toContain('bash scripts/build.sh dist')
  })

  it('ships production dependencies only, installed afresh in a clean stage', () => {
    const deps = stage('deps')
    expect(argsOf(deps, 'RUN').some((run) => /npm ci --omit=dev\b/.test(run))).toBe(true)
    expect(argsOf(deps, 'COPY').every((args) => !args.startsWith('--from='))).toBe(true)
    expect(copiedFrom('/app/node_modules')).toBe('deps')
    expect(argsOf(runtime, 'RUN').some((run) => /\bnpm (ci|install|i)\b/.test(run))).toBe(false)
  })

  it('puts every file a service reads at run time in the image', () => {
    expect(argsOf(runtime, 'WORKDIR')).toEqual(['/app'])
    expect(copiedFrom('/app/dist')).toBe('build')
    const sources = contextSources(runtime)
    // "type": "module": without package.json beside dist/, node cannot load the compiled code.
    expect(sources).toContain('package.json')
    // Relative to WORKDIR, as the swap-controller's defaults read them.
    for (const key of ['RECIPES_DIR', 'PATCHES_DIR'] as const) {
      const folder = (swap[key].parse(undefined) as string).replace(/^\.\//, '')
      expect(sources, key).toContain(folder)
      expect(argsOf(runtime, 'COPY'), key).toContain(`${folder} ./${folder}`)
    }
    // The dashboard's own files are copied into dist/ui/static by the build script.
    expect(readRepoFile('scripts/build.sh')).toMatch(/cp -r ui\/static "\$out\/ui\/static"/)
  })

  it('includes ffmpeg, openssh-client and tini, and runs node under tini', () => {
    expect(installed(runtime)).toEqual(expect.arrayContaining(['ffmpeg', 'openssh-client', 'tini']))
    expect(argsOf(runtime, 'ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--"]'])
    expect(argsOf(runtime, 'ENV').join(' ')).toMatch(/NODE_ENV=production/)
  })

  it('runs as the non-root node user, who owns /data', () => {
    expect(argsOf(runtime, 'USER')).toEqual(['node'])
    expect(argsOf(runtime, 'RUN')).toContain('mkdir -p /data && chown node:node /data')
    expect(argsOf(runtime, 'VOLUME')).toEqual(['/data'])
    const lastUser = runtime.instructions.findLastIndex((i) => i.keyword === 'USER')
    const lastRun = runtime.instructions.findLastIndex((i) => i.keyword === 'RUN')
    expect(lastUser).toBeGreaterThan(lastRun)
  })

  it('is healthy only while /ready answers a 2xx', async () => {
    const [check] = argsOf(runtime, 'HEALTHCHECK')
    const command = /\bCMD\s+(\[.*\])$/.exec(check ?? '')?.[1]
    expect(command, check).toBeDefined()
    expect(command).toContain('/ready')
    expect(await healthOutcomes(['CMD', ...(JSON.parse(command!) as string[])])).toEqual(TWO_XX_ONLY)
  })

  it('starts the gateway when no command is given', () => {
    expect(argsOf(runtime, 'CMD')).toEqual(['["node", "dist/services/gateway/main.js"]'])
  })
})

describe('.dockerignore', () => {
  const lines = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
  const allowed = lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).replace(/\/$/, ''))

  it('sends only what the Dockerfile copies (an allowlist)', () => {
    expect(lines[0]).toBe('*')
    const copied = new Set(stages.flatMap(contextSources))
    expect([...copied].sort()).toEqual([...allowed].sort())
  })

  it('keeps secrets, local data and build output out', () => {
    for (const path of ['.env', '.data', 'node_modules', 'dist', '.git', 'startos', 'bench', 'tests'])
      expect(
        allowed.some((a) => a === path || path.startsWith(`${a}/`)),
        path,
      ).toBe(false)
    expect(lines).toEqual(expect.arrayContaining(['**/node_modules', '**/*.test.ts', '**/.data']))
  })
})
