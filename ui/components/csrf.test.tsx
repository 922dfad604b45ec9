import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { withCsrfToken } from '../../shared/auth/csrf-scope.ts'
import { toHtml } from '../status-stream.tsx'
import { CsrfField, CsrfMeta } from './csrf.tsx'

const UI = fileURLToPath(new URL('..', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return e.name.endsWith('.tsx') && !e.name.includes('.test.') ? [path] : []
  })
}

/** Each `<form …>` opening tag in a file and the text right after it. */
function forms(text: string): { tag: string; after: string }[] {
  const found: { tag: string; after: string }[] = []
  for (const m of text.matchAll(/<form\b/g)) {
    let depth = 0
    let end = m.index + 5
    for (; end < text.length; end++) {
      const ch = text[end]
      if (ch === '{') depth++
      else if (ch === '}') depth--
      else if (ch === '>' && depth === 0) break
    }
    found.push({ tag: text.slice(m.index, end + 1), after: text.slice(end + 1, end + 200) })
  }
  return found
}

describe('CSRF field', () => {
  it('renders the request token as a hidden field and a meta tag, nothing outside a request', async () => {
    expect(await toHtml(<CsrfField />)).toBe('')
    const html = await withCsrfToken('tok123', () => toHtml(<CsrfField />))
    expect(html).toBe('<input type="hidden" name="_csrf" value="tok123"/>')
    expect(await withCsrfToken('tok123', () => toHtml(<CsrfMeta />))).toBe(
      '<meta name="csrf-token" content="tok123"/>',
    )
  })

  it('is the first child of every form that posts in ui/ (ConfirmForm puts it first in its own)', () => {
    const missing: string[] = []
    let posting = 0
    for (const file of sources(UI)) {
      posting += readFileSync(file, 'utf8').split('<ConfirmForm').length - 1
      for (const { tag, after } of forms(readFileSync(file, 'utf8'))) {
        if (!/method="post"|hx-post|hx-delete|hx-put/.test(tag)) continue
        posting++
        if (!/^\s*<CsrfField \/>/.test(after))
          missing.push(`${file}: ${tag.replace(/\s+/g, ' ').slice(0, 80)}`)
      }
    }
    expect(posting).toBeGreaterThan(20)
    expect(missing).toEqual([])
  })
})
