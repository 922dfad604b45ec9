import { describe, expect, it } from 'vitest'
import { planPatches } from './plan.ts'
import { CAP_PATCH, GIB, patch, spec } from './testing.ts'

const RESTART = CAP_PATCH.replace('id: cap', 'id: restart')
  .replace('service: parakeet', 'service: [parakeet, kokoro, whisper, qdrant]')
  .replace(
    "[docker, update, --memory, '{memory_cap_bytes}', --memory-swap, '{memory_cap_bytes}', '{container}']",
    "[docker, update, --restart, unless-stopped, '{container}']",
  )
  .replace("'{{.HostConfig.Memory}}'", "'{{.HostConfig.RestartPolicy.Name}}'")
  .replace("stdout: '{memory_cap_bytes}'", () => "matches: '^unless-stopped$'")

describe('planPatches', () => {
  it('fills in the container and memory cap of each service, leaving docker templates as they are', () => {
    const plan = planPatches(
      [patch(CAP_PATCH, 'cap.yaml')],
      [spec('parakeet', { container: 'parakeet-asr', memory_cap_bytes: 48 * GIB })],
    )
    expect(plan.skipped).toEqual([])
    const [t] = plan.targets
    expect(t).toMatchObject({ id: 'cap', service: 'parakeet', node: 'spark-2', container: 'parakeet-asr' })
    expect(t?.apply[0]?.command.argv).toEqual([
      'docker',
      'update',
      '--memory',
      '51539607552',
      '--memory-swap',
      '51539607552',
      'parakeet-asr',
    ])
    expect(t?.apply[0]?.command.display).toBe(
      "'docker' 'update' '--memory' '51539607552' '--memory-swap' '51539607552' 'parakeet-asr'",
    )
    expect(t?.check[0]?.command.argv).toEqual([
      'docker',
      'inspect',
      '--format',
      '{{.HostConfig.Memory}}',
      'parakeet-asr',
    ])
    expect(t?.check[0]?.expect).toEqual({ kind: 'stdout', value: '51539607552' })
  })

  it('skips unknown and disabled services, and a cap patch on a service with no cap, each with the reason', () => {
    const specs = [
      spec('parakeet', { memory_cap_bytes: null }),
      spec('kokoro', { node: 'spark-3' }),
      spec('qdrant', { disabled: true }),
    ]
    const plan = planPatches([patch(RESTART, 'restart.yaml'), patch(CAP_PATCH, 'cap.yaml')], specs)
    expect(plan.targets.map((t) => [t.id, t.service, t.node])).toEqual([
      ['restart', 'parakeet', 'spark-2'],
      ['restart', 'kokoro', 'spark-3'],
    ])
    expect(plan.skipped).toEqual([
      { id: 'cap', service: 'parakeet', reason: expect.stringMatching(/no memory cap set/) },
      {
        id: 'restart',
        service: 'whisper',
        reason: expect.stringMatching(/no service named whisper in the inventory/),
      },
      { id: 'restart', service: 'qdrant', reason: 'qdrant is hidden by DISABLED_SERVICES' },
    ])
    expect(plan.targets[0]?.check[0]?.expect).toEqual({ kind: 'matches', pattern: /^unless-stopped$/ })
  })

  it('refuses to build commands for a container name that is not a safe name', () => {
    const plan = planPatches([patch(RESTART, 'restart.yaml')], [spec('parakeet', { container: '--rm' })])
    expect(plan.targets.filter((t) => t.service === 'parakeet')).toEqual([])
    expect(plan.skipped[0]).toMatchObject({
      service: 'parakeet',
      reason: expect.stringMatching(/not a safe name/),
    })
  })
})
