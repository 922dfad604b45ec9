import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../../shared/logger.ts'
import { earlierCatalogFiles, earlierFiles } from './earlier-catalog-files.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function capture() {
  const lines: Array<Record<string, unknown>> = []
  // pino only calls write(); a bare object keeps the lines synchronous for the assertions.
  const destination = {
    write: (l: string) => void lines.push(JSON.parse(l)),
  } as unknown as NodeJS.WritableStream
  const logger = createLogger({ service: 'swap-controller', level: 'info', destination })
  return { logger, lines }
}

describe('earlier catalog files', () => {
  it('reads the files the settings name, again only when one changes, and logs what it skipped once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-yaml-'))
    dirs.push(dir)
    const yaml = join(dir, 'models.yaml')
    writeFileSync(yaml, 'a: { repo: org/a }\nbad: { repo: "x;y" }\n')
    const files = earlierFiles({ MODELS_YAML: yaml, MODELS_OVERRIDES: join(dir, 'missing.yaml') })
    expect(files.map((f) => f.label)).toEqual(['MODELS_YAML', 'MODELS_OVERRIDES'])
    const { logger, lines } = capture()
    const reader = earlierCatalogFiles(files, logger)
    const read = reader.cards
    expect(read().map((c) => c.key)).toEqual(['a'])
    expect(read().map((c) => c.key)).toEqual(['a'])
    // The model list's notes say the same, so an operator sees it without reading logs.
    expect(reader.problems()).toEqual([
      expect.stringMatching(/^MODELS_YAML: bad skipped/),
      expect.stringMatching(/missing\.yaml cannot be read/),
    ])
    const skipped = lines
      .filter((l) => l.msg === 'earlier model catalog: entry skipped')
      .map((l) => l.problem)
    expect(skipped).toEqual([
      expect.stringMatching(/^MODELS_YAML: bad skipped/),
      expect.stringMatching(/^MODELS_OVERRIDES: .*missing\.yaml cannot be read \(ENOENT\)$/),
    ])
    writeFileSync(yaml, 'a: { repo: org/a }\nb: { repo: org/b }\n')
    utimesSync(yaml, new Date(), new Date(Date.now() + 5000))
    expect(read().map((c) => c.key)).toEqual(['a', 'b'])
  })

  it('reports a directory given as the file, never failing the menu', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-yaml-'))
    dirs.push(dir)
    const { logger, lines } = capture()
    const reader = earlierCatalogFiles([{ label: 'MODELS_YAML', path: dir }], logger)
    expect(reader.cards()).toEqual([])
    expect(reader.problems()[0]).toMatch(/cannot be read \(EISDIR\)$/)
    expect(lines.find((l) => l.msg === 'earlier model catalog: entry skipped')?.problem).toMatch(
      /cannot be read \(EISDIR\)$/,
    )
  })

  it('reads nothing when neither setting is given', () => {
    expect(earlierFiles({})).toEqual([])
    const none = earlierCatalogFiles([], capture().logger)
    expect(none.cards()).toEqual([])
    expect(none.problems()).toEqual([])
  })
})
