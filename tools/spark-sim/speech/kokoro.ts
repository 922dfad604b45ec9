/**
 * Simulated Kokoro-FastAPI (port 8880 on Spark 2), speaking with espeak-ng. Routes:
 *
 *   GET  /health             {"status":"healthy"}
 *   GET  /v1/models          OpenAI model list (kokoro, tts-1, tts-1-hd, gpt-4o-mini-tts)
 *   GET  /v1/audio/voices    {"voices":[{"id","name"}]} (v0.4+); `?legacy=true` → {"voices":["af_heart",…]}
 *   POST /v1/audio/speech    {model, input, voice, response_format, speed, stream, volume_multiplier}
 *                            → audio bytes; `stream` defaults to true like Kokoro (chunked, no length)
 *
 * Errors keep Kokoro's FastAPI shapes: `{"detail":{"error","message","type"}}` for its own checks
 * (unknown voice/model, empty input → 400) and pydantic's 422 list for malformed fields.
 */
import { z } from 'zod'
import { ToolMissingError } from './audio/tools.ts'
import { EmulatorError, type EmulatorHandle, type EmulatorOptions, startEmulator } from './emulator-server.ts'
import { type KokoroPacing, paced } from './kokoro-pacing.ts'
import {
  AUDIO_FORMATS,
  CONTENT_TYPES,
  type SynthRequest,
  synthesizeFile,
  synthesizeStream,
} from './kokoro-synth.ts'
import { espeakVoiceFor, KOKORO_VOICES, parseVoice, VoiceError } from './kokoro-voices.ts'

export const KOKORO_MODELS = ['kokoro', 'tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'] as const
const MAX_INPUT_CHARS = 50_000

const SpeechRequest = z.object({
  model: z.string().default('kokoro'),
  input: z.string(),
  voice: z.string().default('af_heart'),
  response_format: z.enum(AUDIO_FORMATS).default('mp3'),
  speed: z.number().min(0.25).max(4).default(1),
  stream: z.boolean().default(true),
  volume_multiplier: z.number().min(0).max(10).default(1),
})

const kokoroError = (status: number, error: string, message: string) =>
  new EmulatorError(status, {
    detail: { error, message, type: status < 500 ? 'invalid_request_error' : 'server_error' },
  })

/** pydantic v2's 422 body, which FastAPI returns for fields that do not validate. */
function pydantic422(raw: unknown, issues: z.core.$ZodIssue[]) {
  const valueAt = (path: PropertyKey[]) =>
    path.reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
      raw,
    )
  return new EmulatorError(422, {
    detail: issues.map((i) => {
      const input = valueAt(i.path)
      const missing = i.code === 'invalid_type' && input === undefined
      return {
        type: missing ? 'missing' : i.code,
        loc: ['body', ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))],
        msg: missing ? 'Field required' : i.message,
        input: input ?? null,
      }
    }),
  })
}

export function startKokoro(options: EmulatorOptions & KokoroPacing = {}): Promise<EmulatorHandle> {
  return startEmulator(
    {
      name: 'kokoro',
      errorBody: (status, message) => ({
        detail: {
          error: status === 413 ? 'payload_too_large' : 'processing_error',
          message,
          type: 'server_error',
        },
      }),
      routes(app, ctx) {
        app.get('/health', (c) => c.json({ status: 'healthy' }))
        app.get('/v1/models', (c) =>
          c.json({
            object: 'list',
            data: KOKORO_MODELS.map((id) => ({
              id,
              object: 'model',
              created: 1_686_935_002,
              owned_by: 'kokoro',
            })),
          }),
        )
        app.get('/v1/audio/voices', (c) =>
          /^(1|true)$/i.test(c.req.query('legacy') ?? '')
            ? c.json({ voices: [...KOKORO_VOICES] })
            : c.json({ voices: KOKORO_VOICES.map((id) => ({ id, name: id })) }),
        )

        app.post('/v1/audio/speech', async (c) => {
          let raw: unknown
          try {
            raw = JSON.parse(await ctx.readText(c))
          } catch (err) {
            if (err instanceof EmulatorError) throw err
            throw new EmulatorError(422, {
              detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }],
            })
          }
          const parsed = SpeechRequest.safeParse(raw)
          if (!parsed.success) throw pydantic422(raw, parsed.error.issues)
          const body = parsed.data
          if (!(KOKORO_MODELS as readonly string[]).includes(body.model))
            throw kokoroError(400, 'invalid_model', `Unsupported model: ${body.model}`)
          if (!body.input.trim()) throw kokoroError(400, 'validation_error', 'Input text cannot be empty')
          if (body.input.length > MAX_INPUT_CHARS)
            throw kokoroError(
              400,
              'validation_error',
              `Input text is longer than ${MAX_INPUT_CHARS} characters`,
            )
          let voice: SynthRequest['voice']
          try {
            voice = espeakVoiceFor(parseVoice(body.voice))
          } catch (err) {
            if (err instanceof VoiceError) throw kokoroError(400, 'validation_error', err.message)
            throw err
          }
          const req: SynthRequest = {
            text: body.input,
            voice,
            format: body.response_format,
            speed: body.speed,
            volume: body.volume_multiplier,
          }
          const headers: Record<string, string> = {
            'Content-Type': CONTENT_TYPES[req.format],
            'Content-Disposition': `attachment; filename=speech.${req.format}`,
            'Cache-Control': 'no-cache',
          }
          ctx.log.info({ chars: req.text.length, format: req.format, stream: body.stream }, 'synthesising')
          options.onStream?.('started')
          try {
            if (!body.stream) {
              const bytes = await synthesizeFile(req, c.req.raw.signal)
              options.onStream?.('finished')
              return new Response(bytes, {
                headers: { ...headers, 'Content-Length': String(bytes.byteLength) },
              })
            }
            const stream = paced(await synthesizeStream(req, c.req.raw.signal), options)
            // Kokoro's streaming headers: no length, and tell proxies not to buffer.
            return new Response(stream, { headers: { ...headers, 'X-Accel-Buffering': 'no' } })
          } catch (err) {
            options.onStream?.(c.req.raw.signal.aborted ? 'cancelled' : 'failed')
            if (err instanceof ToolMissingError) throw kokoroError(500, 'processing_error', err.message)
            ctx.log.error({ err }, 'synthesis failed')
            throw kokoroError(500, 'processing_error', 'Speech generation failed')
          }
        })
      },
    },
    options,
  )
}
