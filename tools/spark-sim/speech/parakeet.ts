/**
 * Simulated Parakeet ASR container (port 8000 on Spark 2) with the Sortformer/TitaNet patch the
 * earlier version applied to it. Routes:
 *
 *   GET  /health                      {"status":"ok"}
 *   GET  /v1/models                   OpenAI model list (nvidia/parakeet-tdt-0.6b-v3)
 *   POST /v1/audio/transcriptions     OpenAI multipart; json | text | srt | vtt | verbose_json
 *   POST /v1/audio/diarize            Sortformer on the whole file: {duration, segments:[{start,end,
 *                                     speaker,confidence}], speakers_detected, models}; with
 *                                     `fingerprints=true` (query or form) the diarize-chunk shape
 *   POST /v1/audio/diarize-chunk      always the diarize-chunk shape: {duration, segments:[{start_s,
 *                                     end_s,speaker,confidence}], speakers_detected, fingerprints:
 *                                     {Speaker_0:[192]}, models:{diarization,embedding}}
 *
 * Uploads stream to a temp dir (removed after every request), ffmpeg decodes to 16 kHz mono, and
 * the segment times and speakers come from real signal processing; only the words are simulated
 * (from registered ground truth where the speech matches it, truth-registry.ts). Labels, embedding
 * noise, word spacing, failures and late health follow the real servers (tools/spark-sim/README.md).
 * Errors use FastAPI's `{"detail": ...}` bodies, as the Python wrapper does.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Context } from 'hono'
import { analyzeFile, DecodeError } from './audio/decode.ts'
import type { Frames } from './audio/features.ts'
import { audioHash } from './audio/lexicon.ts'
import { MultipartError, type MultipartResult, readMultipart } from './audio/multipart.ts'
import { diarize } from './audio/speakers.ts'
import { ToolMissingError } from './audio/tools.ts'
import { detectSpeech, speechThresholdDb } from './audio/vad.ts'
import { type EmulatorContext, EmulatorError, type EmulatorHandle, startEmulator } from './emulator-server.ts'
import { type ParakeetOptions, resolveParakeetOptions } from './parakeet-config.ts'
import {
  PARAKEET_MODEL,
  RESPONSE_FORMATS,
  type ResponseFormat,
  render,
  transcribe,
} from './parakeet-formats.ts'
import { type LabelOrder, sortformerView } from './sortformer.ts'
import { buildIndex, type TruthIndex } from './truth-match.ts'
import { loadTruth, type TruthLine } from './truth-registry.ts'

export const DIARIZATION_MODEL = 'nvidia/diar_sortformer_4spk-v1'
export const EMBEDDING_MODEL = 'nvidia/speakerverification_en_titanet_large'

export type { ParakeetOptions } from './parakeet-config.ts'

export interface ParakeetHandle extends EmulatorHandle {
  /** Words as `" hello"` (true) or `"hello"` (false, the Spark-hosted Parakeet's way). */
  setLeadingSpaces(on: boolean): void
  setLabelOrder(order: LabelOrder): void
  /** Share of ground-truth words misheard from now on (0 = the script exactly). */
  setWordErrorRate(rate: number): void
}

const detail = (status: number, message: string) => new EmulatorError(status, { detail: message })

/** FastAPI's 422 for a missing form field. */
const missingField = (field: string) =>
  new EmulatorError(422, {
    detail: [{ type: 'missing', loc: ['body', field], msg: 'Field required', input: null }],
  })

interface Upload {
  form: MultipartResult
  frames: Frames
}

async function withUpload<T>(
  c: Context,
  ctx: EmulatorContext,
  tmpParent: string,
  work: (upload: Upload) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpParent, 'spark-sim-parakeet-'))
  try {
    const form = await readMultipart(c.req.raw.body, c.req.header('content-type'), dir, ctx.bodyLimitBytes)
    const file = form.files.find((f) => f.field === 'file')
    if (!file) throw missingField('file')
    const frames = await analyzeFile(file.path, { signal: c.req.raw.signal })
    return await work({ form, frames })
  } catch (err) {
    if (err instanceof MultipartError) throw detail(err.status, err.message)
    if (err instanceof DecodeError) throw detail(400, err.message)
    if (err instanceof ToolMissingError) throw detail(500, err.message)
    throw err
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const field = (form: MultipartResult, name: string) => form.fields.get(name)?.[0]
const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim())

