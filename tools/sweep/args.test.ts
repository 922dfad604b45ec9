import { describe, expect, it } from 'vitest'
import { parseSweepArgs, UsageError } from './args.ts'
import { checkLive, isLoopback, RefusedLive } from './direct.ts'

describe('parseSweepArgs', () => {
  it('reads the target, the backend, levels and times, with the defaults', () => {
    expect(parseSweepArgs(['--target', 'asr', '--url', 'http://127.0.0.1:8000/'], {})).toMatchObject({
      target: 'asr',
      url: 'http://127.0.0.1:8000',
      levels: [1, 2, 3, 4, 6, 8],
      cellS: 60,
      warmupS: 10,
      yesLive: false,
      outDir: '.data/sweeps',
    })
    const o = parseSweepArgs(
      [
        '--target',
        'tts',
        '--gateway',
        'http://h:9999',
        '--levels',
        '4,1,2,2',
        '--cell-s',
        '1.5',
        '--warmup-s',
        '0',
      ],
      { SPARK_CONTROL_KEY: 'k1' },
    )
    expect(o).toMatchObject({
      gateway: 'http://h:9999',
      levels: [1, 2, 4],
      cellS: 1.5,
      warmupS: 0,
      key: 'k1',
    })
  })

  it('refuses bad arguments with a usage error', () => {
    const bad = [
      ['--target', 'vllm', '--url', 'http://h'],
      ['--target', 'asr'],
      ['--target', 'asr', '--url', 'http://h', '--gateway', 'http://g'],
      ['--target', 'asr', '--url', 'ftp://h'],
      ['--target', 'asr', '--url', 'http://h', '--levels', '0,1'],
      ['--target', 'asr', '--url', 'http://h', '--cell-s', '0.1'],
      ['--target', 'asr', '--url', 'http://h', '--nope'],
    ]
    for (const argv of bad) expect(() => parseSweepArgs(argv, {}), argv.join(' ')).toThrow(UsageError)
  })
})

describe('the live-target guard', () => {
  it('lets a loopback or simulated backend through, and a live one only with --yes-live', async () => {
    expect(isLoopback('http://localhost:8000')).toBe(true)
    expect(isLoopback('http://[::1]:8000')).toBe(true)
    expect(isLoopback('http://192.0.2.20:8000')).toBe(false)
    const real = async () => false
    await expect(checkLive('http://127.0.0.1:8000', false, real)).resolves.toEqual({ simulated: false })
    await expect(checkLive('http://192.0.2.20:8000', false, async () => true)).resolves.toEqual({
      simulated: true,
    })
    await expect(checkLive('http://192.0.2.20:8000', false, real)).rejects.toThrow(RefusedLive)
    await expect(checkLive('http://192.0.2.20:8000', false, real)).rejects.toThrow(
      /loads its GPU.*--yes-live/,
    )
    await expect(checkLive('http://192.0.2.20:8000', true, real)).resolves.toEqual({ simulated: false })
  })
})
