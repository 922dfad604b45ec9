/** A real ssh2 client for the simulator's tests: one connection, `exec` → {stdout, stderr, code}. */
import ssh2 from 'ssh2'
import { generateEd25519KeyPair } from '../../../shared/ssh/keygen.ts'

const { Client } = ssh2

export interface ExecResult {
  stdout: string
  stderr: string
  code: number | null
}

export function generateClientKey(): { privateKey: string; publicLine: string } {
  const pair = generateEd25519KeyPair('spark-sim-test')
  return { privateKey: pair.private, publicLine: pair.public }
}

export class TestSsh {
  private constructor(readonly client: ssh2.Client) {}

  static connect(port: number, privateKey: string, username = 'sparkuser'): Promise<TestSsh> {
    return new Promise((resolve, reject) => {
      const client = new Client()
      client.once('ready', () => {
        client.setNoDelay(true)
        client.off('error', reject)
        // A dropped connection surfaces as an 'error' event; tests observe it through 'close'.
        client.on('error', () => undefined)
        resolve(new TestSsh(client))
      })
      client.once('error', reject)
      client.connect({ host: '127.0.0.1', port, username, privateKey, readyTimeout: 5000 })
    })
  }

  /**
   * Runs one command; `onData` sees stdout as it streams; `signal` closes the channel early; `stdin`
   * is written and then EOF sent, as the controller's SSH client always does.
   */
  exec(
    command: string,
    opts: { onData?: (s: string) => void; signal?: AbortSignal; stdin?: string } = {},
  ): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) return reject(err)
        let stdout = ''
        let stderr = ''
        let code: number | null = null
        opts.signal?.addEventListener('abort', () => stream.close(), { once: true })
        stream.on('data', (d: Buffer) => {
          stdout += d.toString()
          opts.onData?.(d.toString())
        })
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
        stream.on('exit', (c: number | null) => (code = c))
        stream.on('close', () => resolve({ stdout, stderr, code }))
        if (opts.stdin !== undefined) stream.end(opts.stdin)
      })
    })
  }

  end(): void {
    this.client.end()
  }
}
