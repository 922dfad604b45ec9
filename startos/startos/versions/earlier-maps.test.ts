import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { setAsideEarlierMaps } from './earlier-maps'

let dir: string
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the update from the earlier version', () => {
  it('sets the earlier redaction maps aside with their journal, renamed, and leaves everything else', async () => {
    dir = await mkdtemp(join(tmpdir(), 'earlier-maps-'))
    await writeFile(join(dir, 'redaction_maps.db'), 'earlier rows')
    await writeFile(join(dir, 'redaction_maps.db-wal'), 'earlier wal')
    await writeFile(join(dir, 'app_settings.json'), '{}')
    expect(await setAsideEarlierMaps(dir)).toEqual(['redaction_maps.db', 'redaction_maps.db-wal'])
    expect((await readdir(dir)).sort()).toEqual([
      'app_settings.json',
      'redaction_maps.earlier.db',
      'redaction_maps.earlier.db-wal',
    ])
    expect(await readFile(join(dir, 'redaction_maps.earlier.db'), 'utf8')).toBe('earlier rows')
  })

  it('does nothing on a fresh install or a second run', async () => {
    dir = await mkdtemp(join(tmpdir(), 'earlier-maps-'))
    expect(await setAsideEarlierMaps(dir)).toEqual([])
    await writeFile(join(dir, 'redaction_maps.db'), 'x')
    await setAsideEarlierMaps(dir)
    expect(await setAsideEarlierMaps(dir)).toEqual([])
  })
})
