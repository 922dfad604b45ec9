/**
 * nginx as the reference reverse proxy (Debian package): a minimal generated config in a temp
 * directory, run in the foreground on a loopback port and stopped at the end. One worker process,
 * like the gateway's one event loop, so the comparison is one core against one core. It does the
 * same job as the gateway: keep-alive to the upstream, HTTP/1.1, no buffering either way (SSE and
 * uploads stream), X-Forwarded-* and a request id added.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { freePort, waitForHealth } from '../tools/stack/ports.ts'
import { stopChild } from './children.ts'

export const NGINX_BIN = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) =>
  existsSync(p),
)

export interface RunningNginx {
  url: string
  version: string
  /** The master process; its worker is its child. */
  pid: number
  stop(): Promise<void>
}

export function nginxConfig(dir: string, port: number, upstreamPort: number): string {
  const temp = (name: string) => join(dir, name)
  return `worker_processes 1;
error_log ${temp('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  keepalive_requests 1000000;
  keepalive_timeout 65s;
  upstream bench_upstream {
    server 127.0.0.1:${upstreamPort};
    keepalive 128;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Request-Id $request_id;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_buffering off;
      proxy_request_buffering off;
      proxy_read_timeout 300s;
    }
  }
}
`
}

export async function startNginx(dir: string, upstreamPort: number): Promise<RunningNginx> {
  if (!NGINX_BIN)
    throw new Error('nginx is not installed (apt-get install nginx, or scripts/setup-system.sh)')
  const version = spawnSync(NGINX_BIN, ['-v'], { encoding: 'utf8' })
    .stderr.trim()
    .replace(/^nginx version: /, '')
  const prefix = join(dir, 'nginx')
  await mkdir(prefix, { recursive: true })
  const port = await freePort()
  const conf = join(prefix, 'nginx.conf')
  await writeFile(conf, nginxConfig(prefix, port, upstreamPort))
  const pidFile = join(prefix, 'nginx.pid')
  const args = [
    '-p',
    prefix,
    '-e',
    join(prefix, 'error.log'),
    '-c',
    conf,
    '-g',
    `daemon off; pid ${pidFile};`,
  ]
  const child = spawn(NGINX_BIN, args, { stdio: ['ignore', 'inherit', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000)
  })
  const url = `http://127.0.0.1:${port}`
  const stop = () => stopChild(child)
  try {
    await waitForHealth(url, 10_000, () => child.exitCode === null)
  } catch (err) {
    await stop()
    throw new Error(`nginx did not start: ${(err as Error).message}\n${stderr}`)
  }
  // SIGTERM is nginx's fast shutdown; the master takes its worker with it.
  return { url, version, pid: child.pid!, stop }
}
