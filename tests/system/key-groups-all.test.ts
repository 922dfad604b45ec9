/**
 * Every key group switched on (`API_KEY_GROUPS=all`): every route the stack publishes (the merged
 * `/openapi.json`, not a hand list) whose group the gateway's route table names answers 401 without
 * a key and 403 with a key of another scope — and nothing is forwarded to a backend meanwhile.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { groupFor } from '../../services/gateway/domain/route-groups.ts'
import { resolveRoute } from '../../services/gateway/domain/route-table.ts'
import { generateKey, hashKey, SCOPES, type Scope } from '../../shared/auth/keys.ts'
import { REPO_ROOT } from '../../tools/stack/launch.ts'
import { useDemo } from '../support/demo.ts'

const keys = Object.fromEntries(SCOPES.map((s) => [s, generateKey()])) as Record<Scope, string>
const keysDir = `${REPO_ROOT}.data/test-key-groups-all-${process.pid}`
const keysFile = `${keysDir}/api-keys.json`
mkdirSync(keysDir, { recursive: true })
writeFileSync(
  keysFile,
  JSON.stringify(
    SCOPES.map((s) => ({
      name: `only-${s}`,
      hash: hashKey(keys[s]),
      scopes: [s],
      created_at: '2026-01-01T00:00:00Z',
    })),
  ),
)

const fixture = useDemo({ name: 'key-groups-all', env: { API_KEY_GROUPS: 'all', API_KEYS_FILE: keysFile } })

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** `{name}` path parameters get a harmless value; the request is refused before it is routed. */
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, 'x')

describe('every key group on', () => {
  it('refuses each published route without a key (401) and with another scope (403)', async () => {
    const doc = (await (await fetch(fixture.url('/openapi.json'))).json()) as {
      paths: Record<string, Partial<Record<(typeof METHODS)[number], unknown>>>
    }
    const checked: string[] = []
    const problems: string[] = []
    for (const [template, ops] of Object.entries(doc.paths)) {
      const path = concrete(template)
      for (const method of METHODS) {
        if (!ops[method]) continue
        const group = groupFor(method.toUpperCase(), path, resolveRoute(path))
        if (group === null) continue
        const other = SCOPES.find((s) => s !== group && s !== 'admin') as Scope
        const send = (key?: string) =>
          fetch(fixture.url(path), {
            method: method.toUpperCase(),
            headers: {
              'content-type': 'application/json',
              ...(key ? { authorization: `Bearer ${key}` } : {}),
            },
            body: method === 'get' ? undefined : '{}',
          })
        const [none, wrong] = [await send(), await send(keys[other])]
        await Promise.all([none.body?.cancel(), wrong.body?.cancel()])
        checked.push(`${method.toUpperCase()} ${template} (${group})`)
        if (none.status !== 401)
          problems.push(`${method.toUpperCase()} ${template}: ${none.status} without a key`)
        if (wrong.status !== 403)
          problems.push(`${method.toUpperCase()} ${template}: ${wrong.status} with a ${other} key`)
      }
    }
    expect(problems).toEqual([])
    expect(checked.length).toBeGreaterThan(40)
    // Every group appears among the published routes: the table was really exercised.
    for (const scope of SCOPES) expect(checked.some((c) => c.endsWith(`(${scope})`))).toBe(true)
  }, 120_000)
})
