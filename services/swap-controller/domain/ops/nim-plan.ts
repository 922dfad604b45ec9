/**
 * The commands that install an NVIDIA NIM on a Spark, planned before anything runs (a dry run
 * shows exactly these). The NGC API key never appears in an argv: `docker login` reads it with
 * `--password-stdin`, and the container gets it through `--env-file /dev/stdin` (the Docker CLI
 * reads the file before it creates the container), so it is in no command line, process list,
 * dry run, audit row or log.
 */
import type { OpsCommand } from '../../../../shared/contracts/swap-controller.ts'
import { validationFailed } from '../../../../shared/errors.ts'
import { opsCommand } from './services-earlier-update.ts'

export const NGC_REGISTRY = 'nvcr.io'
/** NVIDIA's documented login: the literal user `$oauthtoken` and the API key as the password. */
export const NGC_USER = '$oauthtoken'
/** Where every NIM listens inside its container. */
export const NIM_CONTAINER_PORT = 8000
export const NIM_KEY_VARIABLE = 'NGC_API_KEY'

export interface NimPlanInput {
  node: string
  image: string
  name: string
  port: number
  env: Record<string, string>
}

/** What a step's stdin carries: nothing, the key alone (login) or the key as an env file (run). */
export type NimStdin = 'none' | 'key' | 'key_env_file'

export interface NimStep {
  kind: 'login' | 'pull' | 'run'
  command: OpsCommand
  stdin: NimStdin
  timeoutMs: number
}

export interface NimTimeouts {
  loginMs: number
  pullMs: number
  runMs: number
}

export const NIM_TIMEOUTS: NimTimeouts = { loginMs: 30_000, pullMs: 3_600_000, runMs: 120_000 }

/** `nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4` → `llama-3.1-8b-instruct`. */
export function defaultNimName(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1)
  return last.slice(0, last.indexOf(':'))
}

/** What the run step's stdin holds: Docker's env-file format, one `KEY=value` line. */
export const keyEnvFile = (key: string) => `${NIM_KEY_VARIABLE}=${key}\n`

const STDIN_NOTE: Record<NimStdin, string> = {
  none: '',
  key: ` < [${NIM_KEY_VARIABLE} redacted]`,
  key_env_file: ` < [${NIM_KEY_VARIABLE}=… redacted]`,
}

function step(
  kind: NimStep['kind'],
  node: string,
  argv: string[],
  stdin: NimStdin,
  timeoutMs: number,
): NimStep {
  const command = opsCommand(node, argv)
  return {
    kind,
    stdin,
    timeoutMs,
    command: { ...command, display: `${command.display}${STDIN_NOTE[stdin]}` },
  }
}

export function planNimInstall(input: NimPlanInput, timeouts: NimTimeouts = NIM_TIMEOUTS): NimStep[] {
  if (Object.hasOwn(input.env, NIM_KEY_VARIABLE))
    throw validationFailed([
      { field: `env.${NIM_KEY_VARIABLE}`, message: 'comes from the configured NGC_API_KEY; leave it out' },
    ])
  const { node, image, name, port } = input
  const envArgs = Object.entries(input.env).flatMap(([k, v]) => ['-e', `${k}=${v}`])
  return [
    step(
      'login',
      node,
      ['docker', 'login', NGC_REGISTRY, '--username', NGC_USER, '--password-stdin'],
      'key',
      timeouts.loginMs,
    ),
    step('pull', node, ['docker', 'pull', '--quiet', image], 'none', timeouts.pullMs),
    step(
      'run',
      node,
      [
        'docker',
        'run',
        '-d',
        '--restart',
        'unless-stopped',
        '--gpus',
        'all',
        '--name',
        name,
        '-p',
        `${port}:${NIM_CONTAINER_PORT}`,
        '--env-file',
        '/dev/stdin',
        ...envArgs,
        image,
      ],
      'key_env_file',
      timeouts.runMs,
    ),
  ]
}
