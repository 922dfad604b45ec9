import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PRODUCT_VERSION } from './version.ts'

const repoFile = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

describe('the product version', () => {
  it("is package.json's version", () => {
    expect(JSON.parse(repoFile('package.json')).version).toBe(PRODUCT_VERSION)
  })

  it("is the upstream part of the StartOS package's current version", () => {
    const versions = readdirSync(new URL('../startos/startos/versions/', import.meta.url))
    const current = repoFile('startos/startos/versions/index.ts')
    const file = versions.find((f) => f !== 'index.ts' && current.includes(f.replace(/\.ts$/, '')))
    expect(file, `versions: ${versions.join(', ')}`).toBeDefined()
    expect(repoFile(`startos/startos/versions/${file}`)).toMatch(
      new RegExp(`version: '${PRODUCT_VERSION.replaceAll('.', '\\.')}:\\d+'`),
    )
  })
})
