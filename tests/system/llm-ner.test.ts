/**
 * The redaction gateway's local-LLM name pass on the simulated cluster, through the gateway (the
 * demo path): `ner: "auto"` works while a model is served (the simulated vLLM answers the entity
 * schema, with no names: it does no real extraction) and answers 422 `ner_unavailable` while none
 * is; `rules_only` works either way, and /ready shows `local_llm` without calling redaction down.
 */
import { describe, expect, it } from 'vitest'
import { SIM_DEFAULT_RECIPE } from '../../tools/spark-sim/recipes.ts'
import { eventually, useDemo } from '../support/demo.ts'
import { servedName } from '../support/served-names.ts'

const fixture = useDemo({ name: 'llm-ner', loadTimeMs: 1500, env: { SWAP_STOP_GRACE_S: '1' } })
const post = (path: string, body: unknown) =>
  fetch(fixture.url(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const getJson = async (path: string) => (await fetch(fixture.url(path))).json()

async function given(recipe: string) {
  if ((await getJson('/api/status')).loaded_model === servedName(recipe)) return
  const job = await (await post('/api/swap', { recipe })).json()
  await eventually(
    () => getJson(`/api/swap/${job.job_id}`),
    (j) => j.finished_at !== null,
    30_000,
  )
}

const scrub = (ner: string) =>
  post('/scrub', {
    task_id: 'sys-ner',
    items: [{ id: 1, text: 'Call Anne Smith-Jones at anne@bluefin.example.' }],
    known_entities: { persons: ['Anne Smith-Jones'] },
    ner,
  })

describe('the local-LLM name pass on the simulated cluster', () => {
  it('scrubs with ner "auto" and "qwen" while a Qwen model is served, and reports it in /ready', async () => {
    await given(SIM_DEFAULT_RECIPE)
    for (const ner of ['auto', 'qwen']) {
      const res = await scrub(ner)
      expect(res.status, ner).toBe(200)
      const body = await res.json()
      expect(body.items[0].scrubbed_text).toBe('Call [PERSON_1] at [EMAIL_1].')
    }
    // The served model was asked (the service logs each pass, with counts only).
    const log = fixture.demo().stack.services['redaction-gateway']!.output.join('\n')
    expect(log.match(/"msg":"local-LLM name pass"/g)?.length).toBeGreaterThanOrEqual(2)
    expect(log).not.toContain('Smith-Jones')
    const ready = await getJson('/api/redaction-gateway/ready')
    expect(ready.dependencies.local_llm).toMatchObject({
      state: 'up',
      critical: false,
      info: { model: servedName(SIM_DEFAULT_RECIPE) },
    })
  }, 60_000)

  it('answers 422 ner_unavailable (no_model) while no model is served, without loading one; rules_only still works', async () => {
    await given(SIM_DEFAULT_RECIPE)
    expect((await post('/api/swap/stop', {})).status).toBe(200)
    const res = await scrub('auto')
    expect(res.status).toBe(422)
    const body = await res.json()
    expect(body).toMatchObject({ error: 'ner_unavailable', reason: 'no_model' })
    expect(JSON.stringify(body)).not.toContain('Anne')
    expect((await scrub('rules_only')).status).toBe(200)
    const ready = await eventually(
      () => getJson('/api/redaction-gateway/ready'),
      (r) => r.dependencies.local_llm.state === 'down',
    )
    expect(ready.capabilities.redaction.state).toBe('up')
    // The pass never started a model load (the recipe is on-demand for chat requests).
    expect((await getJson('/api/swap/state')).state).toBe('idle')
    expect((await getJson('/api/status')).loaded_model ?? null).toBeNull()
  }, 60_000)
})
