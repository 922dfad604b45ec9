import ssh2 from 'ssh2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SimNodesHandle, startSimNodes } from './index.ts'
import { generateClientKey, TestSsh } from './test-client.ts'

const VLLM_DIR = '/home/sparkuser/spark-vllm-docker'
const key = generateClientKey()
let sim: SimNodesHandle
let ssh1: TestSsh
let ssh2c: TestSsh

/** Single-quotes a value for the shell, as the controller's ssh helpers do. */
const q = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`

beforeAll(async () => {
  sim = await startSimNodes({
    nodes: [
      { name: 'spark-1', host: '127.0.0.1', sshPort: 0, role: 'head' },
      { name: 'spark-2', host: '127.0.0.1', sshPort: 0, role: 'worker', memTotalGiB: 128 },
    ],
    authorizedKeys: [key.publicLine],
    vllmDir: VLLM_DIR,
    recipes: {
      'qwen3-30b': { model: 'Qwen/Qwen3-30B-A3B', servedModelName: 'qwen3', soloOnly: true, memGiB: 30 },
    },
    defaultLoadTimeMs: 400,
    portMap: () => 0,
  })
  ssh1 = await TestSsh.connect(sim.node('spark-1').sshPort, key.privateKey)
  ssh2c = await TestSsh.connect(sim.node('spark-2').sshPort, key.privateKey)
})

afterAll(async () => {
  ssh1?.end()
  ssh2c?.end()
  await sim?.close()
})

function connectWith(config: Partial<ssh2.ConnectConfig>): Promise<'ready' | Error> {
  return new Promise((resolve) => {
    const c = new ssh2.Client()
    c.once('ready', () => {
      c.end()
      resolve('ready')
    })
    c.once('error', (err) => resolve(err))
    c.connect({
      host: '127.0.0.1',
      port: sim.node('spark-1').sshPort,
      username: 'x',
      readyTimeout: 3000,
      ...config,
    })
  })
}

describe('SSH access', () => {
  it('accepts the authorized key under any user name and rejects other keys and passwords', async () => {
    expect(await connectWith({ username: 'anyone', privateKey: key.privateKey })).toBe('ready')
    const stranger = generateClientKey()
    const rejected = await connectWith({ privateKey: stranger.privateKey })
    expect(rejected).toBeInstanceOf(Error)
    expect(String(rejected)).toMatch(/authentication methods failed/)
    expect(await connectWith({ password: 'hunter2' })).toBeInstanceOf(Error)
    expect(sim.hostPublicKey).toMatch(/^ssh-ed25519 AAAA/)
  })
})

describe('shell parsing over exec', () => {
  const hostile = [
    'a;b',
    '$(touch /tmp/pwned)',
    '`id`',
    'x\ny',
    '../../etc/passwd',
    "it's",
    '"dq" \\ back',
    '&& rm -rf /',
    '*',
    '',
    '--port=1; reboot',
  ]

  it('delivers hostile quoted arguments literally (printf round-trip and command log)', async () => {
    const line = `printf '%s\\n' ${hostile.map(q).join(' ')}`
    const r = await ssh1.exec(line)
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${hostile.join('\n')}\n`)
    const rec = sim.node('spark-1').commandLog.at(-1)
    expect(rec?.line).toBe(line)
    expect(rec?.argv).toEqual([['printf', '%s\\n', ...hostile]])
    expect((await ssh1.exec('test -e /tmp/pwned; echo $?')).stdout).toBe('$?\n')
    expect((await ssh1.exec('test -e /tmp/pwned || echo absent')).stdout).toBe('absent\n')
  })

  it('runs &&, ||, ; and cd like bash, with exit codes', async () => {
    expect((await ssh1.exec(`cd ${q(VLLM_DIR)} && pwd`)).stdout).toBe(`${VLLM_DIR}\n`)
    const r = await ssh1.exec('cd /nope && echo never; false || echo fallback')
    expect(r.stdout).toBe('fallback\n')
    expect(r.stderr).toContain('bash: cd: /nope: No such file or directory')
    expect((await ssh1.exec('true && false')).code).toBe(1)
    expect((await ssh1.exec('echo out; echo err >&2')).stderr).toBe('err\n')
    expect((await ssh1.exec('echo err 1>&2 2>/dev/null')).stderr).toBe('err\n')
    expect((await ssh1.exec('nvidia-smi --bogus >/dev/null 2>&1; echo done')).stdout).toBe('done\n')
  })

  it('runs commands under coreutils timeout with its options, as the controller wraps them', async () => {
    const ok = await ssh1.exec("'timeout' '-s' 'KILL' '3.000s' 'echo' 'x'")
    expect(ok).toMatchObject({ code: 0, stdout: 'x\n' })
    const late = await ssh1.exec('timeout -k 1 0.2 sleep 5')
    expect(late.code).toBe(124)
    expect((await ssh1.exec('timeout --signal=TERM -- 0.5s echo y')).stdout).toBe('y\n')
  })

  it('answers unknown commands with 127 and syntax errors with 2', async () => {
    const r = await ssh1.exec('frobnicate --now')
    expect(r.code).toBe(127)
    expect(r.stderr).toBe('bash: frobnicate: command not found\n')
    const bad = await ssh1.exec("echo 'unterminated")
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/unexpected EOF/)
    expect((await ssh1.exec('./run-recipe.sh x')).code).toBe(127)
  })

  it('supports pipelines and file operands for the usual filters', async () => {
    expect((await ssh1.exec("cat /proc/meminfo | grep -E 'MemTotal|MemAvailable' | wc -l")).stdout).toBe(
      '2\n',
    )
    expect((await ssh1.exec("grep -c '^HugePages_' /proc/meminfo")).stdout).toBe('4\n')
    expect((await ssh1.exec(`ls ${VLLM_DIR} | head -n 1`)).stdout).toBe('Dockerfile\n')
  })
})

