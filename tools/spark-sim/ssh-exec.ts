/** One command over SSH, for the simulator's own set-up steps (the preload of a model). */
import ssh2 from 'ssh2'
import { buildCommand } from '../../shared/ssh/quote.ts'

export interface SshExecRequest {
  host: string
  port: number
  user: string
  privateKey: string
  /** Argument vector; quoted by the shared helper exactly as the controller quotes its commands. */
  command: string[]
  timeoutMs?: number
}

export function runOverSsh(
  req: SshExecRequest,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client()
    const timer = setTimeout(() => {
      client.end()
      reject(new Error(`ssh command timed out after ${req.timeoutMs ?? 15_000} ms`))
    }, req.timeoutMs ?? 15_000)
    client.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    client.once('ready', () => {
      client.exec(buildCommand(req.command), (err, stream) => {
        if (err) {
          clearTimeout(timer)
          client.end()
          return reject(err)
        }
        let stdout = ''
        let stderr = ''
        stream.on('data', (d: Buffer) => (stdout += d.toString()))
        stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
        stream.on('close', (code: number | null) => {
          clearTimeout(timer)
          client.end()
          resolve({ code, stdout, stderr })
        })
      })
    })
    client.connect({
      host: req.host,
      port: req.port,
      username: req.user,
      privateKey: req.privateKey,
      readyTimeout: 5000,
    })
  })
}
