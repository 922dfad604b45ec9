import { describe, expect, it } from 'vitest'
import type { CustomModel, CustomModelStore } from './custom.ts'
import { readEarlierCatalog, withEarlierCards } from './earlier-catalog.ts'

const AT = '2026-03-01T12:00:00.000000+00:00'

describe('the earlier catalog files (MODELS_YAML, MODELS_OVERRIDES)', () => {
  it('reads a mapping of ModelDefs, keeping identity and ignoring launch settings', () => {
    const text = `
qwen3-coder:
  repo: Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8
  served_model_name: qwen3-coder
  max_model_len: 65536
  gpu_memory_utilization: 0.7
  extra_args: ["--enable-auto-tool-choice"]
my-finetune:
  local_path: /data/models/my-finetune
  name: My finetune
`
    const { cards, problems } = readEarlierCatalog(text, 'MODELS_YAML', AT)
    expect(problems).toEqual([])
    expect(cards).toEqual([
      expect.objectContaining({
        key: 'qwen3-coder',
        repo: 'Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8',
        served_model_name: 'qwen3-coder',
        max_model_len: 65536,
        created_by: 'MODELS_YAML',
      }),
      expect.objectContaining({
        key: 'my-finetune',
        local_path: '/data/models/my-finetune',
        name: 'My finetune',
        repo: null,
      }),
    ])
  })

  it('reads a list, or either under models:', () => {
    const list = readEarlierCatalog('- key: a\n  repo: org/a\n- repo: org/b\n', 'MODELS_OVERRIDES', AT)
    expect(list.cards.map((c) => c.key)).toEqual(['a', 'org--b'])
    const wrapped = readEarlierCatalog('models:\n  a:\n    repo: org/a\n', 'MODELS_YAML', AT)
    expect(wrapped.cards.map((c) => c.key)).toEqual(['a'])
    expect(readEarlierCatalog('', 'MODELS_YAML', AT)).toEqual({ cards: [], problems: [] })
  })

  it('skips an invalid or hostile entry with the reason, keeping the others', () => {
    const text = `
good: { repo: org/good }
both: { repo: org/x, local_path: /data/x }
shell: { repo: "org/$(id)" }
dots: { local_path: /data/../etc }
root: { local_path: / }
good2: { repo: org/good }
`
    const { cards, problems } = readEarlierCatalog(text, 'MODELS_YAML', AT)
    expect(cards.map((c) => c.key)).toEqual(['good', 'good2'])
    expect(problems).toHaveLength(4)
    expect(problems[0]).toMatch(/^MODELS_YAML: both skipped — repo: give exactly one of/)
    expect(problems.slice(1).every((p) => /^MODELS_YAML: (shell|dots|root) skipped — /.test(p))).toBe(true)
  })

  it('says what is wrong with a file that is not a catalog, instead of failing', () => {
    expect(readEarlierCatalog('a: [', 'MODELS_YAML', AT).problems[0]).toMatch(/^MODELS_YAML: not valid YAML/)
    expect(readEarlierCatalog('"just text"', 'MODELS_YAML', AT).problems).toEqual([
      'MODELS_YAML: expected a list or a mapping of models',
    ])
  })
})

describe('withEarlierCards', () => {
  const card = (key: string, by = 'api'): CustomModel => ({
    key,
    name: key,
    repo: `org/${key}`,
    local_path: null,
    served_model_name: key,
    max_model_len: null,
    notes: null,
    created_at: AT,
    created_by: by,
  })
  function memory(): CustomModelStore {
    const m = new Map<string, CustomModel>()
    return {
      list: () => [...m.values()],
      get: (k) => m.get(k),
      put: (c) => void m.set(c.key, c),
      remove: (k) => m.delete(k),
      count: () => m.size,
    }
  }

  it("lists the files' cards after the API's, which win on a shared key; files' cards are read-only", () => {
    const own = memory()
    own.put(card('shared'))
    const store = withEarlierCards(own, () => [
      card('shared', 'MODELS_YAML'),
      card('from-file', 'MODELS_YAML'),
    ])
    expect(store.list().map((c) => `${c.key}:${c.created_by}`)).toEqual([
      'shared:api',
      'from-file:MODELS_YAML',
    ])
    expect(store.get('from-file')?.created_by).toBe('MODELS_YAML')
    expect(store.remove('from-file')).toBe(false)
    expect(store.list()).toHaveLength(2)
    // Only the API's own cards count against its limit.
    expect(store.count()).toBe(1)
  })
})
