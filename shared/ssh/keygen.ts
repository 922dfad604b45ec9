/**
 * An ed25519 key pair in OpenSSH format. ssh2's generator occasionally (about 1 in 300 here)
 * emits a private key its own parser rejects as "Malformed OpenSSH private key"; a key is only
 * handed out once it parses, so a server or a client never fails to start on a bad draw.
 */
import ssh2 from 'ssh2'

export interface KeyPair {
  private: string
  public: string
}

export function generateEd25519KeyPair(comment = 'spark-control', attempts = 20): KeyPair {
  for (let i = 0; i < attempts; i++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment })
    if (
      !(ssh2.utils.parseKey(pair.private) instanceof Error) &&
      !(ssh2.utils.parseKey(pair.public) instanceof Error)
    )
      return { private: pair.private, public: pair.public }
  }
  throw new Error(`could not generate a usable ed25519 key in ${attempts} attempts`)
}
