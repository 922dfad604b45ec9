/**
 * "Manage API keys": add, list and revoke the gateway's keys through tools/api-keys.ts's
 * `runApiKeys` (the same code as the CLI, the same file the gateway reads within seconds), and
 * choose which route groups need one (key-groups.ts). A new key is shown once, masked and
 * copyable; only its digest is stored. Pure: no SDK import.
 */
import { keysFilePath } from '../../../shared/auth/store.ts'
import { runApiKeys } from '../../../tools/api-keys.ts'
import { keyGroupsSentence, readKeyGroups, writeKeyGroups } from './key-groups.ts'
import { ActionRefusal, member, type Shown } from './result.ts'

export type ApiKeysInput = {
  operation:
    | { selection: 'add'; value: { name: string; scopes: string[] } }
    | { selection: 'list'; value: Record<string, never> }
    | { selection: 'revoke'; value: { name: string } }
    | { selection: 'require'; value: { groups: string[] } }
}

export interface ApiKeysDone {
  shown: Shown
  /** The file this run wrote, if any. */
  wrote: string | null
  /** True when the gateway must restart to apply it (which groups need a key). */
  restart: boolean
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
  if (op.selection === 'require') {
    const saved = await writeKeyGroups(dataDir, op.value.groups)
    const none = saved.groups.length > 0 && (await run(['list'], file)).every((l) => !l.includes('\t'))
    return {
      wrote: saved.changed ? saved.file : null,
      restart: saved.changed,
      shown: {
        version: '1',
        title: 'Routes that need a key',
        message: `${keyGroupsSentence(saved.groups)}${saved.changed ? '' : ' (unchanged)'}${none ? ' No key exists yet: add one, or apps calling these routes are refused.' : ''}`,
        result: null,
      },
    }
  }
  if (op.selection === 'add') {
    const name = op.value.name.trim()
    if (op.value.scopes.length === 0) throw new ActionRefusal('Choose at least one scope for the key.')
    const [key] = await run(['add', name, '--scopes', op.value.scopes.join(',')], file)
    return {
      wrote: file,
      restart: false,
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
      restart: false,
      shown: {
        version: '1',
        title: `API key "${name}" revoked`,
        message: 'Apps using it are refused within seconds.',
        result: null,
      },
    }
  }
  const lines = (await run(['list'], file)).filter((l) => l.includes('\t'))
  const groups = keyGroupsSentence(await readKeyGroups(dataDir))
  return {
    wrote: null,
    restart: false,
    shown: {
      version: '1',
      title: 'API keys',
      message:
        lines.length === 0
          ? `No API key is set. ${groups}`
          : `${lines.length} key(s); the keys themselves are never stored. ${groups}`,
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
