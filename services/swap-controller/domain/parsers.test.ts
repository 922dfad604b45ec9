import { describe, expect, it } from 'vitest'
import { dockerPsArgv, parseDockerPs } from './docker-ps.ts'
import { parseMeminfo } from './meminfo.ts'
import { gpuQueryArgv, parseGpuCsv, parseGpuNumber } from './nvidia-smi.ts'

/** Shaped like a DGX Spark (GB10, 128 GB unified) with a model loaded. */
const GB10_MEMINFO = `MemTotal:       127601952 kB
MemFree:         2409444 kB
MemAvailable:   31250616 kB
Buffers:            9580 kB
Cached:         29984404 kB
SwapCached:            0 kB
Active(anon):   90785304 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`

describe('parseMeminfo', () => {
  it('reads MemTotal and MemAvailable in bytes', () => {
    expect(parseMeminfo(GB10_MEMINFO)).toEqual({
      total_bytes: 127601952 * 1024,
      available_bytes: 31250616 * 1024,
    })
  })

  it('estimates available memory on kernels without MemAvailable, and refuses non-meminfo text', () => {
    const old = 'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 200 kB\n'
    expect(parseMeminfo(old)).toEqual({ total_bytes: 1024000, available_bytes: 310 * 1024 })
    expect(parseMeminfo('')).toBeNull()
    expect(parseMeminfo('cat: /proc/meminfo: No such file or directory')).toBeNull()
  })
})

describe('parseGpuCsv', () => {
  it('parses GB10 lines, memory [N/A] becoming null', () => {
    expect(parseGpuCsv('96, 71, 48.27, 2405, [N/A], [N/A]\n')).toEqual([
      {
        utilization_pct: 96,
        temperature_c: 71,
        power_w: 48.27,
        sm_clock_mhz: 2405,
        memory_used_mib: null,
        memory_total_mib: null,
      },
    ])
    expect(parseGpuCsv('0, 41, 4.73, 208, [N/A], [N/A]')[0]).toMatchObject({
      utilization_pct: 0,
      power_w: 4.73,
    })
  })

  it('turns every odd marker into null and skips lines of the wrong shape', () => {
    for (const raw of ['[N/A]', 'N/A', '[Not Supported]', 'ERR!', '[Unknown Error]', '', ' ', '12abc', '1,5'])
      expect(parseGpuNumber(raw)).toBeNull()
    expect(parseGpuNumber(' 42.5 ')).toBe(42.5)
    const text =
      'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\n[N/A], ERR!, [Not Supported], 1000, 512, 81920\n'
    expect(parseGpuCsv(text)).toEqual([
      {
        utilization_pct: null,
        temperature_c: null,
        power_w: null,
        sm_clock_mhz: 1000,
        memory_used_mib: 512,
        memory_total_mib: 81920,
      },
    ])
  })

  it('asks nvidia-smi for the six fields in the C locale', () => {
    expect(gpuQueryArgv()).toEqual([
      'env',
      'LC_ALL=C',
      'nvidia-smi',
      '--query-gpu=utilization.gpu,temperature.gpu,power.draw,clocks.sm,memory.used,memory.total',
      '--format=csv,noheader,nounits',
    ])
  })
})

describe('parseDockerPs', () => {
  const line = (name: string, state: string, status: string) =>
    `0123456789abcdef0123\t${name}\tvllm-node:latest\t${state}\t${status}`

  it('finds the exact container and its state', () => {
    expect(parseDockerPs(`${line('vllm_node', 'running', 'Up 3 hours')}\n`, 'vllm_node')).toEqual({
      id: '0123456789ab',
      name: 'vllm_node',
      image: 'vllm-node:latest',
      state: 'running',
      status: 'Up 3 hours',
      running: true,
    })
    expect(
      parseDockerPs(line('vllm_node', 'exited', 'Exited (137) 2 minutes ago'), 'vllm_node')?.running,
    ).toBe(false)
  })

  it('ignores similar names and empty output', () => {
    expect(parseDockerPs(line('vllm_node_old', 'running', 'Up'), 'vllm_node')).toBeNull()
    expect(parseDockerPs('', 'vllm_node')).toBeNull()
    expect(dockerPsArgv('vllm.node')).toContain('name=^vllm\\.node$')
  })
})
