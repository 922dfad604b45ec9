/**
 * The service containers on a simulated node: docker start/stop/restart/update/inspect/stats with
 * the CLI's output, each container's server following it, and the wedge/crash/update switches.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ramInBytes } from './docker-lifecycle.ts'
import { bytesSize } from './docker-stats.ts'
import { type SimNodesHandle, startSimNodes } from './index.ts'
import type { ServiceProcess } from './node-state.ts'
import { generateClientKey, TestSsh } from './test-client.ts'

const key = generateClientKey()
let sim: SimNodesHandle
let ssh: TestSsh
let n = 0

/** A stand-in for an emulator: only its mode matters here. */
function fakeServer(): ServiceProcess & { modes: string[] } {
  const modes: string[] = ['ok']
  return {
    modes,
    mode: () => modes.at(-1) as string,
    setMode: async (mode) => {
      modes.push(mode)
    },
  }
}

beforeAll(async () => {
  sim = await startSimNodes({
    nodes: [{ name: 'spark-2', host: '127.0.0.1', sshPort: 0, role: 'worker' }],
    authorizedKeys: [key.publicLine],
    vllmDir: '/home/sparkuser/spark-vllm-docker',
    recipes: {},
  })
  ssh = await TestSsh.connect(sim.node('spark-2').sshPort, key.privateKey)
})

afterAll(async () => {
  ssh.end()
  await sim.close()
})

let name: string
let server: ReturnType<typeof fakeServer>
beforeEach(() => {
  name = `svc-${++n}`
  server = fakeServer()
  sim.node('spark-2').addServiceContainer({
    name,
    image: 'parakeet-asr:latest',
    port: 8000,
    residentBytes: 6 * 1024 ** 3,
    process: server,
  })
})

const info = () =>
  sim
    .node('spark-2')
    .containers()
    .find((c) => c.name === name)
const inspect = (format: string) => ssh.exec(`docker inspect --format '${format}' ${name}`)

