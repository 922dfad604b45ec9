import { describe, expect, it } from 'vitest'
import { isSafeName, SAFE_NAME, safeName, UNIX_USER } from './names.ts'
import { assertSafeName } from './ssh/quote.ts'

const GOOD = ['vllm_node', 'qwen3-30b.a3b', 'A', '0', 'x'.repeat(128)]
const BAD = [
  '',
  '-rm',
  '.hidden',
  '..',
  '_x',
  'a b',
  'a/b',
  '$(id)',
  'a;b',
  'x\n',
  'é',
  'x'.repeat(129),
  'a:b',
]

describe('safe names', () => {
  it('lets through exactly what assertSafeName (the SSH wall) lets through', () => {
    for (const v of [...GOOD, ...BAD]) {
      const sshOk = (() => {
        try {
          assertSafeName(v)
          return true
        } catch {
          return false
        }
      })()
      expect(isSafeName(v), v).toBe(sshOk)
      expect(safeName().safeParse(v).success, v).toBe(sshOk)
      expect(SAFE_NAME.test(v), v).toBe(sshOk)
    }
    expect(GOOD.every((v) => isSafeName(v))).toBe(true)
    expect(BAD.some((v) => isSafeName(v))).toBe(false)
    expect(isSafeName(42)).toBe(false)
  })

  it('takes a shorter maximum, and names the thing and the rule in the message', () => {
    expect(isSafeName('k'.repeat(64), 64)).toBe(true)
    expect(isSafeName('k'.repeat(65), 64)).toBe(false)
    const key = safeName('a key name', { max: 64 }).safeParse('k'.repeat(65))
    expect(key.success).toBe(false)
    expect(key.error?.issues[0]?.message).toBe(
      'must be a key name: 1-64 letters, digits, `_ . -`, starting with a letter or digit',
    )
    expect(safeName().safeParse('-x').error?.issues[0]?.message).toBe(
      'must be 1-128 letters, digits, `_ . -`, starting with a letter or digit',
    )
  })

  it('trims only when asked (environment values), so request bodies are checked as sent', () => {
    expect(safeName('a container name', { trim: true }).parse('  vllm_node ')).toBe('vllm_node')
    expect(safeName('a container name').safeParse('  vllm_node ').success).toBe(false)
  })

  it('keeps Unix user names apart: a leading `_` is allowed, at most 32', () => {
    expect(UNIX_USER.test('_svc')).toBe(true)
    expect(isSafeName('_svc')).toBe(false)
    expect(UNIX_USER.test('u'.repeat(33))).toBe(false)
    expect(UNIX_USER.test('-u')).toBe(false)
  })
})
