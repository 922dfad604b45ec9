/** `POST /api/nim/install` over a recording command runner: guard rails, the commands, and the key kept out of argv. */
import { describe, expect, it } from 'vitest'
import { earlierOpsApp } from '../testing/earlier-ops.ts'

const KEY = 'nvapi-test-key-0123456789'
const IMAGE = 'nvcr.io/nim/meta/llama-3.1-8b-instruct:1.8.4'

const install = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-spark-actor': 'owner' },
  body: JSON.stringify(body),
})

const runOk = (argv: string[]) =>
  argv[1] === 'run' ? { code: 0, stdout: 'c0ffee1234\n' } : { code: 0, stdout: 'Login Succeeded\n' }

describe('POST /api/nim/install', () => {
  it('refuses without confirm or dry_run (428 {"detail"}), audited, nothing run', async () => {
    const { app, calls, audits } = earlierOpsApp({ ngcKey: KEY })
    const res = await app.request('/api/nim/install', install({ image: IMAGE }))
    expect(res.status).toBe(428)
    expect((await res.json()).detail).toMatch(/send "confirm": true/)
    expect(calls).toEqual([])
    expect(audits).toEqual([
      expect.objectContaining({ action: 'nim.install', outcome: 'refused', actor: 'owner' }),
    ])
  })

  it('shows the commands on a dry run, with the key redacted and in no argv', async () => {
    const { app, calls } = earlierOpsApp({ ngcKey: KEY })
    const res = await app.request(
      '/api/nim/install',
      install({ image: IMAGE, env: { NIM_MAX_MODEL_LEN: '8192' }, dry_run: true }),
    )
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body).toMatchObject({
      dry_run: true,
      installed: false,
      node: 'spark-2',
      name: 'llama-3.1-8b-instruct',
      port: 8000,
      url: 'http://192.0.2.11:8000',
    })
    expect(body.commands.map((c: { argv: string[] }) => c.argv)).toEqual([
      ['docker', 'login', 'nvcr.io', '--username', '$oauthtoken', '--password-stdin'],
      ['docker', 'pull', '--quiet', IMAGE],
      [
        'docker',
        'run',
        '-d',
        '--restart',
        'unless-stopped',
        '--gpus',
        'all',
        '--name',
        'llama-3.1-8b-instruct',
        '-p',
        '8000:8000',
        '--env-file',
        '/dev/stdin',
        '-e',
        'NIM_MAX_MODEL_LEN=8192',
        IMAGE,
      ],
    ])
    expect(body.commands[0].display).toBe(
      "'docker' 'login' 'nvcr.io' '--username' '$oauthtoken' '--password-stdin' < [NGC_API_KEY redacted]",
    )
    expect(JSON.stringify(body)).not.toContain(KEY)
    expect(calls).toEqual([])
  })

  it('logs in with the key on stdin, pulls and runs, and answers the container id', async () => {
    const { app, calls, audits } = earlierOpsApp({ ngcKey: KEY, answer: runOk })
    const res = await app.request(
      '/api/nim/install',
      install({ image: IMAGE, node: 'spark-1', name: 'llm-nim', port: 8010, confirm: true }),
    )
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ installed: true, container_id: 'c0ffee1234', node: 'spark-1' })
    expect(calls.map((c) => [c.node, c.argv[1], c.stdin])).toEqual([
      ['spark-1', 'login', KEY],
      ['spark-1', 'pull', undefined],
      ['spark-1', 'run', `NGC_API_KEY=${KEY}\n`],
    ])
    expect(calls.flatMap((c) => c.argv).join(' ')).not.toContain(KEY)
    expect(audits).toEqual([
      expect.objectContaining({ action: 'nim.install', target: 'llm-nim', outcome: 'ok' }),
    ])
    expect(JSON.stringify(audits)).not.toContain(KEY)
  })

  it.each([
    ['an image outside nvcr.io/nim', { image: 'docker.io/library/ubuntu:latest' }, 'image'],
    ['an image with a shell word', { image: `${IMAGE};reboot` }, 'image'],
    ['a name with $(…)', { image: IMAGE, name: '$(reboot)' }, 'name'],
    ['a name with a space', { image: IMAGE, name: 'my nim' }, 'name'],
    ['a node that is an option', { image: IMAGE, node: '--privileged' }, 'node'],
    ['a port out of range', { image: IMAGE, port: 70000 }, 'port'],
    ['a lower-case env key', { image: IMAGE, env: { path: '/x' } }, 'env'],
    ['an env value with a newline', { image: IMAGE, env: { A: 'x\nB=y' } }, 'env'],
    ['NGC_API_KEY in env', { image: IMAGE, env: { NGC_API_KEY: 'mine' } }, 'env'],
  ])('refuses %s with 422 {"detail": [...]} and runs nothing', async (_what, body, field) => {
    const { app, calls } = earlierOpsApp({ ngcKey: KEY })
    const res = await app.request('/api/nim/install', install({ ...body, confirm: true }))
    expect(res.status).toBe(422)
    const detail = (await res.json()).detail
    expect(detail[0].loc).toContain(field)
    expect(calls).toEqual([])
  })

  it('refuses (409) while a swap uses the node, without a key, or on a service port; nothing run', async () => {
    const busy = earlierOpsApp({ ngcKey: KEY })
    busy.busy.push('spark-2')
    const cases = [
      [busy, { image: IMAGE, confirm: true }, /swap is using spark-2/],
      [earlierOpsApp(), { image: IMAGE, port: 8010, confirm: true }, /NGC_API_KEY is not configured/],
      [
        earlierOpsApp({ ngcKey: KEY }),
        { image: IMAGE, confirm: true },
        /Port 8000 on spark-2 belongs to the parakeet/,
      ],
    ] as const
    for (const [setup, body, message] of cases) {
      const res = await setup.app.request('/api/nim/install', install(body))
      expect(res.status).toBe(409)
      expect((await res.json()).detail).toMatch(message)
      expect(setup.calls).toEqual([])
      expect(setup.audits).toEqual([expect.objectContaining({ outcome: 'refused' })])
    }
  })

  it('answers a failed pull with 502 and a taken container name with 409, audited as failed', async () => {
    const pull = earlierOpsApp({
      ngcKey: KEY,
      answer: (argv) =>
        argv[1] === 'pull'
          ? { code: 1, stderr: 'Error response from daemon: manifest unknown' }
          : { code: 0 },
    })
    const res = await pull.app.request(
      '/api/nim/install',
      install({ image: IMAGE, port: 8010, confirm: true }),
    )
    expect(res.status).toBe(502)
    expect((await res.json()).detail).toMatch(
      /docker pull failed: Error response from daemon: manifest unknown/,
    )
    expect(pull.calls).toHaveLength(2)

    const taken = earlierOpsApp({
      ngcKey: KEY,
      answer: (argv) =>
        argv[1] === 'run'
          ? {
              code: 125,
              stderr:
                'docker: Error response from daemon: Conflict. The container name "/x" is already in use',
            }
          : { code: 0 },
    })
    const again = await taken.app.request(
      '/api/nim/install',
      install({ image: IMAGE, port: 8010, confirm: true }),
    )
    expect(again.status).toBe(409)
    expect(taken.audits).toEqual([expect.objectContaining({ outcome: 'failed' })])
  })

  it('answers 404 for a node not in the inventory', async () => {
    const { app } = earlierOpsApp({ ngcKey: KEY })
    const res = await app.request(
      '/api/nim/install',
      install({ image: IMAGE, node: 'spark-9', dry_run: true }),
    )
    expect(res.status).toBe(404)
  })
})
