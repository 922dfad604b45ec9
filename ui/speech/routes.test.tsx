/** The speech page: lanes, models and recent jobs from the status; the try-it forms with and without htmx. */
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../../shared/logger.ts'
import { buildDashboard } from '../app.tsx'
import { sampleStatus } from '../fixtures/sample-status.ts'
import type { DiarizedTranscriptBody, SpeechSource, SpeechStatusReport } from './source.ts'
import { SpeechSourceError } from './source.ts'
import { audioLength, jobWords } from './status.tsx'

const STATUS: SpeechStatusReport = {
  checked_at: '2030-01-01T12:00:00Z',
  lanes: [
    {
      lane: 'asr',
      limit: 1,
      running: 1,
      queued: 3,
      queued_by_priority: { interactive: 1, standard: 2, batch: 0 },
      ewma_s_per_work: 0.02,
      projected_wait_s: 42,
      served: 17,
      rejected: { quota: 1, deadline: 2, queue_full: 0 },
    },
    {
      lane: 'tts',
      limit: 2,
      running: 0,
      queued: 0,
      queued_by_priority: { interactive: 0, standard: 0, batch: 0 },
      ewma_s_per_work: 1,
      projected_wait_s: 0,
      served: 4,
      rejected: { quota: 0, deadline: 0, queue_full: 0 },
    },
  ],
  upstreams: [
    {
      name: 'parakeet',
      state: 'busy',
      why: 'health check slow while 1 of ours run',
      misses: 0,
      in_flight: 1,
    },
    { name: 'kokoro', state: 'down', why: 'connection refused', misses: 0, in_flight: 0 },
  ],
  recent: [
    {
      at: '2030-01-01T11:59:58Z',
      route: 'POST /v1/audio/transcriptions',
      status: 200,
      outcome: 'ok',
      lanes: ['asr', 'diarize'],
      audio_s: 65.2,
      queue_ms: 120,
      service_ms: 3400,
      total_ms: 3600,
    },
    {
      at: '2030-01-01T11:59:50Z',
      route: 'POST /api/audio/diarize-chunk',
      status: 503,
      outcome: 'refused',
      lanes: ['diarize'],
      audio_s: null,
      queue_ms: 0,
      service_ms: 0,
      total_ms: 3,
    },
  ],
}

const TRANSCRIPT: DiarizedTranscriptBody = {
  task: 'transcribe',
  duration: 12.5,
  text: 'Hello there. Hi, how are you?',
  segments: [
    { id: 'seg_0', speaker: 'Speaker_0', start: 0.5, end: 2, text: 'Hello there.' },
    { id: 'seg_1', speaker: 'Speaker_1', start: 2.5, end: 4, text: 'Hi, how are you?' },
  ],
}

function fakeSpeech(over: Partial<SpeechSource> = {}) {
  const calls: string[] = []
  const source: SpeechSource = {
    status: async () => STATUS,
    voices: async () => [
      { id: 'af_heart', name: 'Heart' },
      { id: 'bm_george', name: 'George' },
    ],
    transcribe: async (file) => {
      calls.push(`transcribe ${file.name} ${file.size}`)
      return TRANSCRIPT
    },
    speak: async (text, voice) => {
      calls.push(`speak ${voice} ${text}`)
      return { body: new Blob([new Uint8Array([0xff, 0xf3, 1, 2])]).stream(), contentType: 'audio/mpeg' }
    },
    ...over,
  }
  return { source, calls }
}

function dashboard(speech = fakeSpeech().source) {
  return buildDashboard({
    getStatus: () => Promise.resolve(sampleStatus(new Date('2030-01-01T12:00:08Z'))),
    simulated: true,
    logger: silentLogger(),
    shutdown: new AbortController().signal,
    speech,
  })
}

const upload = (htmx: boolean, file?: File): RequestInit => {
  const form = new FormData()
  if (file) form.set('file', file)
  const headers: Record<string, string> = htmx ? { 'HX-Request': 'true' } : {}
  return { method: 'POST', body: form, headers }
}

describe('GET /ui/speech', () => {
  it('shows each lane (running, waiting, limit, wait), each model in words, and the recent jobs', async () => {
    const res = await dashboard().request('/ui/speech')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<a href="/ui/speech" aria-current="page">Speech</a>')
    expect(html).toMatch(/<tr data-lane="asr" data-running="1" data-queued="3" data-limit="1">/)
    expect(html).toContain('42 s')
    expect(html).toMatch(
      /data-upstream="parakeet" data-state="busy"[\s\S]*?busy with our requests, still working/,
    )
    expect(html).toMatch(
      /data-upstream="kokoro" data-state="down"[\s\S]*?not working[\s\S]*?connection refused/,
    )
    expect(html).toMatch(/data-job-route="POST \/v1\/audio\/transcriptions" data-outcome="ok"[\s\S]*?1:05/)
    expect(html).toMatch(/data-outcome="refused"[\s\S]*?turned away \(busy\)/)
    expect(html).toContain('hx-get="/ui/fragments/speech/status"')
    expect(html).toContain('hx-trigger="every 2s"')
    // The forms work without JavaScript: real actions and methods, multipart for the file.
    expect(html).toMatch(
      /<form[^>]*method="post"[^>]*enctype="multipart\/form-data"[^>]*action="\/ui\/actions\/speech\/transcribe"/,
    )
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/ui\/speech\/say"/)
    expect(html).toContain('<option value="bm_george">George (bm_george)</option>')
  })

  it('says the speech service is not answering when the status cannot be read, and keeps the forms', async () => {
    const speech = fakeSpeech({
      status: () => Promise.reject(new Error('refused')),
      voices: () => Promise.reject(new Error('refused')),
    })
    const html = await (await dashboard(speech.source).request('/ui/speech')).text()
    expect(html).toContain('The speech service is not answering right now; retrying.')
    expect(html).toContain('The voice list is not available right now.')
    expect(html).toContain('data-action="transcribe"')
  })

  it('refreshes the status panel as a fragment', async () => {
    const res = await dashboard().request('/ui/fragments/speech/status')
    const html = await res.text()
    expect(html.startsWith('<section id="speech-status"')).toBe(true)
    expect(html).toContain('data-lane="tts"')
  })
})

