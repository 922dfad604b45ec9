/**
 * How busy speech is: each lane's limit, running and waiting requests, each speech model's state in
 * words (busy is not down), and the latest jobs. The panel re-fetches itself every 2 s, like the
 * other live parts of the dashboard.
 */
import { clockUtc, duration } from '../swap/format.ts'
import { SPEECH_PATHS } from './paths.ts'
import type { SpeechLaneStatus, SpeechRecentJob, SpeechStatusReport, SpeechUpstreamStatus } from './source.ts'

/** The newest few; the speech-proxy keeps more. */
const SHOWN_JOBS = 15

const LANE_WORDS: Record<SpeechLaneStatus['lane'], string> = {
  asr: 'Transcription',
  diarize: 'Who spoke when',
  tts: 'Text to speech',
}

const UPSTREAM_WORDS: Record<SpeechUpstreamStatus['name'], string> = {
  parakeet: 'Parakeet (speech recognition and speakers)',
  kokoro: 'Kokoro (voices)',
}

const STATE_WORDS: Record<SpeechUpstreamStatus['state'], { text: string; tone: string }> = {
  up: { text: 'working', tone: 'good' },
  busy: { text: 'busy with our requests, still working', tone: 'busy' },
  degraded: { text: 'answering slowly', tone: 'warn' },
  down: { text: 'not working', tone: 'bad' },
}

const OUTCOME_WORDS: Record<SpeechRecentJob['outcome'], { text: string; tone: string }> = {
  ok: { text: 'done', tone: 'good' },
  refused: { text: 'turned away (busy)', tone: 'warn' },
  rejected: { text: 'refused (bad request)', tone: 'warn' },
  failed: { text: 'failed', tone: 'bad' },
  cancelled: { text: 'cancelled by the caller', tone: 'off' },
}

/** The route as a person names the job. */
export function jobWords(route: string): string {
  if (route.endsWith('/transcriptions')) return 'Transcription'
  if (route.endsWith('/speech')) return 'Text to speech'
  if (route.endsWith('/transcribe-with-speakers')) return 'Transcript with speakers'
  if (route.endsWith('/diarize') || route.endsWith('/diarize-chunk') || route.endsWith('/diarization'))
    return 'Who spoke when'
  if (route.endsWith('/label-merge')) return 'Speaker names'
  return route
}

/** "1:05" for audio lengths; — when none was sent. */
export function audioLength(seconds: number | null): string {
  if (seconds === null) return '—'
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, '0')}`
  return h > 0 ? `${h}:${mmss.padStart(5, '0')}` : mmss
}

function Lanes({ lanes }: { lanes: SpeechLaneStatus[] }) {
  return (
    <div class="table-wrap">
      <table class="speech-lanes">
        <caption>Queues: each kind of work runs a few requests at a time; the rest wait their turn.</caption>
        <thead>
          <tr>
            <th scope="col">Work</th>
            <th scope="col">Running</th>
            <th scope="col">Waiting</th>
            <th scope="col">At most at once</th>
            <th scope="col">A new request would wait</th>
            <th scope="col">Done</th>
            <th scope="col">Turned away</th>
          </tr>
        </thead>
        <tbody>
          {lanes.map((l) => (
            <tr data-lane={l.lane} data-running={l.running} data-queued={l.queued} data-limit={l.limit}>
              <th scope="row">{LANE_WORDS[l.lane]}</th>
              <td>{l.running}</td>
              <td>{l.queued}</td>
              <td>{l.limit}</td>
              <td>{l.queued + l.running === 0 ? 'nothing' : duration(l.projected_wait_s * 1000)}</td>
              <td>{l.served}</td>
              <td>{l.rejected.quota + l.rejected.deadline + l.rejected.queue_full}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Upstreams({ upstreams }: { upstreams: SpeechUpstreamStatus[] }) {
  return (
    <ul class="speech-upstreams">
      {upstreams.map((u) => (
        <li data-upstream={u.name} data-state={u.state} class={`tone-${STATE_WORDS[u.state].tone}`}>
          <strong>{UPSTREAM_WORDS[u.name]}</strong>: <span class="badge">{STATE_WORDS[u.state].text}</span>{' '}
          <span class="muted">({u.why})</span>
        </li>
      ))}
    </ul>
  )
}

function RecentJobs({ jobs }: { jobs: SpeechRecentJob[] }) {
  if (jobs.length === 0) return <p class="muted">No speech requests since the service started.</p>
  return (
    <div class="table-wrap">
      <table class="speech-jobs">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Audio</th>
            <th scope="col">How it went</th>
            <th scope="col">Waited</th>
            <th scope="col">Worked</th>
          </tr>
        </thead>
        <tbody>
          {jobs.slice(0, SHOWN_JOBS).map((j) => (
            <tr data-job-route={j.route} data-outcome={j.outcome} data-status={j.status}>
              <td>{clockUtc(j.at, true)}</td>
              <td>{jobWords(j.route)}</td>
              <td>{audioLength(j.audio_s)}</td>
              <td class={`tone-${OUTCOME_WORDS[j.outcome].tone}`}>
                {OUTCOME_WORDS[j.outcome].text} <span class="muted">({j.status})</span>
              </td>
              <td>{duration(j.queue_ms)}</td>
              <td>{duration(j.service_ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function SpeechStatusPanel({ status }: { status: SpeechStatusReport | null }) {
  return (
    <section
      id="speech-status"
      aria-labelledby="speech-status-h"
      hx-get={SPEECH_PATHS.status}
      hx-trigger="every 2s"
      hx-swap="outerHTML"
    >
      <h2 id="speech-status-h">How busy speech is</h2>
      {status === null ? (
        <p class="muted" data-unavailable="">
          The speech service is not answering right now; retrying.
        </p>
      ) : (
        <>
          <Upstreams upstreams={status.upstreams} />
          <Lanes lanes={status.lanes} />
          <h3>Recent jobs</h3>
          <RecentJobs jobs={status.recent} />
        </>
      )}
    </section>
  )
}
