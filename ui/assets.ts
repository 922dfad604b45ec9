/**
 * The dashboard's static files: htmx and its SSE extension straight from node_modules (never a
 * CDN — the cluster lives on a LAN that may have no internet), plus our own CSS and the one small
 * script (the live feed's connection state, and why an action was refused). Everything is read
 * once at start-up, so a request never touches disk.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Context } from 'hono'

export interface Asset {
  /** Public path, e.g. `/static/htmx.min.js`. */
  path: string
  body: Uint8Array<ArrayBuffer>
  contentType: string
  /** Short content hash; also the `?v=` pages put on the URL so browsers can cache for a year. */
  version: string
  etag: string
}

export type AssetName = 'htmx' | 'sse' | 'css' | 'script' | 'icon'

const JS = 'text/javascript; charset=utf-8'
const CSS = 'text/css; charset=utf-8'

/** A package file, resolved the same way on Node and Deno (both honour import.meta.resolve). */
const packageFile = (specifier: string) => fileURLToPath(import.meta.resolve(specifier))

/**
 * One of our own files under ui/static. When the code runs compiled from dist/ui/, the static
 * folder is not copied by tsc, so the source tree beside dist/ is the second place to look.
 */
function ownFile(name: string): string {
  const candidates = [
    new URL(`./static/${name}`, import.meta.url),
    new URL(`../../ui/static/${name}`, import.meta.url),
  ]
  for (const url of candidates) {
    const path = fileURLToPath(url)
    if (existsSync(path)) return path
  }
  throw new Error(`ui/static/${name} is missing; the dashboard cannot start without it`)
}

function load(path: string, file: string, contentType: string): Asset {
  const body = new Uint8Array(readFileSync(file))
  const version = createHash('sha256').update(body).digest('hex').slice(0, 12)
  return { path, body, contentType, version, etag: `"${version}"` }
}

export type Assets = Record<AssetName, Asset>

export function loadAssets(): Assets {
  return {
    htmx: load('/static/htmx.min.js', packageFile('htmx.org/dist/htmx.min.js'), JS),
    sse: load('/static/htmx-ext-sse.min.js', packageFile('htmx-ext-sse/dist/sse.min.js'), JS),
    css: load('/static/style.css', ownFile('style.css'), CSS),
    script: load('/static/dashboard.js', ownFile('dashboard.js'), JS),
    icon: load('/static/favicon.svg', ownFile('favicon.svg'), 'image/svg+xml'),
  }
}

/** The URL a page links to: the content hash makes a long cache safe across upgrades. */
export const assetUrl = (asset: Asset) => `${asset.path}?v=${asset.version}`

const YEAR_S = 365 * 24 * 3600

export function serveAsset(c: Context, asset: Asset): Response {
  // A matching ?v= means the URL names this exact content, so it can never go stale.
  const pinned = c.req.query('v') === asset.version
  const headers: Record<string, string> = {
    'Content-Type': asset.contentType,
    'Cache-Control': pinned ? `public, max-age=${YEAR_S}, immutable` : 'public, max-age=300, must-revalidate',
    ETag: asset.etag,
    'X-Content-Type-Options': 'nosniff',
  }
  const ifNoneMatch = c.req.header('If-None-Match')
  if (ifNoneMatch?.split(',').some((tag) => tag.trim() === asset.etag)) {
    return new Response(null, { status: 304, headers })
  }
  return new Response(asset.body, {
    status: 200,
    headers: { ...headers, 'Content-Length': String(asset.body.byteLength) },
  })
}
