/** A capability not built yet reads "Not built yet" in a neutral tone: neither working nor down. */
import { describe, expect, it } from 'vitest'
import { sampleStatus } from '../fixtures/sample-status.ts'
import { toHtml } from '../status-stream.tsx'
import { StatusCards } from './status-cards.tsx'
import { StatusSummary } from './status-summary.tsx'

const NOW = new Date('2030-01-01T12:00:08Z')
const status = () => sampleStatus(NOW)

const item = (html: string, attr: string) => new RegExp(`<li [^>]*${attr}[\\s\\S]*?</li>`).exec(html)![0]

describe('capabilities on the overview', () => {
  it('lists each capability: built ones Up, the others "Not built yet" in the neutral tone', async () => {
    const html = await toHtml(<StatusCards view={{ ok: true, status: status() }} now={NOW} />)
    const chat = item(html, 'data-capability="chat"')
    expect(chat).toContain('tone-good')
    expect(chat).toContain('Up')
    const transcription = item(html, 'data-capability="transcription"')
    expect(transcription).toContain('data-state="not_built"')
    expect(transcription).toContain('tone-off')
    expect(transcription).toContain('Not built yet')
    expect(transcription).not.toMatch(/Down|Up|Working|tone-bad|tone-good/)
  })

  it('does not call a service Up when nothing it serves is built, nor an upstream used by nothing built', async () => {
    const html = await toHtml(<StatusCards view={{ ok: true, status: status() }} now={NOW} />)
    const search = item(html, 'data-card="service:vector-search"')
    expect(search).toContain('data-state="not_built"')
    expect(search).toContain('tone-off')
    expect(search).not.toContain('>Up<')
    // The speech-proxy serves the voice list already: it is up, and says what it does not do yet.
    expect(item(html, 'data-card="service:speech-proxy"')).toContain('data-state="up"')
    // Parakeet's own health is shown as it is, with the plain reason nothing uses it.
    const parakeet = item(html, 'data-card="upstream:parakeet"')
    expect(parakeet).toContain('data-state="up"')
    expect(parakeet).toContain('Not used yet: Transcription is not built yet.')
    expect(item(html, 'data-card="upstream:kokoro"')).not.toContain('Not used yet')
  })

  it('keeps a capability that is built but whose upstream is down red, with the reason', async () => {
    const s = status()
    s.capabilities = s.capabilities.map((c) =>
      c.name === 'chat'
        ? { ...c, state: 'down', ready: false, detail: 'vllm is down (connection refused)' }
        : c,
    )
    const chat = item(
      await toHtml(<StatusCards view={{ ok: true, status: s }} now={NOW} />),
      'data-capability="chat"',
    )
    expect(chat).toContain('tone-bad')
    expect(chat).toContain('vllm is down (connection refused)')
  })

  it('says under the summary, plainly, what this version does not do yet', async () => {
    const html = await toHtml(<StatusSummary view={{ ok: true, status: status() }} simulated />)
    expect(html).toContain(
      'Not built yet in this version: Transcription, Text to speech, Embeddings, Search, Redaction (scrub and rehydrate), The connectivity monitor.',
    )
    const none = { ...status(), capabilities: status().capabilities.filter((c) => c.state !== 'not_built') }
    expect(await toHtml(<StatusSummary view={{ ok: true, status: none }} simulated />)).not.toContain(
      'Not built yet',
    )
  })
})
