/**
 * What a swap pre-flight runs on the Sparks, as the controller sends it (quoted argv, `timeout`
 * prefix, stdin then EOF): image IDs, the head's recipe file (read, compared, rewritten with tee)
 * and the HF cache's snapshot folders; and how eugr's scripts fail when an image is missing.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { wireCommand } from '../../../shared/ssh/quote.ts'
import { loadSimRecipes, SIM_RECIPES_DIR } from '../recipes.ts'
import { type SimNodesHandle, startSimNodes } from './index.ts'
import { generateClientKey, TestSsh } from './test-client.ts'

const VLLM_DIR = '/home/sparkuser/spark-vllm-docker'
const HUB = '/home/sparkuser/.cache/huggingface/hub'
const key = generateClientKey()
const recipePath = (k: string) => `${VLLM_DIR}/recipes/${k}.yaml`
const repoRecipe = (k: string) => readFileSync(join(SIM_RECIPES_DIR, `${k}.yaml`), 'utf8')
let sim: SimNodesHandle
let head: TestSsh
let worker: TestSsh

/** One command the way the controller sends it: quoted argv under a remote deadline, stdin then EOF. */
const run = (ssh: TestSsh, argv: string[], stdin = '') =>
  ssh.exec(wireCommand({ argv, deadlineMs: 10_000 }), { stdin })
const imageId = (ssh: TestSsh, image: string) =>
  run(ssh, ['docker', 'image', 'inspect', '--format', '{{.Id}}', image])

