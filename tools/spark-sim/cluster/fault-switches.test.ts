/**
 * The fault switches that stand in for a broken Spark checkout: a recipe file removed from one
 * node (and written back over SSH), and a launcher that drops what follows `--`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { simRecipeFrom } from '../recipes.ts'
import { type RecipeMeta, type SimNodesHandle, startSimNodes } from './index.ts'
import { generateClientKey, TestSsh } from './test-client.ts'

const VLLM_DIR = '/home/sparkuser/spark-vllm-docker'
const CD = `cd '${VLLM_DIR}' && `
const key = generateClientKey()
const ALIASED = (model: string) =>
  [
    'recipe_version: "1"',
    'name: Aliased',
    `model: ${model}`,
    'container: vllm-node',
    'defaults: { port: 8000, host: 0.0.0.0 }',
    'command: |',
    `  vllm serve ${model} --host {host} --port {port}`,
    '',
  ].join('\n')
let sim: SimNodesHandle
let head: TestSsh
let worker: TestSsh

beforeAll(async () => {
  sim = await startSimNodes({
    nodes: [
      { name: 'spark-1', host: '127.0.0.1', sshPort: 0, role: 'head' },
      { name: 'spark-2', host: '127.0.0.1', sshPort: 0, role: 'worker' },
    ],
    authorizedKeys: [key.publicLine],
    vllmDir: VLLM_DIR,
    recipes: {
      aliased: simRecipeFrom(ALIASED('openai/gpt-oss-20b'), 'aliased') as RecipeMeta,
      // Only the removeRecipeFile test changes this one.
      removable: simRecipeFrom(ALIASED('openai/gpt-oss-20b'), 'removable') as RecipeMeta,
    },
    defaultLoadTimeMs: 200,
    portMap: () => 0,
    stopGraceMs: 20,
    removeDelayMs: 20,
  })
  head = await TestSsh.connect(sim.node('spark-1').sshPort, key.privateKey)
  worker = await TestSsh.connect(sim.node('spark-2').sshPort, key.privateKey)
})

afterEach(async () => {
  sim.node('spark-1').setLauncherDropsExtraArgs(false)
  await head.exec('docker rm -f vllm_node')
})

afterAll(async () => {
  head?.end()
  worker?.end()
  await sim?.close()
})

const servedIds = async () => {
  await expect.poll(() => sim.node('spark-1').containers()[0]?.vllm?.state, { timeout: 5000 }).toBe('ready')
  const models = (await (await fetch(`${sim.vllmUrl()}/v1/models`)).json()) as { data: Array<{ id: string }> }
  return models.data.map((m) => m.id)
}

describe('removeRecipeFile', () => {
  it('deletes the file on that node only; run-recipe.sh there says it is not found until it is written back', async () => {
    sim.node('spark-1').removeRecipeFile('removable')
    expect(sim.node('spark-1').recipeFileState('removable')).toBe('removed')
    expect((await head.exec(`ls ${VLLM_DIR}/recipes`)).stdout).not.toContain('removable.yaml')
    expect((await worker.exec(`ls ${VLLM_DIR}/recipes`)).stdout).toContain('removable.yaml')
    const run = await head.exec(`${CD}./run-recipe.sh removable --solo -d`)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^Error: Recipe not found: removable$/m)
    expect(sim.node('spark-1').containers()).toEqual([])

    // Written back over SSH (as a controller syncing its copy would): run-recipe.sh reads that file.
    const text = ALIASED('openai/gpt-oss-20b').replace('{port}', '{port} --served-model-name synced')
    const write = await head.exec(`printf '%s' '${text}' > ${VLLM_DIR}/recipes/removable.yaml`)
    expect(write.code).toBe(0)
    expect(sim.node('spark-1').recipeFileState('removable')).toBe('written')
    expect((await head.exec(`cat ${VLLM_DIR}/recipes/removable.yaml`)).stdout).toBe(text)
    expect((await head.exec(`${CD}./run-recipe.sh removable --solo -d`)).code).toBe(0)
    expect(await servedIds()).toEqual(['synced'])
  })
})

describe('setLauncherDropsExtraArgs', () => {
  const launch = `${CD}./run-recipe.sh aliased --solo -d -- --served-model-name gpt-oss-20b`

  it('loses the alias after --: vLLM serves the Hugging Face id', async () => {
    sim.node('spark-1').setLauncherDropsExtraArgs(true)
    expect((await head.exec(launch)).code).toBe(0)
    expect(await servedIds()).toEqual(['openai/gpt-oss-20b'])
  })

  it('passes the alias when off', async () => {
    expect((await head.exec(launch)).code).toBe(0)
    expect(await servedIds()).toEqual(['gpt-oss-20b'])
  })
})
