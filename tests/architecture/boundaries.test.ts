/**
 * The process boundaries, kept by a test rather than by habit:
 * - the dashboard (ui/) reads other processes' answers through shared/contracts/ and its own ports
 *   (ui/ports.ts), never through a service's domain, routes or adapters;
 * - a service never imports another service, not even a type: what crosses between them is
 *   HTTP, described in shared/contracts/.
 * Every static import and re-export of every .ts/.tsx file is checked, tests included.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Every .ts/.tsx file under `dir` (repository-relative, `/`-separated). */
function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'))
}

const SPECIFIERS = [
  /\bfrom\s*['"]([^'"]+)['"]/g, // import … from, export … from
  /\bimport\s*['"]([^'"]+)['"]/g, // import 'side-effect'
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, // import('…')
]

/** The relative imports of a file, each with the repository path it points at. */
function importsOf(file: string, text = readFileSync(join(ROOT, file), 'utf8')) {
  const found: Array<{ specifier: string; target: string }> = []
  for (const pattern of SPECIFIERS) {
    for (const m of text.matchAll(pattern)) {
      const specifier = m[1]!
      if (!specifier.startsWith('.')) continue
      const target = relative(ROOT, resolve(ROOT, dirname(file), specifier))
        .split('\\')
        .join('/')
      found.push({ specifier, target })
    }
  }
  return found
}

const INTERNALS = /^services\/([^/]+)\/(domain|routes|adapters)\//

/** Imports from ui/ into a service's domain, routes or adapters, as `file: import 'specifier'`. */
function dashboardViolations(file: string, text?: string): string[] {
  return importsOf(file, text)
    .filter((i) => INTERNALS.test(i.target))
    .map((i) => `${file}: import '${i.specifier}' reaches into ${i.target}`)
}

/** Imports from services/<a>/ into services/<b>/, as `file: import 'specifier'`. */
function serviceViolations(file: string, text?: string): string[] {
  const own = /^services\/([^/]+)\//.exec(file)?.[1]
  return importsOf(file, text)
    .filter((i) => {
      const other = /^services\/([^/]+)\//.exec(i.target)?.[1]
      return other !== undefined && other !== own
    })
    .map((i) => `${file}: import '${i.specifier}' reaches into another service (${i.target})`)
}

describe('process boundaries', () => {
  it('the dashboard imports no service domain, routes or adapters', () => {
    const files = sourceFiles('ui')
    expect(files.length).toBeGreaterThan(20)
    expect(files.flatMap((f) => dashboardViolations(f))).toEqual([])
  })

  it('a service imports no other service, not even a type', () => {
    const files = sourceFiles('services')
    expect(new Set(files.map((f) => f.split('/')[1])).size).toBeGreaterThanOrEqual(6)
    expect(files.flatMap((f) => serviceViolations(f))).toEqual([])
  })

  it('sees every form of import, and names the file and the import', () => {
    const text = [
      "import type { JobView } from '../../services/swap-controller/domain/swap/view.ts'",
      "import {\n  swapModelList,\n} from '../../services/swap-controller/routes/catalog-schemas.ts'",
      "export { x } from '../../services/gateway/adapters/swap-source.ts'",
      "const m = await import('../../services/speech-proxy/domain/models.ts')",
      "import type { ClusterStatus } from '../../shared/contracts/gateway.ts'",
      "import { buildDashboard } from '../app.tsx'",
    ].join('\n')
    const found = dashboardViolations('ui/swap/example.ts', text)
    expect(found).toHaveLength(4)
    expect(found[0]).toBe(
      "ui/swap/example.ts: import '../../services/swap-controller/domain/swap/view.ts' reaches into services/swap-controller/domain/swap/view.ts",
    )
    const crossing = serviceViolations(
      'services/gateway/adapters/x.ts',
      "import type { X } from '../../swap-controller/domain/x.ts'\nimport { y } from '../domain/y.ts'\nimport '../../../shared/contracts/gateway.ts'",
    )
    expect(crossing).toEqual([
      "services/gateway/adapters/x.ts: import '../../swap-controller/domain/x.ts' reaches into another service (services/swap-controller/domain/x.ts)",
    ])
  })
})
