import { tmpdir } from 'node:os'
import type { AuditStore } from '../../shared/audit/store.ts'
import type { Logger } from '../../shared/logger.ts'
import { methodNotAllowed } from '../../shared/method-not-allowed.ts'
import { createMetrics, type Metrics } from '../../shared/metrics.ts'
import { createReadiness } from '../../shared/readiness.ts'
import { createService, type ServiceApp } from '../../shared/service.ts'
import type { LiveSettings } from '../../shared/settings/live.ts'
import { readPcm16k } from './adapters/ffmpeg.ts'
import type { SpeechUpstreams } from './adapters/upstreams.ts'
import { ffmpegTools, workspaces } from './adapters/workspace.ts'
import { SPEECH_CAPABILITIES } from './capabilities.ts'
import { type AdmissionConfig, laneSettings, type SpeechConfig } from './config.ts'
import { type Admission, createAdmission } from './domain/admission/admission.ts'
import { createDiarizer, type Diarizer } from './domain/diarize/pipeline.ts'
import { createLabelMerge } from './domain/label-merge/pipeline.ts'
import { sideWork } from './domain/label-merge/pipeline-sides.ts'
import { createRecentJobs, type RecentJobs } from './domain/recent-jobs.ts'
import { createPipeline, type Pipeline, type PipelineDeps } from './domain/transcribe/pipeline.ts'
import { mountAudit } from './routes/audit.ts'
import { diarizationRoutes } from './routes/diarization.ts'
import { earlierDiarizationRoutes } from './routes/diarization-earlier.ts'
import { earlierAudioRoutes } from './routes/earlier-audio.ts'
import { labelMergeRoutes } from './routes/label-merge.ts'
import { modelsRoutes } from './routes/models.ts'
import { speechRoutes } from './routes/speech.ts'
import { statusRoutes } from './routes/status.ts'
import { transcriptionRoutes } from './routes/transcriptions.ts'
import { voicesRoutes } from './routes/voices.ts'

export const SERVICE_NAME = 'speech-proxy'

/** Readiness waits this much longer than a health probe, so a slow probe can still report "busy". */
const READINESS_MARGIN_MS = 1000

export interface SpeechDeps {
  config: Pick<
    SpeechConfig,
    | 'SIMULATED_CLUSTER'
    | 'BODY_LIMIT_BYTES'
    | 'AUDIO_BODY_LIMIT_BYTES'
    | 'UPSTREAM_HEALTH_TIMEOUT_MS'
    | 'SPEECH_DEADLINE_S'
    | 'SPEECH_DIARIZE_DEADLINE_S'
    | 'SPEECH_LINK_THRESHOLD'
    | 'SPEECH_TTS_MAX_INPUT_CHARS'
    | 'KOKORO_SPEECH_TIMEOUT_MS'
  >
  logger: Logger
  upstreams: SpeechUpstreams
  /** Every request to a speech model runs through it (see `speechAdmission`). */
  admission: Admission
  metrics?: Metrics
  shutdown?: AbortSignal
  /** Unix seconds stamped on `/v1/models` entries; the process start by default. */
  created?: number
  /** How long `/v1/models` waits for Kokoro's voices. */
  voiceWaitMs?: number
  /** The transcription pipeline's local parts; ffmpeg and the OS temp dir by default. */
  transcription?: Partial<Pick<PipelineDeps, 'tools' | 'workspace' | 'chunking'>> & {
    tmpDir?: string
  }
  /** The service's audit log (`kit.audit`), read at `GET /api/speech-proxy/audit`. */
  audit?: AuditStore
}

export function buildApp(given: SpeechDeps): ServiceApp {
  // Every lane run of a request is counted in its entry of the status page's recent jobs.
  const recent = createRecentJobs()
  const deps = { ...given, admission: recent.observe(given.admission) }
  const { parakeet, kokoro } = deps.upstreams
  const readiness = createReadiness({
    service: SERVICE_NAME,
    checks: [parakeet.check, kokoro.check],
    capabilities: SPEECH_CAPABILITIES,
    simulated: deps.config.SIMULATED_CLUSTER,
    timeoutMs: deps.config.UPSTREAM_HEALTH_TIMEOUT_MS + READINESS_MARGIN_MS,
  })
  const app = createService({
    name: SERVICE_NAME,
    description: 'OpenAI-compatible speech: Parakeet transcription and Kokoro voices on Spark 2.',
    logger: deps.logger,
    readiness,
    metrics: deps.metrics,
    shutdown: deps.shutdown,
    // The service-wide limit is the outer gate, so it must admit audio uploads (413 above 200 MB,
    // as before); JSON-only routes added later apply BODY_LIMIT_BYTES themselves.
    bodyLimitBytes: Math.max(deps.config.BODY_LIMIT_BYTES, deps.config.AUDIO_BODY_LIMIT_BYTES),
    // receiveUpload counts a streamed upload as it arrives (413 past AUDIO_BODY_LIMIT_BYTES).
    countsMultipartItself: true,
  })
  followAudioRequests(app, recent)
  mountAudit(app, deps.audit)
  const created = deps.created ?? Math.floor(Date.now() / 1000)
  app.route('/', modelsRoutes({ stt: parakeet, tts: kokoro, created, voiceWaitMs: deps.voiceWaitMs }))
  app.route('/', voicesRoutes({ tts: kokoro }))
  const transcribing = transcriptionDeps(deps)
  app.route('/', transcriptionRoutes(transcribing))
  app.route('/', earlierAudioRoutes(transcribing))
  const diarizing = diarizationDeps(deps)
  app.route('/', diarizationRoutes(diarizing))
  app.route('/', earlierDiarizationRoutes(diarizing))
  app.route('/', labelMergeRoutes(labelMergeDeps(deps, transcribing.pipeline, diarizing.diarizer)))
  app.route('/', speechRoutes({ tts: kokoro, admission: deps.admission, config: deps.config }))
  app.route(
    '/',
    statusRoutes({
      admission: deps.admission,
      upstreams: [parakeet, kokoro],
      recent,
      refresh: () => readiness.report(),
    }),
  )
  // Last: a known path asked with another method is 405 with Allow (GET /api/audio/diarize), not 404.
  app.all('*', methodNotAllowed(app))
  return app
}

