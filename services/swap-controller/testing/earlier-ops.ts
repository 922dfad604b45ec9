/**
 * Stand-ins for the earlier service tiles' and NIM install's route tests: a fake
 * `ServiceContainers` over a few specs, a recording command runner, a switchable swap activity,
 * and the controller app with both route groups mounted (inventory: spark-1 head, spark-2 worker).
 */
import type {
  RestartAnswer,
  ServiceContainerSpec,
  ServiceContainerView,
} from '../../../shared/contracts/swap-controller.ts'
import { conflict } from '../../../shared/errors.ts'
import { silentLogger } from '../../../shared/logger.ts'
import { createVllmClient } from '../adapters/vllm-client.ts'
import { buildApp } from '../app.ts'
import { loadSwapControllerConfig } from '../config.ts'
import type { AuditInput } from '../domain/coordination/ports.ts'
import { buildInventory } from '../domain/inventory.ts'
import { createNimInstaller } from '../domain/ops/nim-install.ts'
import type { ContainerAction, NodeCommandRunner, ServiceContainers } from '../domain/ops/ports.ts'
import { createEarlierServices } from '../domain/ops/services-earlier.ts'
import { opsCommand } from '../domain/ops/services-earlier-update.ts'
import { FakeSshNodes } from './fakes.ts'

export const spec = (over: Partial<ServiceContainerSpec> & { name: string }): ServiceContainerSpec => ({
  kind: 'custom',
  node: 'spark-2',
  container: over.name,
  port: null,
  health_path: null,
  restart_policy: 'unless-stopped',
  memory_cap_bytes: null,
  auto_restart: false,
  custom: false,
  disabled: false,
  ...over,
})

export const DEFAULT_SPECS: ServiceContainerSpec[] = [
  spec({ name: 'parakeet', kind: 'stt', container: 'parakeet-asr', port: 8000, health_path: '/health' }),
  spec({
    name: 'kokoro',
    kind: 'tts',
    container: 'kokoro-tts',
    port: 8880,
    health_path: '/health',
    disabled: true,
  }),
  spec({ name: 'bot', container: 'chat-bot', custom: true, update_dir: '~/bot' }),
  spec({ name: 'vllm2', kind: 'llm', container: 'vllm_second', port: 8001, custom: true, node: 'spark-1' }),
]

function viewOf(s: ServiceContainerSpec): ServiceContainerView {
  return {
    ...s,
    state: 'running',
    pill: s.health_path ? 'healthy' : 'unknown',
    started_at: '2026-01-01T00:00:00.000Z',
    uptime_s: 3600.7,
    restarts: 2,
    memory_bytes: 1e9,
    memory_limit_bytes: null,
    image: `${s.container}:latest`,
    health: s.health_path
      ? { ok: true, status: 200, ms: 12.4, at: '2026-01-01T01:00:00.000Z', error: null }
      : null,
    error: null,
  }
}

export interface FakeContainers extends ServiceContainers {
  acts: Array<{ name: string; action: ContainerAction; dryRun: boolean; actor: string }>
}

/** Like the real one: refused while a swap uses the node, and audited (as `auditAction` when given). */
export function fakeContainers(
  specs: ServiceContainerSpec[],
  guard: { busy: readonly string[]; audit: (e: AuditInput) => void },
): FakeContainers {
  const acts: FakeContainers['acts'] = []
  return {
    acts,
    specs: () => specs,
    list: async () => specs.map(viewOf),
    get: async (name) => {
      const s = specs.find((x) => x.name === name)
      return s ? viewOf(s) : null
    },
    async act(name, action, opts) {
      const s = specs.find((x) => x.name === name)!
      const audit = (outcome: string) =>
        guard.audit({
          actor: opts.actor,
          action: opts.auditAction ?? `ops.${action}`,
          target: name,
          dryRun: opts.dryRun,
          outcome,
        })
      if (!opts.dryRun && guard.busy.includes(s.node)) {
        audit('refused')
        throw conflict(`A swap is using ${s.node}.`)
      }
      acts.push({ name, action, dryRun: opts.dryRun, actor: opts.actor })
      audit('ok')
      const answer: RestartAnswer = {
        dry_run: opts.dryRun,
        service: name,
        node: s.node,
        container: s.container,
        commands: [opsCommand(s.node, ['docker', action, s.container])],
        restarted: !opts.dryRun,
        duration_ms: opts.dryRun ? null : 1500,
        health_after: null,
      }
      return answer
    },
    logs: async (_name, lines) => Array.from({ length: Math.min(lines, 3) }, (_, i) => `line ${i + 1}`),
    autoRestarts: () => [],
  }
}

export interface RunCall {
  node: string
  argv: string[]
  stdin?: string
}

export function recordingRunner(
  answer: (argv: string[]) => { code: number; stdout?: string; stderr?: string },
) {
  const calls: RunCall[] = []
  const runner: NodeCommandRunner = {
    async run({ node, argv }, opts = {}) {
      calls.push({ node, argv: [...argv], ...(opts.stdin === undefined ? {} : { stdin: opts.stdin }) })
      const res = answer([...argv])
      return { code: res.code, stdout: res.stdout ?? '', stderr: res.stderr ?? '' }
    },
  }
  return { runner, calls }
}

export interface EarlierOpsOptions {
  specs?: ServiceContainerSpec[]
  answer?: (argv: string[]) => { code: number; stdout?: string; stderr?: string }
  ngcKey?: string
}

export function earlierOpsApp(options: EarlierOpsOptions = {}) {
  const config = loadSwapControllerConfig({
    SPARK1_HOST: '192.0.2.10',
    SPARK1_USER: 'owner',
    SPARK2_HOST: '192.0.2.11',
    SPARK2_USER: 'owner',
  })
  const inventory = buildInventory(config)
  const { runner, calls } = recordingRunner(options.answer ?? (() => ({ code: 0, stdout: 'done\n' })))
  const busy: string[] = []
  const swaps = { busyNodes: () => busy }
  const audits: AuditInput[] = []
  const audit = (e: AuditInput) => void audits.push(e)
  const containers = fakeContainers(options.specs ?? DEFAULT_SPECS, { busy, audit })
  const modelCalls: string[] = []
  const earlierServices = createEarlierServices({
    containers,
    runner,
    swaps,
    audit,
    node: (name) => inventory.nodes.find((n) => n.name === name),
    listModels: async (url) => {
      modelCalls.push(url)
      return ['org/second-model']
    },
  })
  const nim = createNimInstaller({
    runner,
    nodes: () => inventory.nodes,
    specs: () => containers.specs(),
    swaps,
    audit,
    ngcKey: () => options.ngcKey,
  })
  const app = buildApp({
    config,
    inventory,
    ssh: new FakeSshNodes(),
    vllm: createVllmClient({ baseUrl: null }),
    logger: silentLogger(),
    earlierServices,
    nim,
  })
  return { app, containers, calls, busy, audits, modelCalls }
}
