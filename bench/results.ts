/** Writes one benchmark run to bench/results/<kind>-<timestamp>.json with the machine facts. */
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from '../tools/stack/launch.ts'

export async function writeResults(
  kind: string,
  startedAt: Date,
  meta: Record<string, unknown>,
  figures: object,
) {
  const dir = join(REPO_ROOT, 'bench', 'results')
  await mkdir(dir, { recursive: true })
  const file = join(dir, `${kind}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  const fullMeta = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? null,
    ...meta,
  }
  await writeFile(file, `${JSON.stringify({ meta: fullMeta, ...figures }, null, 2)}\n`)
  return file
}
