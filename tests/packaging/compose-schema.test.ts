/**
 * compose.yaml is a valid Compose file. Where the Docker Compose plugin is installed, `docker
 * compose config -q` says so, for the plain project and for the demo. Where it is not — as on this
 * project's machines and CI: the Docker CLI is there, the compose plugin is not, and Debian 12
 * packages only the old Python docker-compose 1.29, which predates `env_file.required` — the file is
 * validated against the Compose Specification's JSON schema as the dclint package ships it, with
 * ajv. The test output says which of the two ran. The rules beyond the schema: compose.test.ts.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { readRepoFile, withDefaults } from './files.ts'

const hasComposePlugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0

function composeSchema() {
  const dir = dirname(createRequire(import.meta.url).resolve('dclint/package.json'))
  const schema = JSON.parse(readFileSync(`${dir}/schemas/compose.schema.json`, 'utf8'))
  // It names draft-07 by an https address ajv does not know; draft-07 is ajv's own default.
  delete schema.$schema
  return new Ajv({ allErrors: true, strict: false }).compile(schema)
}

/** compose.yaml as Compose validates it: variables at their defaults, merge keys resolved. */
const composeModel = (text: string) => parse(withDefaults(text), { merge: true }) as unknown

function composeConfig(args: string[]) {
  const run = spawnSync('docker', ['compose', ...args, 'config', '-q'], { cwd: REPO_ROOT, encoding: 'utf8' })
  return { ok: run.status === 0, detail: run.stderr }
}

describe('compose.yaml is valid Compose', () => {
  // One test, two paths: which one ran is printed, so a missing plugin is never a silent skip.
  it('docker compose config accepts it (plain and demo), or without the plugin the schema does', () => {
    if (hasComposePlugin) {
      console.info('compose check: docker compose config -q (the compose plugin is installed)')
      expect(composeConfig([])).toEqual({ ok: true, detail: '' })
      expect(composeConfig(['--env-file', 'compose.sim.env', '--profile', 'sim'])).toEqual({
        ok: true,
        detail: '',
      })
      return
    }
    console.info(
      'compose check: the Compose Specification JSON schema (dclint/schemas/compose.schema.json, ajv); ' +
        '`docker compose` is not installed here, so `docker compose config` did not run',
    )
    const validate = composeSchema()
    const valid = validate(composeModel(readRepoFile('compose.yaml')))
    expect(valid, JSON.stringify(validate.errors, null, 2)).toBe(true)
  })

  it('the schema refuses a broken file, so its pass means something', () => {
    const validate = composeSchema()
    const broken = readRepoFile('compose.yaml').replace(
      'swap-controller: { condition: service_healthy }',
      'swap-controller: { condition: service_happy }',
    )
    expect(validate(composeModel(broken))).toBe(false)
    expect(validate.errors?.map((e) => e.instancePath)).toContain(
      '/services/gateway/depends_on/swap-controller/condition',
    )
  })
})
