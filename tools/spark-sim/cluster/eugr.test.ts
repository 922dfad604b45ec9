import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { simRecipeFrom } from '../recipes.ts'
import { type RecipeMeta, type SimNodesHandle, startSimNodes } from './index.ts'
import { generateClientKey, TestSsh } from './test-client.ts'

const VLLM_DIR = '/home/sparkuser/spark-vllm-docker'
const CD = `cd '${VLLM_DIR}' && `
const key = generateClientKey()
const ALIASED_RECIPE = [
  'recipe_version: "1"',
  'name: Aliased',
  'model: openai/gpt-oss-20b',
  'container: vllm-node',
  'defaults: { port: 8000, host: 0.0.0.0, gpu_memory_utilization: 0.3, max_model_len: 8192 }',
  'command: |',
  '  vllm serve openai/gpt-oss-20b --host {host} --port {port} \\',
  '      --gpu-memory-utilization {gpu_memory_utilization} --max-model-len {max_model_len} \\',
  '      --distributed-executor-backend ray',
  'spark_control: { served_model_name: gpt-oss-20b, gpu_memory_utilization: 0.2, max_model_len: 1024 }',
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
      'qwen3-30b': { model: 'Qwen/Qwen3-30B-A3B', servedModelName: 'qwen3', soloOnly: true, memGiB: 30 },
      'llama-8b': { model: 'meta-llama/Llama-3.1-8B-Instruct', memGiB: 16 },
      'big-tp2': { model: 'org/Big-235B', clusterOnly: true, memGiB: 60 },
      'too-big': { model: 'org/Too-Big', memGiB: 400 },
      // Our override block only: eugr never reads it, so neither may the simulator.
      aliased: simRecipeFrom(ALIASED_RECIPE, 'aliased') as RecipeMeta,
    },
    defaultLoadTimeMs: 400,
    portMap: () => 0,
    stopGraceMs: 30,
    removeDelayMs: 60,
    tokensPerSecond: 200,
  })
  head = await TestSsh.connect(sim.node('spark-1').sshPort, key.privateKey)
  worker = await TestSsh.connect(sim.node('spark-2').sshPort, key.privateKey)
})

afterEach(async () => {
  for (const n of sim.nodes) {
    n.setStopRefusal(false)
    n.setUnreachable(false)
  }
  sim.setNextFailure('none')
  await head.exec('docker rm -f vllm_node')
  await worker.exec('docker rm -f vllm_node')
})

afterAll(async () => {
  head?.end()
  worker?.end()
  await sim?.close()
})

const memAvailable = async (ssh: TestSsh) =>
  Number(/^MemAvailable:\s+(\d+) kB$/m.exec((await ssh.exec('cat /proc/meminfo')).stdout)?.[1])
/** MemAvailable once nothing is ramping (a previous model's pages may still be coming back). */
function settledMemAvailable(ssh: TestSsh): Promise<number> {
  let prev: number | undefined
  // Two readings 150 ms apart that agree within 48 MiB.
  return vi.waitFor(
    async () => {
      const [last, now] = [prev, await memAvailable(ssh)]
      prev = now
      if (last === undefined || Math.abs(now - last) >= 48 * 1024)
        throw new Error('MemAvailable still moving')
      return now
    },
    { timeout: 10_000, interval: 150 },
  )
}
const state = async (ssh: TestSsh) =>
  (await ssh.exec("docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' vllm_node")).stdout.trim()
const logs = async (ssh: TestSsh) => (await ssh.exec('docker logs vllm_node')).stdout
const waitReady = () =>
  expect.poll(() => logs(head), { timeout: 4000 }).toContain('Application startup complete.')