describe('the try-it forms', () => {
  it('transcribes an upload into one line per turn, each with its speaker (htmx: the fragment)', async () => {
    const speech = fakeSpeech()
    const file = new File([new Uint8Array(2048)], 'meeting.wav', { type: 'audio/wav' })
    const res = await dashboard(speech.source).request('/ui/actions/speech/transcribe', upload(true, file))
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(speech.calls).toEqual(['transcribe meeting.wav 2048'])
    expect(html.startsWith('<div id="speech-transcript"')).toBe(true)
    expect(html).toMatch(/data-speaker="Speaker_0"[\s\S]*?Speaker_0<\/strong>: Hello there\./)
    expect(html).toMatch(/data-speaker="Speaker_1"[\s\S]*?Hi, how are you\?/)
    expect(html).toContain('data-speakers="2"')
  })

  it('without JavaScript the whole page comes back with the transcript in it', async () => {
    const file = new File([new Uint8Array(16)], 'a.wav')
    const res = await dashboard().request('/ui/actions/speech/transcribe', upload(false, file))
    const html = await res.text()
    expect(html).toContain('<!doctype html>')
    expect(html).toContain('Hello there.')
    expect(html).toContain('data-lane="asr"')
  })

  it('says what went wrong: no file, not audio (415), busy (503 with Retry-After)', async () => {
    const none = await (await dashboard().request('/ui/actions/speech/transcribe', upload(true))).text()
    expect(none).toContain('Choose a recording to transcribe.')
    for (const [err, words] of [
      [new SpeechSourceError(415, 'The file is not audio: ffprobe found a PNG image.'), 'not audio'],
      [new SpeechSourceError(503, 'The transcription queue is full.', 30), 'Try again in about 30 s.'],
    ] as const) {
      const speech = fakeSpeech({ transcribe: () => Promise.reject(err) })
      const file = new File([new Uint8Array(8)], 'x.png')
      const res = await dashboard(speech.source).request('/ui/actions/speech/transcribe', upload(true, file))
      expect(res.status).toBe(200)
      const html = await res.text()
      expect(html).toContain('role="alert"')
      expect(html).toContain(words)
    }
  })

  it('the player points an audio element at the say route, which streams the audio', async () => {
    const speech = fakeSpeech()
    const app = dashboard(speech.source)
    const player = await (
      await app.request('/ui/fragments/speech/player?text=Hello%20there&voice=af_heart')
    ).text()
    const src = /<audio[^>]*src="([^"]+)"/.exec(player)?.[1]?.replaceAll('&amp;', '&')
    expect(src).toBe('/ui/speech/say?text=Hello+there&voice=af_heart')
    const audio = await app.request(src!)
    expect(audio.status).toBe(200)
    expect(audio.headers.get('content-type')).toBe('audio/mpeg')
    expect(new Uint8Array(await audio.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xf3, 1, 2]))
    expect(speech.calls).toEqual(['speak af_heart Hello there'])
  })

  it('without JavaScript the form posts to the say route and gets the audio', async () => {
    const res = await dashboard().request('/ui/speech/say', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ text: 'Hi', voice: 'af_heart' }).toString(),
    })
    expect(res.headers.get('content-type')).toBe('audio/mpeg')
  })

  it('checks the text and voice before calling anything, and shows a refusal in words', async () => {
    const speech = fakeSpeech()
    const app = dashboard(speech.source)
    for (const q of [
      'text=&voice=af_heart',
      `text=${'a'.repeat(1001)}&voice=af_heart`,
      'text=hi&voice=a%3Bb',
    ]) {
      const res = await app.request(`/ui/speech/say?${q}`)
      expect(res.status, q).toBe(422)
      expect(await res.text()).toContain('role="alert"')
    }
    expect(speech.calls).toEqual([])
    const refused = fakeSpeech({
      speak: () => Promise.reject(new SpeechSourceError(400, "Voice 'zz' not found")),
    })
    const res = await dashboard(refused.source).request('/ui/speech/say?text=hi&voice=zz')
    const html = await res.text()
    expect(html).toContain('Voice &#39;zz&#39; not found')
    expect(html).toContain('>hi</textarea>')
  })
})

describe('words', () => {
  it('names the jobs and the audio lengths', () => {
    expect(jobWords('POST /api/audio/label-merge')).toBe('Speaker names')
    expect([audioLength(null), audioLength(5), audioLength(65.2), audioLength(3725)]).toEqual([
      '—',
      '0:05',
      '1:05',
      '1:02:05',
    ])
  })
})