describe('telemetry', () => {
  it('nvidia-smi reports a GB10 with [N/A] memory', async () => {
    const fields =
      'name,utilization.gpu,temperature.gpu,power.draw,clocks.sm,clocks_throttle_reasons.active,clocks_event_reasons.active,memory.used,memory.total'
    const r = await ssh1.exec(`LC_ALL=C nvidia-smi --query-gpu=${fields} --format=csv,noheader,nounits`)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(
      /^NVIDIA GB10, \d+, \d+, \d+\.\d{2}, \d+, 0x[0-9A-F]{16}, 0x[0-9A-F]{16}, \[N\/A\], \[N\/A\]\n$/,
    )
    const withHeader = await ssh1.exec('nvidia-smi --query-gpu=utilization.gpu,memory.used --format=csv')
    expect(withHeader.stdout).toMatch(/^utilization\.gpu \[%\], memory\.used \[MiB\]\n\d+ %, \[N\/A\]\n$/)
    expect((await ssh1.exec('nvidia-smi')).stdout).toContain('Not Supported')
    const bad = await ssh1.exec('nvidia-smi --query-gpu=bogus --format=csv')
    expect(bad.code).toBe(2)
  })

  it('/proc/meminfo, free, df, uname, hostname, nproc look like a Spark', async () => {
    const mem = (await ssh1.exec('cat /proc/meminfo')).stdout
    const total = Number(/^MemTotal:\s+(\d+) kB$/m.exec(mem)?.[1])
    const avail = Number(/^MemAvailable:\s+(\d+) kB$/m.exec(mem)?.[1])
    expect(total).toBeGreaterThan(120 * 1024 * 1024)
    expect(avail).toBeGreaterThan(total * 0.85)
    expect(mem.split('\n').length).toBeGreaterThan(50)
    const free = (await ssh1.exec('free -b')).stdout.split('\n')
    expect(free[0]).toMatch(/total\s+used\s+free\s+shared\s+buff\/cache\s+available/)
    expect(Number(free[1]?.split(/\s+/)[1])).toBe(total * 1024)
    const df = (await ssh1.exec('df -B1 ~/.cache/huggingface')).stdout.split('\n')
    expect(df[0]).toMatch(/^Filesystem\s+1B-blocks\s+Used\s+Available\s+Use% Mounted on$/)
    expect(df[1]).toMatch(/^\/dev\/nvme0n1p2\s+\d+\s+\d+\s+\d+\s+\d+% \/$/)
    expect((await ssh1.exec('df -P /')).stdout).toMatch(/1024-blocks.*Capacity/)
    expect((await ssh1.exec('df --output=avail -B1 /')).stdout).toMatch(/^\s*Avail\n\d+\n$/)
    expect((await ssh1.exec('df /does/not/exist')).code).toBe(1)
    expect((await ssh1.exec('uname -m')).stdout).toBe('aarch64\n')
    expect((await ssh2c.exec('hostname')).stdout).toBe('spark-2\n')
    expect((await ssh1.exec('nproc')).stdout).toBe('20\n')
  })

  it('shows the eugr checkout under vllmDir', async () => {
    expect(
      (await ssh1.exec(`test -d ${q(VLLM_DIR)} && test -x ${q(`${VLLM_DIR}/run-recipe.sh`)} && echo yes`))
        .stdout,
    ).toBe('yes\n')
    const ls = (await ssh1.exec(`ls ${q(VLLM_DIR)}`)).stdout.split('\n')
    expect(ls).toEqual(expect.arrayContaining(['run-recipe.sh', 'launch-cluster.sh', 'recipes']))
    const yaml = (await ssh1.exec(`cat ${q(`${VLLM_DIR}/recipes/qwen3-30b.yaml`)}`)).stdout
    expect(yaml).toContain('recipe_version: "1"')
    expect(yaml).toContain('solo_only: true')
    expect((await ssh1.exec(`cat ${q(`${VLLM_DIR}/.env`)}`)).stdout).toMatch(
      /^CLUSTER_NODES=127\.0\.0\.1,127\.0\.0\.1$/m,
    )
  })
})

