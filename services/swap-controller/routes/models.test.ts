/** Adding custom models, the menu with disk discovery (and without a timely scan), and suggestions. */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { closeStores, dirs, setup } from '../testing/models-app.ts'

describe('POST /api/models', () => {
  it('stores a valid card (audited) and lists it in the menu as needs_setup', async () => {
    const { send, audit } = await setup()
    const res = await send('POST', '/api/models', {
      repo: 'me/my-finetune',
      name: 'My finetune',
      max_model_len: 8192,
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      key: 'me--my-finetune',
      repo: 'me/my-finetune',
      local_path: null,
      created_by: 'tester',
    })
    const menu = (await send('GET', '/api/models')).body
    expect(menu.models.find((m: { key: string }) => m.key === 'me--my-finetune')).toMatchObject({
      needs_setup: true,
      custom: true,
      on_disk: false,
      recipe: null,
    })
    expect(audit()[0]).toMatchObject({
      actor: 'tester',
      action: 'model.add',
      target: 'me--my-finetune',
      outcome: 'ok',
    })
  })

  it('rejects invalid and hostile entries with {"detail": [...]} naming the field, storing nothing', async () => {
    const { send, store } = await setup()
    for (const body of [
      {},
      { repo: 'a/b', local_path: '/data/x' },
      { repo: 'org/x;reboot' },
      { repo: 'org/$(id)' },
      { repo: 'org/`id`' },
      { repo: 'org/a\nb' },
      { repo: '../etc/passwd' },
      { local_path: '/data/../etc' },
      { local_path: 'relative' },
      { repo: 'org/x;reboot', vllm_args: '--trust-remote-code' },
      { repo: 'a/b', name: 'x"; rm -rf /', tensor_parallel_size: 2 },
    ]) {
      const res = await send('POST', '/api/models', body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(Array.isArray(res.body.detail)).toBe(true)
    }
    expect((await send('POST', '/api/models', '{not json')).status).toBe(422)
    expect(store.customModels.count()).toBe(0)
  })

  it('accepts an earlier full ModelDef: known fields validated and stored, the rest ignored and listed', async () => {
    const { send, store, audit } = await setup()
    const modelDef = {
      repo: 'me/earlier-model',
      name: 'Earlier model',
      served_model_name: 'earlier',
      max_model_len: 32768,
      vllm_args: ['--trust-remote-code', '--enable-auto-tool-choice'],
      gpu_memory_utilization: 0.85,
      tensor_parallel_size: 2,
      chat_template: '/data/templates/x.jinja',
    }
    const res = await send('POST', '/api/models', modelDef)
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      key: 'me--earlier-model',
      served_model_name: 'earlier',
      max_model_len: 32768,
      ignored_fields: ['vllm_args', 'gpu_memory_utilization', 'tensor_parallel_size', 'chat_template'],
      ignored_note: expect.stringMatching(/ignored .*recipes/),
    })
    const stored = store.customModels.get('me--earlier-model')!
    expect(Object.keys(stored)).not.toContain('vllm_args')
    expect(JSON.stringify(stored)).not.toContain('trust-remote-code')
    expect(audit()[0]).toMatchObject({
      action: 'model.add',
      outcome: 'ok',
      detail: expect.stringContaining('ignored fields: vllm_args'),
    })
    const plain = await send('POST', '/api/models', { repo: 'me/plain' })
    expect(plain.body).toMatchObject({ ignored_fields: [], ignored_note: null })
  })

  it('refuses duplicates and recipe keys with 409, and the card survives a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'models-route-'))
    dirs.push(dataDir)
    const first = await setup({ dataDir })
    expect((await first.send('POST', '/api/models', { local_path: '/data/models/ft-1' })).status).toBe(201)
    const dup = await first.send('POST', '/api/models', { local_path: '/data/models/ft-1', key: 'other' })
    expect(dup.status).toBe(409)
    expect(typeof dup.body.detail).toBe('string')
    expect((await first.send('POST', '/api/models', { repo: 'a/b', key: 'qwen3-coder-30b' })).status).toBe(
      409,
    )
    closeStores()
    const again = await setup({ dataDir })
    expect(again.store.customModels.list().map((c) => c.key)).toEqual(['ft-1'])
  })
})

describe('GET /api/models with disk discovery', () => {
  it('marks recipes on disk and lists unmatched on-disk models as needs_setup with inferred settings', async () => {
    const { send } = await setup({ loaded: ['Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8'] })
    const { body, status } = await send('GET', '/api/models')
    expect(status).toBe(200)
    const byKey = Object.fromEntries(body.models.map((m: { key: string }) => [m.key, m]))
    expect(byKey['qwen3-coder-30b']).toMatchObject({
      needs_setup: false,
      on_disk: true,
      on_nodes: ['spark-1', 'spark-2'],
    })
    expect(byKey['gpt-oss-120b']).toMatchObject({ needs_setup: false, on_disk: false })
    expect(byKey['Qwen--Qwen3-4B-Instruct-2507']).toMatchObject({
      needs_setup: true,
      recipe: null,
      repo: 'Qwen/Qwen3-4B-Instruct-2507',
      local_path: null,
      settings: {
        architecture: 'Qwen3ForCausalLM',
        max_model_len: 262144,
        dtype: 'bfloat16',
        weights_bytes: 8e9,
      },
    })
    expect(body.notes).toEqual([])
  })
})

describe('menu without a timely disk scan', () => {
  it('answers within the budget with on_disk null and a note, and publishes the routes', async () => {
    const { send } = await setup({ scanHangs: true })
    const started = Date.now()
    const { body } = await send('GET', '/api/models')
    expect(Date.now() - started).toBeLessThan(900)
    expect(body.models.find((m: { key: string }) => m.key === 'qwen3-coder-30b').on_disk).toBeNull()
    expect(body.notes[0]).toMatch(/did not answer within 100 ms/)
    const doc = (await send('GET', '/openapi.json')).body
    for (const path of [
      '/api/models',
      '/api/models/{key}',
      '/api/models/suggest',
      '/api/models/download',
      '/api/models/downloads/{id}',
    ])
      expect(Object.keys(doc.paths)).toContain(path)
    expect(doc.components.schemas.CustomModelRequest).toBeDefined()
  })
})

describe('GET /api/models/suggest', () => {
  it('filters by q, bounded by limit', async () => {
    const { send } = await setup()
    const res = await send('GET', '/api/models/suggest?q=gpt-oss&limit=5')
    expect(res.status).toBe(200)
    expect(res.body.suggestions.length).toBeGreaterThan(0)
    expect(res.body.suggestions.every((s: { repo: string }) => s.repo.includes('gpt-oss'))).toBe(true)
    expect((await send('GET', '/api/models/suggest?limit=500')).status).toBe(422)
  })
})