describe('run-recipe.sh solo', () => {
  it('starts detached on --port, logs milestones, serves /v1/models and streams chat', async () => {
    const baseline = await settledMemAvailable(head)
    const r = await head.exec(`${CD}./run-recipe.sh qwen3-30b --solo --port 8888 -d`)
    expect(r.code).toBe(0)
    // Detached: the command returns while the model is still loading.
    expect(await logs(head)).not.toContain('Application startup complete.')
    const ps = await head.exec(
      "docker ps --filter name=vllm_node --format '{{.Names}}\\t{{.Status}}\\t{{.Image}}'",
    )
    expect(ps.stdout).toMatch(/^vllm_node\tUp [^\t]+\tvllm-node\n$/)
    expect(await state(head)).toBe('running 0')
    await waitReady()
    const text = await logs(head)
    for (const m of [
      'Loading safetensors checkpoint shards',
      'Loading weights took',
      'GPU KV cache size:',
      'Capturing CUDA graphs',
      'Starting vLLM API server 0 on http://0.0.0.0:8888',
    ]) {
      expect(text).toContain(m)
    }
    expect(sim.node('spark-1').containers()[0]?.vllm).toMatchObject({
      servedModelName: 'qwen3',
      nominalPort: 8888,
      state: 'ready',
    })
    const url = sim.vllmUrl() as string
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> }
    expect(models.data.map((m) => m.id)).toEqual(['qwen3'])
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'qwen3',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
        max_tokens: 60,
      }),
    })
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toMatch(/^data: \{.*"chat\.completion\.chunk"/)
    // GPU busy while a request streams; memory taken by the model.
    const util = Number(
      (await head.exec('nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits')).stdout,
    )
    expect(util).toBeGreaterThan(50)
    let rest = ''
    for (let c = await reader.read(); !c.done; c = await reader.read())
      rest += new TextDecoder().decode(c.value)
    expect(rest.trimEnd().endsWith('data: [DONE]')).toBe(true)
    expect(baseline - (await memAvailable(head))).toBeGreaterThan(25 * 1024 * 1024)
    expect(
      (
        await head.exec(
          'nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv,noheader,nounits',
        )
      ).stdout,
    ).toMatch(/^\d+, VLLM::EngineCore, \d+\n$/)
  })

  it('docker stop removes the container, closes the port and memory recovers to baseline', async () => {
    const baseline = await settledMemAvailable(head)
    await head.exec(`${CD}./run-recipe.sh qwen3-30b --solo --port 8888 -d`)
    await waitReady()
    const url = sim.vllmUrl() as string
    expect(await memAvailable(head)).toBeLessThan(baseline - 25 * 1024 * 1024)
    const stop = await head.exec('docker stop vllm_node')
    expect(stop.stdout).toBe('vllm_node\n')
    await expect(fetch(`${url}/health`)).rejects.toThrow()
    await expect
      .poll(async () => (await head.exec('docker ps -aq -f name=^vllm_node$')).stdout, { timeout: 2000 })
      .toBe('')
    const justAfter = await memAvailable(head)
    expect(justAfter).toBeLessThan(baseline - 2 * 1024 * 1024)
    await expect
      .poll(() => memAvailable(head), { timeout: 3000, interval: 200 })
      .toBeGreaterThan(baseline - 256 * 1024)
    expect(sim.vllmUrl()).toBeNull()
  })

  it('ignores spark_control: without an alias after -- vLLM serves the Hugging Face id and the defaults', async () => {
    expect((await head.exec(`${CD}./run-recipe.sh aliased --solo --port 8888 -d`)).code).toBe(0)
    await waitReady()
    const models = (await (await fetch(`${sim.vllmUrl()}/v1/models`)).json()) as {
      data: Array<{ id: string }>
    }
    expect(models.data.map((m) => m.id)).toEqual(['openai/gpt-oss-20b'])
    const text = await logs(head)
    expect(text).toMatch(/non-default args: \{.*'gpu_memory_utilization': 0\.3/)
    expect(text).toMatch(/'max_model_len': 8192/)
  })

  it('fills placeholders from eugr overrides and appends what follows -- (the alias) to vLLM', async () => {
    const cmd = `${CD}./run-recipe.sh aliased --solo --port 8888 --gpu-mem 0.25 --max-model-len 4096 -d -- --served-model-name 'gpt-oss-20b'`
    expect((await head.exec(cmd)).code).toBe(0)
    await waitReady()
    const models = (await (await fetch(`${sim.vllmUrl()}/v1/models`)).json()) as {
      data: Array<{ id: string }>
    }
    expect(models.data.map((m) => m.id)).toEqual(['gpt-oss-20b'])
    const args = /non-default args: (\{.*\})/.exec(await logs(head))?.[1] ?? ''
    expect(args).toContain("'gpu_memory_utilization': 0.25")
    expect(args).toContain("'max_model_len': 4096")
    expect(args).toContain("'served_model_name': ['gpt-oss-20b']")
    // Solo drops the Ray backend, as eugr's runner does.
    expect(args).not.toContain('distributed_executor_backend')
  })

  it('rejects what eugr`s argparse rejects (exit 2), and passes unknown options on to vLLM', async () => {
    const bad = await head.exec(`${CD}./run-recipe.sh aliased --solo --gpu-mem lots -d`)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/run-recipe\.py: error: argument --gpu-mem: invalid float value: 'lots'\n$/)
    const missing = await head.exec(`${CD}./run-recipe.sh aliased --solo --port`)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/argument --port: expected one argument/)
    const dry = await head.exec(`${CD}./run-recipe.sh aliased --solo --dry-run --enforce-eager`)
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/--max-model-len 8192 --enforce-eager\n/)
    expect((await head.exec(`${CD}./run-recipe.sh no-such --solo -d`)).stdout).toMatch(
      /^Error: Recipe not found: no-such$/m,
    )
  })

  it('without --port vLLM listens on the recipe default 8000', async () => {
    expect((await head.exec(`${CD}./run-recipe.sh qwen3-30b --solo -d`)).code).toBe(0)
    await waitReady()
    expect(await logs(head)).toContain('Starting vLLM API server 0 on http://0.0.0.0:8000')
    expect(sim.node('spark-1').containers()[0]?.vllm?.nominalPort).toBe(8000)
    expect((await head.exec("ss -ltnH 'sport = :8000'")).stdout).toContain(':8000')
  })

  it('refuses a solo_only recipe on a two-node inventory without --solo', async () => {
    const r = await head.exec(`${CD}./run-recipe.sh qwen3-30b --port 8888 -d`)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/Error: Recipe 'qwen3-30b' requires solo mode\./)
    expect((await head.exec('docker ps -aq')).stdout).toBe('')
  })

  it('refuses a cluster_only recipe with --solo', async () => {
    const r = await head.exec(`${CD}./run-recipe.sh big-tp2 --solo -d`)
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/Error: Recipe 'big-tp2' requires cluster mode\./)
    expect((await head.exec('docker ps -aq')).stdout).toBe('')
  })

  it('is reachable by absolute path and through bash -lc, and prints the plan with --dry-run', async () => {
    const dry = await head.exec(`'${VLLM_DIR}/run-recipe.sh' qwen3-30b --solo --port 8888 -d --dry-run`)
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/vllm serve Qwen\/Qwen3-30B-A3B .*--port 8888/)
    expect((await head.exec('docker ps -aq')).stdout).toBe('')
    const viaBash = await head.exec(
      `bash -lc 'cd ${VLLM_DIR} && ./run-recipe.sh qwen3-30b --solo --port 8888 -d'`,
    )
    expect(viaBash.code).toBe(0)
    expect(await state(head)).toBe('running 0')
  })
})

