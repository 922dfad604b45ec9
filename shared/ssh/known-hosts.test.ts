import { createHmac, randomBytes } from 'node:crypto'
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateKeys } from '../../tests/ssh/fake-sshd.ts'
import { silentLogger } from '../logger.ts'
import {
  createHostKeyStore,
  entryMatches,
  fingerprint,
  formatKnownHostLine,
  keyTypeOf,
  parseKnownHosts,
} from './known-hosts.ts'

const blob = () => Buffer.from(generateKeys().public.split(' ')[1]!, 'base64')
const dirs: string[] = []
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

describe('known_hosts parsing and matching', () => {
  it('reads plain, bracketed, hashed, wildcard and negated entries', () => {
    const key = blob()
    const salt = randomBytes(20)
    const hash = createHmac('sha1', salt).update('[198.51.100.9]:2222').digest()
    const text = [
      '# comment',
      '',
      `198.51.100.5,spark-a ${keyTypeOf(key)} ${key.toString('base64')}`,
      `|1|${salt.toString('base64')}|${hash.toString('base64')} ssh-ed25519 ${key.toString('base64')}`,
      `203.0.113.*,!203.0.113.66 ssh-ed25519 ${key.toString('base64')}`,
      `@revoked 192.0.2.1 ssh-ed25519 ${key.toString('base64')}`,
      '@cert-authority *.lan ssh-ed25519 AAAA',
      'garbage',
    ].join('\n')
    const entries = parseKnownHosts(text)
    expect(entries).toHaveLength(5)
    const [plain, hashed, wild, revoked] = entries
    expect(entryMatches(plain!, '198.51.100.5', 22)).toBe(true)
    expect(entryMatches(plain!, '198.51.100.5', 2222)).toBe(false)
    expect(entryMatches(hashed!, '198.51.100.9', 2222)).toBe(true)
    expect(entryMatches(hashed!, '198.51.100.9', 22)).toBe(false)
    expect(entryMatches(wild!, '203.0.113.7', 22)).toBe(true)
    expect(entryMatches(wild!, '203.0.113.66', 22)).toBe(false)
    expect(revoked!.marker).toBe('revoked')
  })

  it('formats lines the way OpenSSH does and fingerprints like ssh-keygen -l', () => {
    const key = blob()
    expect(formatKnownHostLine('198.51.100.5', 22, key)).toBe(
      `198.51.100.5 ssh-ed25519 ${key.toString('base64')}`,
    )
    expect(formatKnownHostLine('198.51.100.5', 2222, key)).toMatch(/^\[198\.51\.100\.5\]:2222 ssh-ed25519 /)
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
  })
})

describe('host key store', () => {
  it('pins the first key in memory when no file is configured', async () => {
    const store = createHostKeyStore({ logger: silentLogger() })
    const [a, b] = [blob(), blob()]
    expect(await store.verify('n', '198.51.100.5', 22, a)).toMatchObject({ ok: true, recorded: true })
    expect(await store.verify('n', '198.51.100.5', 22, a)).toMatchObject({ ok: true, recorded: false })
    expect(await store.verify('n', '198.51.100.5', 22, b)).toMatchObject({
      ok: false,
      kind: 'host_key_mismatch',
    })
    expect(await store.verify('n', '198.51.100.6', 22, b)).toMatchObject({ ok: true, recorded: true })
  })

  it('records unknown hosts in the file (creating it), refuses revoked keys, prefers known algorithms', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'known-hosts-'))
    dirs.push(dir)
    const path = join(dir, 'sub', 'known_hosts')
    const store = createHostKeyStore({ path, logger: silentLogger() })
    const key = blob()
    await Promise.all([
      store.verify('a', '198.51.100.5', 22, key),
      store.verify('b', '198.51.100.6', 2200, key),
    ])
    const lines = (await readFile(path, 'utf8')).trim().split('\n').sort()
    expect(lines).toEqual([
      formatKnownHostLine('198.51.100.5', 22, key),
      formatKnownHostLine('198.51.100.6', 2200, key),
    ])
    expect((await store.preferredAlgorithms('198.51.100.5', 22))[0]).toBe('ssh-ed25519')
    const revokedStore = createHostKeyStore({ path, logger: silentLogger() })
    await appendFile(path, `@revoked 198.51.100.5 ssh-ed25519 ${key.toString('base64')}\n`)
    expect(await revokedStore.verify('a', '198.51.100.5', 22, key)).toMatchObject({
      ok: false,
      kind: 'host_key_mismatch',
    })
  })
})
