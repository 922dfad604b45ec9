/** `DISABLED_SERVICES` (earlier v0.24): hidden upstreams show `disabled: true` in discovery. */
import { describe, expect, it } from 'vitest'
import { compatTarget } from './target.ts'

const target = compatTarget('disabled', { DISABLED_SERVICES: 'kokoro,qdrant' })

describe.runIf(!process.env.COMPAT_BASE_URL)('DISABLED_SERVICES', () => {
  it('marks the listed upstreams disabled and not ready, and leaves the rest alone', async () => {
    const body = await (await fetch(target.url('/api/endpoints'))).json()
    expect(body.kokoro).toMatchObject({ disabled: true, ready: false, status: 'disabled' })
    expect(body.qdrant).toMatchObject({ disabled: true, ready: false, status: 'disabled' })
    expect(body.vllm).toMatchObject({ disabled: false, ready: true, status: 'ready' })
    // Not disabled, answering, and its own routes are built: ready, with transcription up.
    expect(body.parakeet).toMatchObject({ disabled: false, ready: true, status: 'ready' })
    expect(body.parakeet.capabilities).toMatchObject({ transcription: 'up' })
  })

  it('does not count a disabled upstream as a problem', async () => {
    const status = await (await fetch(target.url('/api/status'))).json()
    expect(status.overall).toBe('ok')
  })
})
