/**
 * The dashboard's speech page, its self-refreshing status and the try-it forms. Values from the
 * request are checked here before anything is sent (text length, voice syntax, a file present);
 * the speech-proxy's refusals (413, 415, 503 busy…) are shown in its words. htmx swaps only 2xx,
 * so answers to htmx are 200 with the notice inside.
 */
import { type Context, Hono } from 'hono'
import type { Logger } from '../../shared/logger.ts'
import type { AppEnv } from '../../shared/service.ts'
import { isHtmx } from '../actions.ts'
import type { Notice } from '../components/notice.tsx'
import type { Chrome } from '../layout/layout.tsx'
import { SpeechPage, type SpeechPageData } from '../pages/speech.tsx'
import { chromeFor, fragment, page, pageReader } from '../respond.ts'
import { SAY_MAX_CHARS, SPEECH_PATHS } from './paths.ts'
import { type SpeechSource, SpeechSourceError } from './source.ts'
import { SpeechStatusPanel } from './status.tsx'
import { Player, type TranscriptResult, TranscriptView } from './try-it.tsx'

export interface SpeechDashboardDeps {
  speech: SpeechSource
  chrome: Chrome
  logger: Logger
}

/** A voice id or a Kokoro blend (`af_bella(2)+af_sky(1)`). */
const VOICE = /^[A-Za-z0-9_.()+-]{1,120}$/

/** The speech-proxy's refusal in words a person can act on. */
function speechNotice(err: unknown): Notice {
  if (err instanceof SpeechSourceError) {
    const later = err.retryAfterS ? ` Try again in about ${err.retryAfterS} s.` : ''
    const tone = err.status === 503 || err.status === 429 ? 'warn' : 'bad'
    return { tone, text: `${err.message}${later}` }
  }
  const status = (err as { status?: number }).status
  const text =
    status === 504
      ? 'The speech service took too long to answer.'
      : `The speech service could not be reached: ${(err as Error).message}`
  return { tone: 'bad', text }
}

/** The text and voice to say, or what is wrong with them. */
function sayInput(text: unknown, voice: unknown): { text: string; voice: string } | Notice {
  const t = typeof text === 'string' ? text.trim() : ''
  const v = typeof voice === 'string' ? voice.trim() : ''
  if (!t) return { tone: 'bad', text: 'Type some text to say.' }
  if (t.length > SAY_MAX_CHARS)
    return {
      tone: 'bad',
      text: `That is ${t.length} characters; the try-it form says up to ${SAY_MAX_CHARS}.`,
    }
  if (!VOICE.test(v)) return { tone: 'bad', text: 'Pick a voice from the list.' }
  return { text: t, voice: v }
}

export function speechDashboardRoutes(deps: SpeechDashboardDeps): Hono<AppEnv> {
  const { speech, chrome } = deps
  const app = new Hono<AppEnv>()
  const read = pageReader(deps.logger, 'speech')

  async function pageData(c: Context<AppEnv>, transcript: TranscriptResult | null): Promise<SpeechPageData> {
    const [status, voices] = await Promise.all([
      read(c, 'status', speech.status(c.req.raw.signal)),
      read(c, 'voices', speech.voices(c.req.raw.signal)),
    ])
    return { status, say: { voices }, transcript }
  }

  app.get(SPEECH_PATHS.page, async (c) =>
    page(c, <SpeechPage chrome={chromeFor(chrome, c)} data={await pageData(c, null)} />),
  )

  app.get(SPEECH_PATHS.status, async (c) =>
    fragment(c, <SpeechStatusPanel status={await read(c, 'status', speech.status(c.req.raw.signal))} />),
  )

  app.post(SPEECH_PATHS.transcribe, async (c) => {
    // The try-it file is at most the dashboard's body limit (10 MB), so reading it whole is bounded.
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    const file = form.file
    let result: TranscriptResult
    if (!(file instanceof File) || file.size === 0) {
      result = { notice: { tone: 'bad', text: 'Choose a recording to transcribe.' }, transcript: null }
    } else {
      try {
        result = {
          notice: null,
          transcript: await speech.transcribe(file, c.req.raw.signal),
          filename: file.name,
        }
      } catch (err) {
        result = { notice: speechNotice(err), transcript: null }
      }
    }
    if (isHtmx(c)) return fragment(c, <TranscriptView result={result} />)
    return page(c, <SpeechPage chrome={chromeFor(chrome, c)} data={await pageData(c, result)} />)
  })

  app.get(SPEECH_PATHS.player, (c) => {
    const input = sayInput(c.req.query('text'), c.req.query('voice'))
    if ('tone' in input) return fragment(c, <Player notice={input} />)
    return fragment(c, <Player text={input.text} voice={input.voice} />)
  })

  /** The audio: GET for the player's source, POST for the form without JavaScript. */
  async function say(c: Context<AppEnv>, text: unknown, voice: unknown) {
    const input = sayInput(text, voice)
    let sayNotice: Notice
    if ('tone' in input) sayNotice = input
    else {
      try {
        const audio = await speech.speak(input.text, input.voice, c.req.raw.signal)
        return new Response(audio.body, {
          status: 200,
          headers: { 'Content-Type': audio.contentType, 'Cache-Control': 'no-store' },
        })
      } catch (err) {
        ;(c.var.log ?? deps.logger).warn(
          { reason: (err as Error).message },
          'dashboard: speech try-it failed',
        )
        sayNotice = speechNotice(err)
      }
    }
    const data = await pageData(c, null)
    const kept = 'tone' in input ? {} : input
    const body = (
      <SpeechPage
        chrome={chromeFor(chrome, c)}
        data={{ ...data, say: { ...data.say, ...kept }, sayNotice }}
      />
    )
    return page(c, body, 'tone' in input ? 422 : 200)
  }
  app.get(SPEECH_PATHS.say, (c) => say(c, c.req.query('text'), c.req.query('voice')))
  app.post(SPEECH_PATHS.say, async (c) => {
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>)
    return say(c, form.text, form.voice)
  })
  return app
}
