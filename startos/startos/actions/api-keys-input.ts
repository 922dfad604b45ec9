/**
 * "Manage API keys": add, list and revoke the gateway's keys through tools/api-keys.ts's
 * `runApiKeys` (the same code as the CLI, the same file the gateway reads within seconds). A new
 * key is shown once, masked and copyable; only its digest is stored. Pure: no SDK import.
 */
import { keysFilePath } from '../../../shared/auth/store.ts'
import { runApiKeys } from '../../../tools/api-keys.ts'
import { ActionRefusal, member, type Shown } from './result.ts'

export type ApiKeysInput = {
  operation:
    | { selection: 'add'; value: { name: string; scopes: string[] } }
    | { selection: 'list'; value: Record<string, never> }
    | { selection: 'revoke'; value: { name: string } }
}

export interface ApiKeysDone {
  shown: Shown
  /** The key file, when this run wrote it. */
  wrote: string | null
}

/** The CLI's refusal (`api-keys: bad name …`) as a sentence for the owner. */
function refusal(lines: string[]): ActionRefusal {
  const text = lines.map((l) => l.replace(/^api-keys: /, '')).join(' ')
  return new ActionRefusal(`${text.charAt(0).toUpperCase()}${text.slice(1)}.`)
}

async function run(argv: string[], file: string) {
  const out: string[] = []
  const err: string[] = []
  const code = await runApiKeys([...argv, '--file', file], {
    env: {},
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  })
  if (code !== 0) throw refusal(err)
  return out
}

export async function manageApiKeys(dataDir: string, input: ApiKeysInput): Promise<ApiKeysDone> {
  const file = keysFilePath({ DATA_DIR: dataDir })
  const op = input.operation
  if (op.selection === 'add') {
    const name = op.value.name.trim()
    if (op.value.scopes.length === 0) throw new ActionRefusal('Choose at least one scope for the key.')
    const [key] = await run(['add', name, '--scopes', op.value.scopes.join(',')], file)
    return {
      wrote: file,
      shown: {
        version: '1',
        title: `API key "${name}" added`,
        message: `Scopes: ${op.value.scopes.join(', ')}. Copy the key now: it is shown only this once (only its digest is kept). Apps send it as "Authorization: Bearer <key>". The gateway uses it within seconds.`,
        result: { type: 'single', value: key ?? '', copyable: true, qr: false, masked: true },
      },
    }
  }
  if (op.selection === 'revoke') {
    const name = op.value.name.trim()
    await run(['revoke', name], file)
    return {
      wrote: file,
      shown: {
        version: '1',
        title: `API key "${name}" revoked`,
        message: 'Apps using it are refused within seconds.',
        result: null,
      },
    }
  }
  const lines = (await run(['list'], file)).filter((l) => l.includes('\t'))
  return {
    wrote: null,
    shown: {
      version: '1',
      title: 'API keys',
      message:
        lines.length === 0
          ? 'No API key is set.'
          : `${lines.length} key(s). The keys themselves are never stored.`,
      result:
        lines.length === 0
          ? null
          : {
              type: 'group',
              value: lines.map((line) => {
                const [name = '', scopes = '', created = '', hint = ''] = line.split('\t')
                return member(name, `scopes ${scopes.replaceAll(',', ', ')}; created ${created}`, {
                  description: `Stored digest begins ${hint}`,
                })
              }),
            },
    },
  }
}
