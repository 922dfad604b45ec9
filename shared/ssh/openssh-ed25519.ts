/**
 * An ed25519 key pair in OpenSSH's own format, made with node:crypto alone. The StartOS package
 * makes the installation's key (key-files.ts) in its bundle, where ssh2 would bring native
 * add-ons built for the build machine's architecture; this needs nothing but Node. The private
 * key is unencrypted (the swap-controller reads it unattended), as `ssh-keygen -N ''` writes it.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'

export interface OpenSshKeyPair {
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` … */
  private: string
  /** `ssh-ed25519 <base64> <comment>`: one line for `authorized_keys`. */
  public: string
}

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1')
const KEY_TYPE = 'ssh-ed25519'

/** An SSH wire `string`: a 32-bit big-endian length, then the bytes. */
function sshString(value: string | Buffer): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

const uint32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n)
  return b
}

export function generateOpenSshEd25519(comment = 'spark-control'): OpenSshKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url')
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url')
  const publicBlob = Buffer.concat([sshString(KEY_TYPE), sshString(pub)])
  // The two equal check words let a reader tell a wrong passphrase; here they only have to match.
  const check = randomBytes(4)
  const unpadded = Buffer.concat([
    check,
    check,
    sshString(KEY_TYPE),
    sshString(pub),
    sshString(Buffer.concat([seed, pub])),
    sshString(comment),
  ])
  // Padded to the cipher's block size (8 for "none") with the bytes 1, 2, 3, …
  const padLength = (8 - (unpadded.length % 8)) % 8
  const padding = Buffer.from(Array.from({ length: padLength }, (_, i) => i + 1))
  const body = Buffer.concat([
    MAGIC,
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(Buffer.concat([unpadded, padding])),
  ])
  const lines = body.toString('base64').match(/.{1,70}/g) ?? []
  return {
    private: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    public: `${KEY_TYPE} ${publicBlob.toString('base64')} ${comment}`,
  }
}

/**
 * The `authorized_keys` line of an OpenSSH-format private key (any key type, encrypted or not:
 * the public half is stored in the clear ahead of the private section), with the key's comment
 * when it can be read (an unencrypted ed25519 key). Null when the text is not an OpenSSH private key.
 */
export function publicKeyOfOpenSshPrivate(text: string): string | null {
  const match = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]+?)-----END OPENSSH PRIVATE KEY-----/.exec(text)
  if (!match) return null
  const body = Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64')
  if (!body.subarray(0, MAGIC.length).equals(MAGIC)) return null
  const read = reader(body, MAGIC.length)
  const cipher = read.string()?.toString('latin1')
  if (!read.string() || !read.string() || (read.uint32() ?? 0) < 1) return null // kdf, its options, count
  const blob = read.string()
  const type = blob ? reader(blob, 0).string()?.toString('latin1') : undefined
  if (!blob || !type || !/^[a-z0-9@.-]+$/.test(type)) return null
  const line = `${type} ${blob.toString('base64')}`
  const comment = cipher === 'none' && type === KEY_TYPE ? ed25519Comment(read.string()) : null
  return comment ? `${line} ${comment}` : line
}

/** The comment of an unencrypted ed25519 private section: check words, type, public, private, comment. */
function ed25519Comment(section: Buffer | null): string | null {
  if (!section) return null
  const read = reader(section, 8)
  for (let i = 0; i < 3; i++) if (!read.string()) return null
  return read.string()?.toString('utf8') || null
}

/** Reads SSH wire values from `at` on; null past the end. */
function reader(bytes: Buffer, at: number) {
  return {
    uint32(): number | null {
      if (at + 4 > bytes.length) return null
      at += 4
      return bytes.readUInt32BE(at - 4)
    },
    string(): Buffer | null {
      if (at + 4 > bytes.length) return null
      const length = bytes.readUInt32BE(at)
      if (at + 4 + length > bytes.length) return null
      at += 4 + length
      return bytes.subarray(at - length, at)
    },
  }
}
