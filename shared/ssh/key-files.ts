/**
 * The installation's SSH key pair in the data folder: `<DATA_DIR>/ssh/id_ed25519` (mode 0600, the
 * swap-controller's default `SSH_KEY_PATH`) and `id_ed25519.pub` (the line the owner adds to each
 * Spark's `~/.ssh/authorized_keys`). The product never makes it; the StartOS package does at
 * install and when the owner asks for a new one. Files are written whole beside their final name
 * and renamed into place, so a reader sees the old key or the new one, never half of either.
 */
import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateOpenSshEd25519, publicKeyOfOpenSshPrivate } from './openssh-ed25519.ts'

export interface KeyFilePaths {
  dir: string
  privateKey: string
  publicKey: string
}

export function keyFilePaths(dataDir: string): KeyFilePaths {
  const dir = join(dataDir, 'ssh')
  return { dir, privateKey: join(dir, 'id_ed25519'), publicKey: join(dir, 'id_ed25519.pub') }
}

const COMMENT = 'spark-control'

/**
 * The public key, making the pair first when there is no private key. An existing private key is
 * kept whatever its age (the Sparks trust it); a missing `.pub` beside it is written from it.
 */
export async function ensureKeyFiles(dataDir: string): Promise<string> {
  const paths = keyFilePaths(dataDir)
  const existing = await readPublicKey(dataDir)
  if (existing) {
    if ((await readText(paths.publicKey)) === null) await writeWhole(paths.publicKey, `${existing}\n`, 0o644)
    return existing
  }
  if ((await readText(paths.privateKey)) !== null)
    throw new Error(`${paths.privateKey} is not an OpenSSH private key; move it away to make a new one`)
  const pair = generateOpenSshEd25519(COMMENT)
  await mkdir(paths.dir, { recursive: true, mode: 0o700 })
  // Two first starts at once: link() never replaces, so the first pair written wins.
  const won = await writeIfAbsent(paths.privateKey, pair.private, 0o600)
  if (!won) return ensureKeyFiles(dataDir)
  await writeWhole(paths.publicKey, `${pair.public}\n`, 0o644)
  return pair.public
}

/** A new pair replaces the old one (the private key first: it is what connections use). */
export async function regenerateKeyFiles(dataDir: string): Promise<string> {
  const paths = keyFilePaths(dataDir)
  const pair = generateOpenSshEd25519(COMMENT)
  await mkdir(paths.dir, { recursive: true, mode: 0o700 })
  await writeWhole(paths.privateKey, pair.private, 0o600)
  await writeWhole(paths.publicKey, `${pair.public}\n`, 0o644)
  return pair.public
}

/** The `authorized_keys` line: the `.pub` file, else derived from the private key; null when neither. */
export async function readPublicKey(dataDir: string): Promise<string | null> {
  const paths = keyFilePaths(dataDir)
  const pub = (await readText(paths.publicKey))?.trim()
  if (pub) return pub
  const priv = await readText(paths.privateKey)
  return priv === null ? null : publicKeyOfOpenSshPrivate(priv)
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}

const tempBeside = (path: string) => `${path}.${randomBytes(6).toString('hex')}.tmp`

async function writeTemp(path: string, text: string, mode: number): Promise<string> {
  const tmp = tempBeside(path)
  await writeFile(tmp, text, { mode, flag: 'wx' })
  // The mode given to writeFile is cut by the umask; the key's mode must be exact.
  await chmod(tmp, mode)
  return tmp
}

async function writeWhole(path: string, text: string, mode: number): Promise<void> {
  const tmp = await writeTemp(path, text, mode)
  try {
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

async function writeIfAbsent(path: string, text: string, mode: number): Promise<boolean> {
  const tmp = await writeTemp(path, text, mode)
  try {
    await link(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    await rm(tmp, { force: true })
  }
}