/** The pipeline behind the transcription routes: Parakeet through the admission lanes. */
function transcriptionDeps(deps: SpeechDeps) {
  const { tmpDir, ...parts } = deps.transcription ?? {}
  const pipeline = createPipeline({
    tools: ffmpegTools,
    workspace: workspaces(tmpDir),
    linkThreshold: deps.config.SPEECH_LINK_THRESHOLD,
    ...parts,
    engine: deps.upstreams.parakeet,
    lanes: deps.admission,
  })
  return {
    pipeline,
    deadlines: {
      asr: deps.config.SPEECH_DEADLINE_S * 1000,
      diarize: deps.config.SPEECH_DIARIZE_DEADLINE_S * 1000,
    },
    tmpDir: tmpDir ?? tmpdir(),
    maxBytes: deps.config.AUDIO_BODY_LIMIT_BYTES,
  }
}

/** The diarizer behind the diarization routes: Parakeet's diarize-chunk through the `diarize` lane. */
function diarizationDeps(deps: SpeechDeps) {
  const { tmpDir, tools, workspace } = deps.transcription ?? {}
  const diarizer = createDiarizer({
    tools: tools ?? ffmpegTools,
    workspace: workspace ?? workspaces(tmpDir),
    engine: deps.upstreams.parakeet,
    lanes: deps.admission,
    linkThreshold: deps.config.SPEECH_LINK_THRESHOLD,
  })
  return {
    diarizer,
    limits: { tmpDir: tmpDir ?? tmpdir(), maxBytes: deps.config.AUDIO_BODY_LIMIT_BYTES },
    deadlineS: deps.config.SPEECH_DIARIZE_DEADLINE_S,
  }
}

/** Label-merge over the same pipelines: words from the transcription pipeline, speakers from the diarizer. */
function labelMergeDeps(deps: SpeechDeps, transcriber: Pipeline, diarizer: Diarizer) {
  const { tmpDir, tools, workspace } = deps.transcription ?? {}
  const deadlines = {
    asr: deps.config.SPEECH_DEADLINE_S * 1000,
    diarize: deps.config.SPEECH_DIARIZE_DEADLINE_S * 1000,
  }
  const labelMerge = createLabelMerge({
    tools: tools ?? ffmpegTools,
    readPcm: readPcm16k,
    workspace: workspace ?? workspaces(tmpDir),
    ...sideWork({ transcriber, diarizer, deadlines }),
  })
  return { labelMerge, tmpDir: tmpDir ?? tmpdir(), maxBytes: deps.config.AUDIO_BODY_LIMIT_BYTES }
}

/** Each audio request (a POST under /v1/audio or /api/audio) becomes one entry of the recent jobs. */
function followAudioRequests(app: ServiceApp, recent: RecentJobs) {
  for (const path of ['/v1/audio/*', '/api/audio/*']) {
    app.use(path, async (c, next) => {
      if (c.req.method !== 'POST') return next()
      await recent.follow(`POST ${c.req.path.slice(0, 100)}`, async () => {
        await next()
        return c.res.status
      })
    })
  }
}

/**
 * The admission lanes from the configuration, publishing into `metrics` (the app's registry). Each
 * lane's running work counts as load on its upstream, so a slow health check then reads as busy.
 */
export function speechAdmission(
  config: AdmissionConfig,
  upstreams: SpeechUpstreams,
  metrics: Metrics,
): Admission {
  const { parakeet, kokoro } = upstreams
  return createAdmission({
    ...laneSettings(config),
    metrics,
    trackers: { asr: parakeet.inFlight, diarize: parakeet.inFlight, tts: kokoro.inFlight },
  })
}

/** The lane limits and queue bounds follow the Settings page: a save resizes the lanes, no restart. */
export function followLaneSettings(admission: Admission, settings: Pick<LiveSettings, 'get' | 'onChange'>) {
  return settings.onChange(() => {
    const queue = settings.get('SPEECH_QUEUE_MAX')
    admission.resize({
      limits: {
        asr: settings.get('SPEECH_LANE_ASR'),
        diarize: settings.get('SPEECH_LANE_DIARIZE'),
        tts: settings.get('SPEECH_LANE_TTS'),
      },
      maxQueue: { asr: queue, diarize: queue, tts: queue },
    })
  })
}

/** What main.ts and the tests build the app from: the real admission on the app's own registry. */
export function buildWithAdmission(
  deps: Omit<SpeechDeps, 'admission'> & { config: SpeechDeps['config'] & AdmissionConfig },
) {
  const metrics = deps.metrics ?? createMetrics(SERVICE_NAME)
  const admission = speechAdmission(deps.config, deps.upstreams, metrics)
  return { app: buildApp({ ...deps, metrics, admission }), admission, metrics }
}