/** The request's speakers as Sortformer would label them, with TitaNet-like noisy embeddings. */
function diarizeFrames(frames: Frames, order: LabelOrder) {
  const speech = detectSpeech(frames)
  const clean = diarize(frames, speech, speechThresholdDb(frames))
  return sortformerView(clean, parseInt(audioHash(frames, 0, frames.count - 1).slice(0, 8), 16), order)
}

/** The registry's index, rebuilt only when its set of lines changes. */
function truthSource(dir: string) {
  let seen: TruthLine[] = []
  let index: TruthIndex = buildIndex([])
  return async () => {
    if (!dir) return undefined
    const lines = await loadTruth(dir)
    if (lines.length !== seen.length || lines.some((l, i) => l !== seen[i])) {
      seen = lines
      index = buildIndex(lines)
    }
    return index
  }
}

export async function startParakeet(options: ParakeetOptions = {}): Promise<ParakeetHandle> {
  const resolved = resolveParakeetOptions(options)
  const tmpParent = resolved.tmpDir ?? tmpdir()
  const truth = truthSource(resolved.truthDir)
  let leadingSpaces = resolved.leadingSpaces
  let labelOrder = resolved.labelOrder
  let wordErrorRate = resolved.wordErrorRate
  const handle = await startEmulator(
    {
      name: 'parakeet',
      errorBody: (_status, message) => ({ detail: message }),
      routes(app, ctx) {
        app.get('/health', (c) => c.json({ status: 'ok' }))
        app.get('/v1/models', (c) =>
          c.json({
            object: 'list',
            data: [{ id: PARAKEET_MODEL, object: 'model', created: 1_747_000_000, owned_by: 'nvidia' }],
          }),
        )

        app.post('/v1/audio/transcriptions', (c) =>
          withUpload(c, ctx, tmpParent, async ({ form, frames }) => {
            const format = (field(form, 'response_format') ?? 'json').trim() as ResponseFormat
            if (!RESPONSE_FORMATS.includes(format))
              throw detail(
                400,
                `Unsupported response_format '${format}'; use one of ${RESPONSE_FORMATS.join(', ')}`,
              )
            const granularities = [
              ...(form.fields.get('timestamp_granularities[]') ?? []),
              ...(form.fields.get('timestamp_granularities') ?? []),
            ].flatMap((g) =>
              g
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean),
            )
            const bad = granularities.find((g) => g !== 'word' && g !== 'segment')
            if (bad) throw detail(400, `Unsupported timestamp granularity '${bad}'; use word or segment`)
            const transcript = transcribe(frames, await truth(), wordErrorRate)
            ctx.log.info(
              { durationS: transcript.duration, segments: transcript.segments.length },
              'transcribed',
            )
            return render(transcript, format, granularities, { leadingSpaces })
          }),
        )

        const chunkShape = (frames: Frames) => {
          const d = diarizeFrames(frames, labelOrder)
          return {
            duration: Math.round(frames.durationS * 1000) / 1000,
            segments: d.turns.map((t) => ({
              start_s: t.start,
              end_s: t.end,
              speaker: t.speaker,
              confidence: t.confidence,
            })),
            speakers_detected: d.speakers,
            fingerprints: d.fingerprints,
            models: { diarization: DIARIZATION_MODEL, embedding: EMBEDDING_MODEL },
          }
        }

        app.post('/v1/audio/diarize', (c) =>
          withUpload(c, ctx, tmpParent, async ({ form, frames }) => {
            if (truthy(c.req.query('fingerprints')) || truthy(field(form, 'fingerprints')))
              return c.json(chunkShape(frames))
            const d = diarizeFrames(frames, labelOrder)
            ctx.log.info({ speakers: d.speakers.length, turns: d.turns.length }, 'diarized')
            return c.json({
              duration: Math.round(frames.durationS * 1000) / 1000,
              segments: d.turns,
              speakers_detected: d.speakers,
              models: { diarization: DIARIZATION_MODEL },
            })
          }),
        )

        app.post('/v1/audio/diarize-chunk', (c) =>
          withUpload(c, ctx, tmpParent, async ({ frames }) => c.json(chunkShape(frames))),
        )
      },
    },
    resolved,
  )
  return Object.assign(handle, {
    setLeadingSpaces(on: boolean) {
      leadingSpaces = on
    },
    setLabelOrder(order: LabelOrder) {
      labelOrder = order
    },
    setWordErrorRate(rate: number) {
      wordErrorRate = Math.min(1, Math.max(0, rate))
    },
  })
}
