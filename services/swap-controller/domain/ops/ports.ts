/**
 * What cluster operations need from the outside world. The adapters (SSH to the Sparks, HTTP to
 * the services' health routes, SQLite) implement these; the routes and the domain use only these.
 */
import type {
  AutoRestartEntry,
  OpsCommand,
  RestartAnswer,
  ServiceContainerSpec,
  ServiceContainerView,
} from '../../../../shared/contracts/swap-controller.ts'

/** Who asked, for the audit log (`X-Spark-Actor`, the key's name, `dashboard`, `api`, `auto-restart`). */
export interface OpsActor {
  actor: string
  requestId?: string | null
}

export type ContainerAction = 'start' | 'stop' | 'restart'

export interface ActOptions extends OpsActor {
  dryRun: boolean
  /** The audit row's action when not `ops.<action>`: the earlier routes record `services.<action>`. */
  auditAction?: string
}

/** The Spark service containers: their live view, and start/stop/restart with the guard rails. */
export interface ServiceContainers {
  specs(): readonly ServiceContainerSpec[]
  /** Every service's live view (container state, memory, restarts, last health). */
  list(signal?: AbortSignal): Promise<ServiceContainerView[]>
  get(name: string, signal?: AbortSignal): Promise<ServiceContainerView | null>
  /**
   * Start, stop or restart one container. Refused (typed error) during a swap that involves the
   * same node; audited; `dryRun` returns the commands and touches nothing.
   */
  act(name: string, action: ContainerAction, opts: ActOptions): Promise<RestartAnswer>
  /** The last `lines` lines of the container's log (`docker logs --tail`). */
  logs(name: string, lines: number, signal?: AbortSignal): Promise<string[]>
  /** Automatic restarts (and refusals) of wedged services, newest first. */
  autoRestarts(): readonly AutoRestartEntry[]
}

/** Which nodes a running swap (or stop) is touching now; empty when none runs. */
export interface SwapActivity {
  busyNodes(): readonly string[]
}

/** Runs one argv on a node (quoted word by word on the way); never a shell string built from input. */
export interface NodeCommandRunner {
  run(
    command: Pick<OpsCommand, 'node' | 'argv'>,
    /** `stdin`: written then EOF (secrets go this way, never in argv); `maxOutputBytes` for long builds. */
    opts?: { timeoutMs?: number; signal?: AbortSignal; stdin?: string; maxOutputBytes?: number },
  ): Promise<{ code: number | null; stdout: string; stderr: string }>
}
