import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../config.ts'
import type { AppError } from '../errors.ts'
import { apiKeyConfig } from './config.ts'
import { cookieValue, presentedKey } from './credentials.ts'
import { createApiKeyAuth } from './guard.ts'
import { digestOf, generateKey, hashHint, hashKey, matchKey } from './keys.ts'
import {
  type ApiKeyRecord,
  keysFilePath,
  memoryKeyStore,
  openFileKeyStore,
  readKeyFile,
  writeKeyFile,
} from './store.ts'

const record = (name: string, key: string, scopes: ApiKeyRecord['scopes']): ApiKeyRecord => ({
  name,
  hash: hashKey(key),
  scopes,
  created_at: '2026-01-01T00:00:00Z',
})
const none = { authorization: null, apiKey: null, cookie: null }

describe('key hashing', () => {
  it('generates distinct prefixed keys and stores only a sha256 digest', () => {
    const a = generateKey()
    const b = generateKey()
    expect(a).toMatch(/^sc_[A-Za-z0-9_-]{43}$/)
    expect(a).not.toBe(b)
    expect(hashKey(a)).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(hashKey(a)).not.toContain(a.slice(3))
    expect(hashKey(a)).toBe(hashKey(a))
    expect(hashHint(hashKey(a))).toHaveLength(15)
  })

  it('finds the matching digest among several, and nothing for a near miss or a bad digest', () => {
    const keys = [generateKey(), generateKey()]
    const digests = [digestOf('sha256:zz'), ...keys.map((k) => digestOf(hashKey(k)))]
    expect(digests[0]).toBeNull()
    expect(matchKey(keys[1]!, digests)).toBe(2)
    expect(matchKey(keys[1]!.slice(0, -1), digests)).toBe(-1)
    expect(matchKey('', digests)).toBe(-1)
  })
})

describe('presented credentials', () => {
  it('reads Bearer first, then X-API-Key, then the sc_key cookie', () => {
    expect(presentedKey({ authorization: 'Bearer aaa', apiKey: 'bbb', cookie: 'sc_key=ccc' })).toBe('aaa')
    expect(presentedKey({ authorization: 'bearer  aaa ', apiKey: null, cookie: null })).toBe('aaa')
    expect(presentedKey({ authorization: 'Basic eA==', apiKey: 'bbb', cookie: null })).toBe('bbb')
    expect(presentedKey({ ...none, cookie: 'theme=dark; sc_key=ccc; x=1' })).toBe('ccc')
    expect(presentedKey(none)).toBeNull()
    expect(presentedKey({ ...none, apiKey: '  ' })).toBeNull()
    // Oversized: counted as a key that matches nothing, never hashed.
    expect(presentedKey({ ...none, apiKey: 'x'.repeat(1000) })).toBe('')
    expect(cookieValue('a=1;b=2', 'sc_key')).toBeNull()
  })
})

describe('the key check', () => {
  const chat = generateKey()
  const admin = generateKey()
  const store = memoryKeyStore([record('app', chat, ['chat']), record('ops', admin, ['admin', 'chat'])])
  const auth = createApiKeyAuth({ groups: ['admin'], store })
  const thrown = (f: () => unknown) => {
    try {
      f()
    } catch (err) {
      return err as AppError
    }
    throw new Error('expected a refusal')
  }

  it('leaves open groups open, with or without (even a wrong) key, and names a valid key', () => {
    expect(auth.check('chat', none)).toBeNull()
    expect(auth.check(null, { ...none, apiKey: 'sc_wrong' })).toBeNull()
    expect(auth.check('chat', { ...none, apiKey: chat })).toBe('app')
  })

  it('refuses a protected group: 401 without or with an unknown key, 403 without the scope', () => {
    const missing = thrown(() => auth.check('admin', none))
    expect(missing.status).toBe(401)
    expect(missing.headers?.['WWW-Authenticate']).toBe('Bearer realm="spark-control", scope="admin"')
    const unknown = thrown(() => auth.check('admin', { ...none, authorization: 'Bearer sc_nope' }))
    expect(unknown.status).toBe(401)
    expect(unknown.headers?.['WWW-Authenticate']).toContain('error="invalid_token"')
    const scope = thrown(() => auth.check('admin', { ...none, apiKey: chat }))
    expect(scope.status).toBe(403)
    expect(scope.message).toContain('"app"')
    expect(scope.message).not.toContain(chat)
    expect(auth.check('admin', { ...none, cookie: `sc_key=${admin}` })).toBe('ops')
  })
})

describe('configuration', () => {
  it('defaults to no group, takes a list or "all", and names a wrong group', () => {
    expect(loadConfig(apiKeyConfig(), {}).API_KEY_GROUPS).toEqual([])
    expect(loadConfig(apiKeyConfig(), { API_KEY_GROUPS: ' Admin, chat,admin' }).API_KEY_GROUPS).toEqual([
      'admin',
      'chat',
    ])
    expect(loadConfig(apiKeyConfig(), { API_KEY_GROUPS: 'all' }).API_KEY_GROUPS).toHaveLength(5)
    expect(() => loadConfig(apiKeyConfig(), { API_KEY_GROUPS: 'admin,root' })).toThrow(
      /API_KEY_GROUPS: unknown group root/,
    )
    expect(keysFilePath({ DATA_DIR: '/d' })).toBe('/d/api-keys.json')
    expect(keysFilePath({ DATA_DIR: '/d', API_KEYS_FILE: '/k.json' })).toBe('/k.json')
  })
})

describe('the key file', () => {
  let dir = ''
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('is empty when missing, refuses a malformed file, and follows changes (revocation)', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sc-keys-'))
    const path = join(dir, 'keys.json')
    expect(await readKeyFile(path)).toEqual([])
    await writeFile(path, '{"not": "a list"}')
    await expect(readKeyFile(path)).rejects.toThrow(/keys.json: \(root\)/)
    await writeFile(path, JSON.stringify([{ name: 'a b', hash: 'x', scopes: [], created_at: '' }]))
    await expect(readKeyFile(path)).rejects.toThrow(/0\.name/)

    const key = generateKey()
    await writeKeyFile(path, [record('app', key, ['chat'])])
    let clock = 0
    const store = await openFileKeyStore({ path, recheckMs: 10, now: () => clock })
    expect(store.lookup(key)?.name).toBe('app')
    await writeKeyFile(path, [])
    await utimes(path, new Date(), new Date(Date.now() + 5000))
    clock = 100
    store.lookup(key) // starts the re-read
    await expect.poll(() => store.lookup(key)).toBeNull()
    expect(store.size).toBe(0)
    store.close()
  })

  it('refuses a revoked key on the first lookup once recheckMs has passed, however quiet the store was', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sc-keys-'))
    const path = join(dir, 'keys.json')
    const key = generateKey()
    await writeKeyFile(path, [record('ops', key, ['admin'])])
    const store = await openFileKeyStore({ path, recheckMs: 40 })
    try {
      await writeKeyFile(path, []) // revoke
      // Quiet: no lookups at all (reading the size re-checks nothing) until the timer has re-read the file.
      await expect.poll(() => store.size).toBe(0)
      expect(store.lookup(key)).toBeNull()
    } finally {
      store.close()
    }
  })
})