beforeAll(async () => {
  sim = await startSimNodes({
    nodes: [
      { name: 'spark-1', host: '127.0.0.1', sshPort: 0, role: 'head' },
      { name: 'spark-2', host: '127.0.0.1', sshPort: 0, role: 'worker' },
    ],
    authorizedKeys: [key.publicLine],
    vllmDir: VLLM_DIR,
    recipes: {
      ...loadSimRecipes().recipes,
      'meta-only': { model: 'org/Meta-Only-8B', container: 'registry.local/team/vllm_custom-1.2:v2' },
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
  for (const n of sim.nodes)
    for (const image of ['vllm-node', 'vllm-node-mxfp4']) n.setImagePresent(image, true)
  await head.exec('docker rm -f vllm_node')
  await worker.exec('docker rm -f vllm_node')
})

afterAll(async () => {
  head?.end()
  worker?.end()
  await sim?.close()
})

describe('docker images', () => {
  it('every node holds vllm-node and every recipe`s image, with the same ID everywhere', async () => {
    expect(sim.node('spark-2').images()).toEqual([
      'registry.local/team/vllm_custom-1.2:v2',
      'vllm-node-mxfp4:latest',
      'vllm-node:latest',
    ])
    for (const image of ['vllm-node', 'vllm-node-mxfp4', 'registry.local/team/vllm_custom-1.2:v2']) {
      const onHead = await imageId(head, image)
      expect(onHead).toMatchObject({ code: 0, stderr: '' })
      expect(onHead.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/)
      expect((await imageId(worker, image)).stdout).toBe(onHead.stdout)
    }
    expect((await imageId(head, 'vllm-node')).stdout).not.toBe(
      (await imageId(head, 'vllm-node-mxfp4')).stdout,
    )
    const viaInspect = await run(head, [
      'docker',
      'inspect',
      '--type',
      'image',
      '--format',
      '{{.Id}}',
      'vllm-node',
    ])
    expect(viaInspect.stdout).toBe((await imageId(head, 'vllm-node:latest')).stdout)
  })

  it('a missing image is Docker`s "No such image" with exit 1, and the switch brings it back unchanged', async () => {
    const before = (await imageId(worker, 'vllm-node-mxfp4')).stdout
    sim.node('spark-2').setImagePresent('vllm-node-mxfp4', false)
    expect(await imageId(worker, 'vllm-node-mxfp4')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error response from daemon: No such image: vllm-node-mxfp4:latest\n',
    })
    expect((await imageId(head, 'vllm-node-mxfp4')).code).toBe(0)
    const plain = await run(worker, ['docker', 'image', 'inspect', 'vllm-node-mxfp4'])
    expect(plain).toMatchObject({ code: 1, stdout: '[]\n' })
    expect((await run(worker, ['docker', 'images'])).stdout).not.toContain('vllm-node-mxfp4')
    sim.node('spark-2').setImagePresent('vllm-node-mxfp4', true)
    expect((await imageId(worker, 'vllm-node-mxfp4')).stdout).toBe(before)
  })

  it('docker images and docker image ls list the node`s set', async () => {
    sim.node('spark-1').setImagePresent('vllm-node-mxfp4', false)
    const table = (await run(head, ['docker', 'images'])).stdout.split('\n')
    expect(table[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/)
    expect(table.slice(1, -1).map((l) => l.split(/\s+/).slice(0, 2).join(':'))).toEqual([
      'registry.local/team/vllm_custom-1.2:v2',
      'vllm-node:latest',
    ])
    const ls = await run(head, ['docker', 'image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.ID}}'])
    const id = (await imageId(head, 'vllm-node')).stdout.slice(7, 19)
    expect(ls.stdout).toContain(`vllm-node:latest ${id}\n`)
  })
})

describe('eugr with a missing image', () => {
  it('run-recipe.sh on a head without the image asks to build, and EOF on stdin ends it with exit 1', async () => {
    sim.node('spark-1').setImagePresent('vllm-node', false)
    const argv = [`${VLLM_DIR}/run-recipe.sh`, 'qwen3-coder-30b', '--solo', '-d', '--port', '8888']
    const r = await run(head, argv)
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("Container image 'vllm-node' not found locally.\n")
    expect(r.stdout).toContain('  2. Build manually: ./build-and-copy.sh -t vllm-node\n')
    expect(r.stdout.endsWith('Build now? [y/N] ')).toBe(true)
    expect(r.stderr).toMatch(
      /^Traceback \(most recent call last\):\n[\s\S]*EOFError: EOF when reading a line\n$/,
    )
    expect(sim.node('spark-1').containers()).toEqual([])
    expect((await run(head, argv, 'n\n')).stdout).toMatch(/Build now\? \[y\/N\] Aborting\.\n$/)
  })

  it('a cluster launch stops before any container when a worker lacks the image', async () => {
    sim.node('spark-2').setImagePresent('vllm-node', false)
    const r = await run(head, [`${VLLM_DIR}/run-recipe.sh`, 'glm-4.5-air', '-d'])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("Error: Could not inspect image 'vllm-node' on worker node (127.0.0.1).\n")
    expect(r.stdout).toContain("Error: Cluster launch aborted because image 'vllm-node' is not in sync.\n")
    expect(sim.nodes.flatMap((n) => n.containers())).toEqual([])
  })

  it('a solo docker run of a missing image is refused by the registry (exit 125)', async () => {
    sim.node('spark-1').setImagePresent('vllm-node-mxfp4', false)
    const r = await run(head, [`${VLLM_DIR}/launch-cluster.sh`, '-t', 'vllm-node-mxfp4', '--solo', '-d'])
    expect(r.code).toBe(125)
    expect(r.stderr).toBe(
      "Unable to find image 'vllm-node-mxfp4:latest' locally\n" +
        'docker: Error response from daemon: pull access denied for vllm-node-mxfp4, repository does not ' +
        "exist or may require 'docker login': denied: requested access to the resource is denied\n" +
        "See 'docker run --help'.\n",
    )
    expect(sim.node('spark-1').containers()).toEqual([])
  })
})

describe('the head`s recipe file', () => {
  it('is byte for byte the repo`s file when the simulator was loaded from it', async () => {
    for (const k of ['gpt-oss-120b', 'glm-4.5-air', 'qwen3-coder-30b']) {
      expect(await run(head, ['cat', '--', recipePath(k)])).toEqual({
        code: 0,
        stdout: repoRecipe(k),
        stderr: '',
      })
    }
    // A recipe given only as metadata keeps its rendered view.
    expect((await run(head, ['cat', '--', recipePath('meta-only')])).stdout).toContain(
      'model: "org/Meta-Only-8B"',
    )
  })

  it('removed, it is missing for cat, test and run-recipe.sh; tee writes it back for all three', async () => {
    const node = sim.node('spark-1')
    node.removeRecipeFile('qwen3-coder-30b')
    const path = recipePath('qwen3-coder-30b')
    expect(await run(head, ['cat', '--', path])).toMatchObject({
      code: 1,
      stderr: `cat: ${path}: No such file or directory\n`,
    })
    expect((await run(head, ['test', '-f', path])).code).toBe(1)
    const missing = await run(head, [`${VLLM_DIR}/run-recipe.sh`, 'qwen3-coder-30b', '--solo', '--dry-run'])
    expect(missing.code).toBe(1)
    expect(missing.stdout).toBe(
      `Error: Recipe not found: qwen3-coder-30b\nSearched in: qwen3-coder-30b, ${VLLM_DIR}/recipes\n`,
    )

    const text = repoRecipe('qwen3-coder-30b')
    expect(await run(head, ['tee', '--', path], text)).toEqual({ code: 0, stdout: text, stderr: '' })
    expect((await run(head, ['cat', '--', path])).stdout).toBe(text)
    expect((await run(head, ['test', '-f', path])).code).toBe(0)
    expect((await run(head, ['ls', `${VLLM_DIR}/recipes`])).stdout).toContain('qwen3-coder-30b.yaml\n')
    expect(node.recipeFileState('qwen3-coder-30b')).toBe('written')
    const found = await run(head, [`${VLLM_DIR}/run-recipe.sh`, 'qwen3-coder-30b', '--solo', '--dry-run'])
    expect(found.code).toBe(0)
    expect(found.stdout).toContain('vllm serve Qwen/Qwen3-Coder-30B-A3B-Instruct')
    // The worker's checkout is its own: untouched by the head's removal and rewrite.
    expect((await run(worker, ['cat', '--', path])).stdout).toBe(text)
    expect(sim.node('spark-2').recipeFileState('qwen3-coder-30b')).toBe('original')
  })
})

describe('tee', () => {
  it('writes under home and /tmp, appends with -a, refuses elsewhere and still copies to stdout', async () => {
    const r = await run(head, ['tee', '/tmp/a.txt', `${VLLM_DIR}/recipes/new.yaml`], 'one\n')
    expect(r).toEqual({ code: 0, stdout: 'one\n', stderr: '' })
    expect((await run(head, ['tee', '-a', '/tmp/a.txt'], 'two\n')).stdout).toBe('two\n')
    expect((await run(head, ['cat', '/tmp/a.txt'])).stdout).toBe('one\ntwo\n')
    expect((await run(head, ['cat', `${VLLM_DIR}/recipes/new.yaml`])).stdout).toBe('one\n')
    expect((await run(worker, ['test', '-e', '/tmp/a.txt'])).code).toBe(1)

    expect(await run(head, ['tee', '/etc/spark.conf'], 'x\n')).toEqual({
      code: 1,
      stdout: 'x\n',
      stderr: 'tee: /etc/spark.conf: Permission denied\n',
    })
    expect((await run(head, ['test', '-e', '/etc/spark.conf'])).code).toBe(1)
    expect((await run(head, ['tee', `${VLLM_DIR}/no-such-dir/x`], 'x')).stderr).toBe(
      `tee: ${VLLM_DIR}/no-such-dir/x: No such file or directory\n`,
    )
    expect((await run(head, ['tee', `${VLLM_DIR}/recipes`], 'x')).stderr).toBe(
      `tee: ${VLLM_DIR}/recipes: Is a directory\n`,
    )
  })
})

describe('test -d on the HF cache', () => {
  it('sees the snapshots folder of a cached model and not of an absent one', async () => {
    const snapshots = (repo: string) => `${HUB}/models--${repo.replace(/\//g, '--')}/snapshots`
    expect((await run(head, ['test', '-d', snapshots('openai/gpt-oss-120b')])).code).toBe(0)
    expect((await run(worker, ['test', '-d', snapshots('zai-org/GLM-4.5-Air-FP8')])).code).toBe(0)
    expect((await run(head, ['test', '-d', snapshots('org/Not-Cached')])).code).toBe(1)
    expect((await run(head, ['test', '-f', snapshots('openai/gpt-oss-120b')])).code).toBe(1)
  })
})
