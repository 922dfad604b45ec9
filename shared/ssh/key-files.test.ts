import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import ssh2 from 'ssh2'
import { afterEach, describe, expect, it } from 'vitest'
import { ensureKeyFiles, keyFilePaths, readPublicKey, regenerateKeyFiles } from './key-files.ts'
import { generateEd25519KeyPair } from './keygen.ts'
import { generateOpenSshEd25519, publicKeyOfOpenSshPrivate } from './openssh-ed25519.ts'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

async function dataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'key-files-'))
  dirs.push(dir)
  return dir
}

const mode = async (path: string) => (await stat(path)).mode & 0o777

/** ssh2 reads the private key, signs with it, and the public line verifies the signature. */
function expectWorkingPair(privateText: string, publicLine: string) {
  const priv = ssh2.utils.parseKey(privateText)
  if (priv instanceof Error) throw priv
  const pub = ssh2.utils.parseKey(publicLine)
  if (pub instanceof Error) throw pub
  expect(priv.type).toBe('ssh-ed25519')
  expect(pub.getPublicSSH().equals(priv.getPublicSSH())).toBe(true)
  const data = Buffer.from('a challenge')
  expect(pub.verify(data, priv.sign(data))).toBe(true)
}

describe('generateOpenSshEd25519', () => {
  it('makes keys ssh2 parses and uses, whatever the padding the comment length leads to', () => {
    for (let length = 0; length < 24; length++) {
      const comment = 'c'.repeat(length)
      const pair = generateOpenSshEd25519(comment)
      expectWorkingPair(pair.private, pair.public)
      expect(pair.public.endsWith(` ${comment}`)).toBe(true)
    }
  })

  it('reads the public half back out of an OpenSSH private key, its own or ssh2’s', () => {
    const own = generateOpenSshEd25519('x')
    expect(publicKeyOfOpenSshPrivate(own.private)).toBe(own.public)
    const other = generateEd25519KeyPair('y')
    expect(publicKeyOfOpenSshPrivate(other.private)).toBe(other.public)
    expect(
      publicKeyOfOpenSshPrivate('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----'),
    ).toBe(null)
    expect(
      publicKeyOfOpenSshPrivate(
        '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----',
      ),
    ).toBe(null)
  })
})

describe('ensureKeyFiles', () => {
  it('makes the pair at ssh/id_ed25519 (0600) and .pub (0644) and returns the public line', async () => {
    const dir = await dataDir()
    const paths = keyFilePaths(dir)
    const publicLine = await ensureKeyFiles(dir)
    expect(publicLine).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ spark-control$/)
    expect(await mode(paths.privateKey)).toBe(0o600)
    expect(await mode(paths.publicKey)).toBe(0o644)
    expect(await mode(paths.dir)).toBe(0o700)
    expect((await readFile(paths.publicKey, 'utf8')).trim()).toBe(publicLine)
    expectWorkingPair(await readFile(paths.privateKey, 'utf8'), publicLine)
  })

  it('leaves an existing pair alone, however often it runs', async () => {
    const dir = await dataDir()
    const paths = keyFilePaths(dir)
    const first = await ensureKeyFiles(dir)
    const privateBefore = await readFile(paths.privateKey, 'utf8')
    expect(await ensureKeyFiles(dir)).toBe(first)
    expect(await readFile(paths.privateKey, 'utf8')).toBe(privateBefore)
    const [a, b] = await Promise.all([ensureKeyFiles(await dataDir()), ensureKeyFiles(dir)])
    expect(b).toBe(first)
    expect(a).not.toBe(first)
  })

  it('keeps a key made elsewhere and writes its missing .pub from it', async () => {
    const dir = await dataDir()
    const paths = keyFilePaths(dir)
    const other = generateEd25519KeyPair('earlier')
    await mkdir(paths.dir, { recursive: true })
    await writeFile(paths.privateKey, other.private, { mode: 0o600 })
    const publicLine = await ensureKeyFiles(dir)
    expect(publicLine).toBe(other.public)
    expect((await readFile(paths.publicKey, 'utf8')).trim()).toBe(publicLine)
    expect(await readFile(paths.privateKey, 'utf8')).toBe(other.private)
  })

  it('two first starts at once end with one pair', async () => {
    const dir = await dataDir()
    const keys = await Promise.all([ensureKeyFiles(dir), ensureKeyFiles(dir), ensureKeyFiles(dir)])
    expect(new Set(keys).size).toBe(1)
    expectWorkingPair(await readFile(keyFilePaths(dir).privateKey, 'utf8'), keys[0]!)
  })

  it('refuses, in words, a private key it cannot read the public half of, and keeps it', async () => {
    const dir = await dataDir()
    const paths = keyFilePaths(dir)
    await mkdir(paths.dir, { recursive: true })
    await writeFile(paths.privateKey, 'not a key', { mode: 0o600 })
    await expect(ensureKeyFiles(dir)).rejects.toThrow(/is not an OpenSSH private key; move it away/)
    expect(await readFile(paths.privateKey, 'utf8')).toBe('not a key')
  })
})

describe('regenerateKeyFiles and readPublicKey', () => {
  it('replaces the pair with a new working one, same modes, nothing left beside it', async () => {
    const dir = await dataDir()
    const paths = keyFilePaths(dir)
    expect(await readPublicKey(dir)).toBe(null)
    const old = await ensureKeyFiles(dir)
    const fresh = await regenerateKeyFiles(dir)
    expect(fresh).not.toBe(old)
    expect(await readPublicKey(dir)).toBe(fresh)
    expectWorkingPair(await readFile(paths.privateKey, 'utf8'), fresh)
    expect(await mode(paths.privateKey)).toBe(0o600)
    expect(await mode(paths.publicKey)).toBe(0o644)
    expect((await readdir(paths.dir)).sort()).toEqual(['id_ed25519', 'id_ed25519.pub'])
  })

  it('makes a pair where there was none', async () => {
    const dir = await dataDir()
    const fresh = await regenerateKeyFiles(dir)
    expect(await readPublicKey(dir)).toBe(fresh)
  })
})
