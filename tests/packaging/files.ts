/**
 * What the packaging tests read: compose.yaml as Compose reads it (YAML merge keys resolved), the
 * demo's env file, and the Dockerfile as a list of instructions per build stage. Nothing here
 * needs Docker.
 */
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { REPO_ROOT } from '../../tools/stack/launch.ts'

export interface ComposeService {
  image?: string
  build?: unknown
  command: string[]
  environment?: Record<string, string>
  env_file?: Array<{ path: string; required?: boolean }>
  ports?: string[]
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number }
  depends_on?: Record<string, { condition: string }>
  restart?: string
  stop_grace_period?: string
  volumes?: string[]
  networks?: string[]
  profiles?: string[]
}

export interface ComposeFile {
  name?: string
  services: Record<string, ComposeService>
  volumes?: Record<string, unknown>
  networks?: Record<string, { internal?: boolean } | null>
}

export const readRepoFile = (path: string) => readFileSync(`${REPO_ROOT}${path}`, 'utf8')

export const loadCompose = (): ComposeFile =>
  parse(readRepoFile('compose.yaml'), { merge: true }) as ComposeFile

/** `KEY=value` lines of an env file; a ` #` comment after an unquoted value is dropped, as Compose does. */
export function readEnvFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readRepoFile(path)
      .split('\n')
      .filter((line) => /^[A-Z][A-Z0-9_]*=/.test(line))
      .map((line) => {
        const at = line.indexOf('=')
        return [
          line.slice(0, at),
          line
            .slice(at + 1)
            .replace(/\s+#.*$/, '')
            .trim(),
        ]
      }),
  )
}

/** `${NAME:-default}` → default: what Compose substitutes when NAME is unset. */
export const withDefaults = (text: string) => text.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')

export interface Instruction {
  keyword: string
  args: string
}

export interface Stage {
  name: string
  from: string
  instructions: Instruction[]
}

/** The Dockerfile's stages, each with its instructions (continuation lines joined, comments dropped). */
export function readDockerfile(): Stage[] {
  const lines = readRepoFile('Dockerfile')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
  const stages: Stage[] = []
  for (const line of lines) {
    const [keyword = '', ...rest] = line.split(/\s+/)
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') }
    if (instruction.keyword === 'FROM') {
      const name = /\bAS\s+(\S+)$/i.exec(instruction.args)?.[1] ?? String(stages.length)
      stages.push({ name, from: instruction.args, instructions: [] })
    } else stages.at(-1)?.instructions.push(instruction)
  }
  return stages
}

export const argsOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args)