describe('docker basics', () => {
  it('lists nothing and reports missing objects like the CLI', async () => {
    expect((await ssh1.exec('docker ps -aq -f name=^vllm_node$')).stdout).toBe('')
    expect((await ssh1.exec('docker ps')).stdout).toMatch(
      /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\n$/,
    )
    const r = await ssh1.exec("docker inspect --format '{{.State.Status}} {{.State.ExitCode}}' vllm_node")
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('Error: No such object: vllm_node\n')
    expect((await ssh1.exec('docker logs vllm_node')).stderr).toBe(
      'Error response from daemon: No such container: vllm_node\n',
    )
    expect((await ssh1.exec('docker stop vllm_node')).code).toBe(1)
    expect((await ssh1.exec('docker rm -f vllm_node')).code).toBe(0)
  })
})

describe('faults', () => {
  it('dropConnections kills live sessions; new connections still work', async () => {
    const victim = await TestSsh.connect(sim.node('spark-2').sshPort, key.privateKey)
    const closed = new Promise<void>((r) => victim.client.once('close', () => r()))
    const started = Date.now()
    const running = victim.exec('sleep 30')
    await expect.poll(() => sim.node('spark-2').commandLog.at(-1)?.line).toBe('sleep 30')
    sim.node('spark-2').dropConnections()
    await closed
    const r = await running
    expect(r.code).toBeNull()
    expect(Date.now() - started).toBeLessThan(5000)
    const again = await TestSsh.connect(sim.node('spark-2').sshPort, key.privateKey)
    expect((await again.exec('hostname')).stdout).toBe('spark-2\n')
    again.end()
  })

  it('setUnreachable refuses new connections until cleared', async () => {
    const node = sim.node('spark-2')
    node.setUnreachable(true)
    await expect(TestSsh.connect(node.sshPort, key.privateKey)).rejects.toThrow()
    node.setUnreachable(false)
    const ok = await TestSsh.connect(node.sshPort, key.privateKey)
    ok.end()
  })
})