describe('traps and failures', () => {
  it('reuses a running vllm_node: exit 0, the old model keeps serving, the new one never starts', async () => {
    await head.exec(`${CD}./run-recipe.sh llama-8b --solo --port 8888 -d`)
    await waitReady()
    const url = sim.vllmUrl() as string
    const r = await head.exec(`${CD}./run-recipe.sh qwen3-30b --solo --port 8888 -d`)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("Container 'vllm_node' is already running")
    await expect
      .poll(() => logs(head), { timeout: 3000 })
      .toMatch(/model_tag': 'Qwen\/Qwen3-30B-A3B'[\s\S]*Address already in use/)
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> }
    expect(models.data[0]?.id).toBe('meta-llama/Llama-3.1-8B-Instruct')
    expect(await state(head)).toBe('running 0')
    expect((await head.exec('docker exec vllm_node cat /workspace/exec-script.sh')).stdout).toContain(
      'Qwen/Qwen3-30B-A3B',
    )
  })

  it('OOM during load: the container exits with code 1 and the log holds the traceback', async () => {
    sim.setNextFailure('oom', 0.3)
    await head.exec(`${CD}./run-recipe.sh qwen3-30b --solo --port 8888 -d`)
    await expect.poll(() => state(head), { timeout: 3000 }).toBe('exited 1')
    expect(await logs(head)).toMatch(/torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate/)
    expect((await head.exec("docker ps -a --format '{{.Status}}'")).stdout).toMatch(/^Exited \(1\) /)
    expect(sim.vllmUrl()).toBeNull()
  })

  it("a model larger than MemAvailable fails vLLM's free-memory check at start-up", async () => {
    await head.exec(`${CD}./run-recipe.sh too-big --solo --port 8888 -d`)
    await expect.poll(() => state(head), { timeout: 3000 }).toBe('exited 1')
    expect(await logs(head)).toMatch(
      /ValueError: Free memory on device \([\d.]+\/[\d.]+ GiB\) on startup is less than desired/,
    )
  })

  it('a node that refuses to stop: docker stop reports success but the container keeps running', async () => {
    await head.exec(`${CD}./run-recipe.sh qwen3-30b --solo --port 8888 -d`)
    sim.node('spark-1').setStopRefusal(true)
    const r = await head.exec('docker stop vllm_node')
    expect(r).toMatchObject({ code: 0, stdout: 'vllm_node\n' })
    // `docker stop` returns once the container has stopped, so a stop that happened shows already.
    expect(await state(head)).toBe('running 0')
    sim.node('spark-1').setStopRefusal(false)
    await head.exec('docker stop vllm_node')
    await expect.poll(() => state(head), { timeout: 2000 }).toBe('')
  })

  it('without -d the launch stays attached and a dropped session stops the cluster', async () => {
    const ac = new AbortController()
    let seen = ''
    const attached = head.exec(`${CD}./run-recipe.sh qwen3-30b --solo --port 8888`, {
      signal: ac.signal,
      onData: (d) => (seen += d),
    })
    await expect.poll(() => seen, { timeout: 4000 }).toContain('Application startup complete.')
    expect(seen).toContain('Tailing logs from head node')
    ac.abort()
    await attached
    await expect.poll(() => state(head), { timeout: 2000 }).toBe('')
    expect(sim.vllmUrl()).toBeNull()
  })

  it('cluster mode creates vllm_node on every node; launch-cluster.sh stop takes both down', async () => {
    const baseline = await settledMemAvailable(worker)
    const r = await head.exec(`${CD}./run-recipe.sh llama-8b --port 8888 -d`)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Starting Worker Node on 127.0.0.1...')
    expect(await state(worker)).toBe('running 0')
    await waitReady()
    expect(await logs(worker)).toContain('Ray runtime started.')
    expect(await logs(head)).toMatch(/\(RayWorkerWrapper pid=\d+, ip=127\.0\.0\.1\)/)
    const w = await worker.exec('cat /proc/meminfo')
    expect(w.stderr).toBe('')
    expect(await memAvailable(worker)).toBeLessThan(baseline - 12 * 1024 * 1024)
    const stop = await head.exec(`${CD}./launch-cluster.sh stop`)
    expect(stop.stdout).toContain('Cluster stopped.')
    await expect.poll(async () => `${await state(head)}|${await state(worker)}`, { timeout: 2000 }).toBe('|')
  })

  it('docker logs -f streams new lines and ends when the container stops', async () => {
    await head.exec(`${CD}./run-recipe.sh qwen3-30b --solo --port 8888 -d`)
    let seen = ''
    const follow = head.exec('docker logs -f --tail 1 vllm_node', { onData: (d) => (seen += d) })
    await expect.poll(() => seen, { timeout: 4000 }).toContain('Application startup complete.')
    await worker.exec('true')
    await head.exec('docker kill vllm_node')
    const r = await follow
    expect(r.code).toBe(0)
  })
})
