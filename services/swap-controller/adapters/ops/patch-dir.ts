/**
 * The patch directory (`PATCHES_DIR`, the repository's `patches/` by default): every `*.yaml` /
 * `*.yml` in it, read afresh on each look (a handful of small files) so an edited or added patch
 * counts at once. Bounded like the recipe directory — at most `maxFiles` files of `maxFileBytes`
 * each — and a file that cannot be read or parsed is listed with the reason, never dropped.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../../../shared/errors.ts'
import {
  type InvalidPatchFile,
  type Patch,
  parsePatch,
  patchFileStem,
} from '../../domain/ops/patches/load.ts'
import type { PatchCatalog } from '../../domain/ops/patches/service.ts'

export interface PatchDirOptions {
  dir: string
  maxFiles?: number
  maxFileBytes?: number
}

const PATCH_FILE = /\.ya?ml$/i

const readReason = (err: unknown) =>
  `cannot read the file: ${(err as Error).message.split('\n')[0]} (${(err as NodeJS.ErrnoException).code ?? 'error'})`

export function createPatchDir({
  dir,
  maxFiles = 100,
  maxFileBytes = 64 * 1024,
}: PatchDirOptions): PatchCatalog {
  async function readOne(file: string): Promise<{ patch?: Patch; invalid?: InvalidPatchFile }> {
    try {
      const info = await stat(join(dir, file))
      if (!info.isFile()) return { invalid: { file, reasons: ['not a regular file'] } }
      if (info.size > maxFileBytes)
        return {
          invalid: { file, reasons: [`the file is larger than ${maxFileBytes} bytes; it was not read`] },
        }
      const loaded = parsePatch(await readFile(join(dir, file), 'utf8'), file)
      return loaded.ok ? { patch: loaded.patch } : { invalid: loaded.invalid }
    } catch (err) {
      return { invalid: { file, reasons: [readReason(err)] } }
    }
  }

  return {
    async load() {
      const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
        const message = `The patch directory ${dir} cannot be read (${err.code ?? 'error'}); check PATCHES_DIR.`
        throw new AppError(503, 'patches_unavailable', message, { retryAfterS: 30 })
      })
      const files = names.filter((n) => PATCH_FILE.test(n) && !n.startsWith('.')).sort()
      const invalid: InvalidPatchFile[] = files
        .slice(maxFiles)
        .map((file) => ({ file, reasons: [`beyond the limit of ${maxFiles} patch files; it was not read`] }))
      const patches: Patch[] = []
      for (const read of await Promise.all(files.slice(0, maxFiles).map(readOne))) {
        if (read.invalid) invalid.push(read.invalid)
        const first = read.patch && patches.find((p) => p.id === read.patch?.id)
        if (read.patch && first) {
          const reason = `another file, ${first.file}, already defines the patch \`${patchFileStem(first.file)}\``
          invalid.push({ file: read.patch.file, reasons: [reason] })
        } else if (read.patch) patches.push(read.patch)
      }
      return { patches, invalid }
    },
  }
}
