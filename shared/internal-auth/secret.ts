/**
 * The installation's internal secret: what the gateway proves on every request it sends to a
 * service, so nothing else that can reach a service's port (another container on the same network,
 * a process on the host) is served. `INTERNAL_SECRET` when set; otherwise generated on first start
 * into `<DATA_DIR>/internal-secret` (mode 0600), which every service of an installation shares.
 */
import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

export const SECRET_FILE = 'internal-secret'
/** A configured secret shorter than this is refused: it must be as hard to guess as 32 random bytes. */
const MIN_SECRET_LENGTH = 32

export class InternalSecretError extends Error {}

interface SecretSource {
  INTERNAL_SECRET?: string
  DATA_DIR?: string
}

/** The secret's bytes (never logged). Throws `InternalSecretError` when it can be neither read nor made. */
export async function loadInternalSecret(env: SecretSource): Promise<Buffer> {
  const given = env.INTERNAL_SECRET?.trim()
  if (given) {
    if (given.length < MIN_SECRET_LENGTH)
      throw new InternalSecretError(`INTERNAL_SECRET: at least ${MIN_SECRET_LENGTH} characters`)
    return Buffer.from(given, 'utf8')
  }
  return readOrCreate(join(env.DATA_DIR?.trim() || './.data', SECRET_FILE))
}

/**
 * Several services start at once on one data volume: each writes its candidate to a file of its
 * own and links it to the shared name, which fails when another got there first (link never
 * replaces). Whoever lost reads the winner's, so every service ends with the same value, and no
 * reader ever sees a half-written file.
 */
async function readOrCreate(path: string): Promise<Buffer> {
  const existing = await readSecretFile(path)
  if (existing) return existing
  const candidate = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    // A fresh volume: the first service up makes DATA_DIR, as the other stores would.
    await mkdir(dirname(path), { recursive: true })
    await writeFile(candidate, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
    await link(candidate, path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err
    })
  } catch (err) {
    throw new InternalSecretError(`${path}: cannot create the internal secret (${(err as Error).message})`)
  } finally {
    await unlink(candidate).catch(() => {})
  }
  const winner = await readSecretFile(path)
  if (!winner) throw new InternalSecretError(`${path}: the internal secret file is empty`)
  return winner
}

async function readSecretFile(path: string): Promise<Buffer | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new InternalSecretError(`${path}: cannot read the internal secret (${(err as Error).message})`)
  }
  const value = text.trim()
  if (value.length < MIN_SECRET_LENGTH)
    throw new InternalSecretError(`${path}: not an internal secret (delete it to make a new one)`)
  return Buffer.from(value, 'utf8')
}
