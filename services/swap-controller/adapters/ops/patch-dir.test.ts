import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createPatchDir } from './patch-dir.ts'

const patchText = (id: string) => `
id: ${id}
version: 1
description: Sets the restart policy of the speech containers.
service: [parakeet, kokoro]
apply:
  - description: Set it
    argv: [docker, update, --restart, unless-stopped, '{container}']
check:
  - description: It is set
    argv: [docker, inspect, --format, '{{.HostConfig.RestartPolicy.Name}}', '{container}']
    stdout: unless-stopped
`

let dir = ''
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('the patch directory', () => {
  it('loads the valid files and lists every other one with the reason', async () => {
    dir = await mkdtemp(join(tmpdir(), 'patches-'))
    await writeFile(join(dir, 'a-restart.yaml'), patchText('a-restart'))
    await writeFile(join(dir, 'a-restart.yml'), patchText('a-restart'))
    await writeFile(join(dir, 'shell.yaml'), patchText('shell').replace('[docker, update,', '[sh, -c,'))
    await writeFile(join(dir, 'big.yaml'), `# ${'x'.repeat(200)}\n${patchText('big')}`)
    await mkdir(join(dir, 'folder.yaml'))
    await writeFile(join(dir, 'README.md'), 'not a patch')
    const { patches, invalid } = await createPatchDir({ dir, maxFileBytes: 450 }).load()
    expect(patches.map((p) => p.id)).toEqual(['a-restart'])
    expect(invalid).toEqual([
      {
        file: 'a-restart.yml',
        reasons: ['another file, a-restart.yaml, already defines the patch `a-restart`'],
      },
      { file: 'big.yaml', reasons: ['the file is larger than 450 bytes; it was not read'] },
      { file: 'folder.yaml', reasons: ['not a regular file'] },
      { file: 'shell.yaml', reasons: [expect.stringMatching(/^apply\.0\.argv: runs `sh`/)] },
    ])
  })

  it('lists files beyond the limit instead of reading them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'patches-'))
    for (const id of ['p-a', 'p-b', 'p-c']) await writeFile(join(dir, `${id}.yaml`), patchText(id))
    const { patches, invalid } = await createPatchDir({ dir, maxFiles: 2 }).load()
    expect(patches.map((p) => p.id)).toEqual(['p-a', 'p-b'])
    expect(invalid).toEqual([{ file: 'p-c.yaml', reasons: [expect.stringMatching(/beyond the limit of 2/)] }])
  })

  it('answers 503 naming PATCHES_DIR when the directory cannot be read', async () => {
    dir = join(tmpdir(), 'no-such-patches-dir')
    await expect(createPatchDir({ dir }).load()).rejects.toMatchObject({
      status: 503,
      message: expect.stringMatching(/check PATCHES_DIR/),
    })
  })
})
