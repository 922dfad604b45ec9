import ssh2 from 'ssh2'
import { describe, expect, it } from 'vitest'
import { generateEd25519KeyPair } from './keygen.ts'

describe('generateEd25519KeyPair', () => {
  it('only returns keys that ssh2 can parse (its generator sometimes emits one it cannot)', () => {
    for (let i = 0; i < 1500; i++) {
      const pair = generateEd25519KeyPair('test')
      expect(ssh2.utils.parseKey(pair.private)).not.toBeInstanceOf(Error)
      expect(pair.public).toMatch(/^ssh-ed25519 \S+ test$/)
    }
  })
})