describe('service containers', () => {
  it('run as docker run -d --restart unless-stopped leaves them, and inspect shows it', async () => {
    const res = await inspect(
      '{{.State.Status}} {{.RestartCount}} {{.HostConfig.RestartPolicy.Name}} {{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.AutoRemove}}',
    )
    expect(res).toEqual({ stdout: 'running 0 unless-stopped 0 0 false\n', stderr: '', code: 0 })
    const state = JSON.parse((await inspect('{{json .State}}')).stdout)
    expect(state).toMatchObject({ Status: 'running', Running: true, Restarting: false, ExitCode: 0 })
    expect(Date.parse(state.StartedAt)).toBeGreaterThan(0)
  })

  it('docker stop takes the server down (exit 0), it stays listed, docker start brings it back', async () => {
    expect(await ssh.exec(`docker stop ${name}`)).toMatchObject({ stdout: `${name}\n`, code: 0 })
    expect(server.mode()).toBe('down')
    expect((await inspect('{{.State.Status}} {{.State.ExitCode}}')).stdout).toBe('exited 0\n')
    expect((await ssh.exec(`docker ps -a --format '{{.Names}} {{.State}}'`)).stdout).toContain(
      `${name} exited`,
    )
    expect(await ssh.exec(`docker start ${name}`)).toMatchObject({ stdout: `${name}\n`, code: 0 })
    expect(server.mode()).toBe('ok')
    expect(info()?.status).toBe('running')
  })

  it('docker restart -t: the server goes down and back, StartedAt moves, RestartCount is reset', async () => {
    await sim.node('spark-2').crashContainer(name)
    expect(info()).toMatchObject({ status: 'running', restartCount: 1 })
    const before = info()?.startedAt.getTime() ?? 0
    const res = await ssh.exec(`docker restart -t 5 ${name}`)
    expect(res).toEqual({ stdout: `${name}\n`, stderr: '', code: 0 })
    expect(server.modes.slice(-2)).toEqual(['down', 'ok'])
    expect(info()?.startedAt.getTime()).toBeGreaterThan(before)
    // A manual restart starts a fresh restart manager: docker resets the count.
    expect((await inspect('{{.RestartCount}}')).stdout).toBe('0\n')
  })

  it('start and restart of a missing container fail as the CLI does', async () => {
    expect(await ssh.exec('docker start nope')).toEqual({
      stdout: '',
      stderr:
        'Error response from daemon: No such container: nope\nError: failed to start containers: nope\n',
      code: 1,
    })
    expect(await ssh.exec('docker restart nope')).toMatchObject({ code: 1, stdout: '' })
    expect((await ssh.exec('docker restart -t x nope')).code).toBe(125)
  })

  it('docker update --memory needs --memory-swap on a container run without one', async () => {
    const alone = await ssh.exec(`docker update --memory 8g ${name}`)
    expect(alone.code).toBe(1)
    expect(alone.stderr).toMatch(
      /^Error response from daemon: Cannot update container [0-9a-f]{64}: Memory limit/,
    )
    const res = await ssh.exec(`docker update --memory 8g --memory-swap 8g --restart always ${name}`)
    expect(res).toEqual({ stdout: `${name}\n`, stderr: '', code: 0 })
    const out = await inspect(
      '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.RestartPolicy.Name}}',
    )
    expect(out.stdout).toBe(`${8 * 1024 ** 3} ${8 * 1024 ** 3} always\n`)
    expect((await ssh.exec(`docker update --memory 8x ${name}`)).code).toBe(125)
    expect((await ssh.exec(`docker update --restart sometimes ${name}`)).stderr).toContain('unknown policy')
    expect(await ssh.exec(`docker update ${name}`)).toMatchObject({ code: 1 })
  })

  it('setUpdateIgnored: docker update answers as usual and changes nothing', async () => {
    sim.node('spark-2').setUpdateIgnored(true)
    try {
      const res = await ssh.exec(`docker update --memory 4g --memory-swap 4g ${name}`)
      expect(res).toEqual({ stdout: `${name}\n`, stderr: '', code: 0 })
      expect((await inspect('{{.HostConfig.Memory}}')).stdout).toBe('0\n')
    } finally {
      sim.node('spark-2').setUpdateIgnored(false)
    }
  })

  it('docker stats --no-stream prints the CLI formats, capped by the memory limit', async () => {
    await ssh.exec(`docker update -m 2g --memory-swap 2g ${name}`)
    const res = await ssh.exec(
      `docker stats --no-stream --format '{{.Name}}\\t{{.MemUsage}}\\t{{.CPUPerc}}' ${name}`,
    )
    const [shown, mem, cpu] = res.stdout.trim().split('\t')
    expect(shown).toBe(name)
    expect(mem).toMatch(/^[\d.]+GiB \/ 2GiB$/)
    expect(cpu).toMatch(/^\d+\.\d\d%$/)
    await ssh.exec(`docker stop ${name}`)
    const stopped = await ssh.exec(`docker stats --no-stream --format '{{.MemUsage}}' ${name}`)
    expect(stopped.stdout).toBe('0B / 0B\n')
  })

  it('a wedge hangs the server until a restart; a persistent one comes back after it', async () => {
    await sim.node('spark-2').wedgeContainer(name, 'once')
    expect(server.mode()).toBe('slow')
    await ssh.exec(`docker restart ${name}`)
    expect(server.mode()).toBe('ok')
    await sim.node('spark-2').wedgeContainer(name, 'persistent')
    await ssh.exec(`docker restart ${name}`)
    expect(server.mode()).toBe('slow')
  })

  it('parses docker sizes and prints them as go-units does', () => {
    expect([ramInBytes('8g'), ramInBytes('512m'), ramInBytes('1.5GB'), ramInBytes('10x')]).toEqual([
      8 * 1024 ** 3,
      512 * 1024 ** 2,
      1.5 * 1024 ** 3,
      null,
    ])
    expect([
      bytesSize(0),
      bytesSize(6.4 * 1024 ** 3),
      bytesSize(512 * 1024 ** 2),
      bytesSize(119.6 * 1024 ** 3),
    ]).toEqual(['0B', '6.4GiB', '512MiB', '119.6GiB'])
  })
})
