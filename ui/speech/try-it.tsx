/**
 * The try-it forms: a recording in, its transcript with speakers out; text in, its speech out.
 * Both are plain forms (they work without JavaScript: the transcript comes back in the page, the
 * speech opens as audio); with htmx the answer lands in place.
 */

import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { DEFAULT_VOICE, SAY_MAX_CHARS, SPEECH_PATHS, sayUrl } from './paths.ts'
import type { DiarizedTranscriptBody, SpeechVoice } from './source.ts'
import { audioLength } from './status.tsx'

export interface TranscriptResult {
  notice: Notice | null
  transcript: DiarizedTranscriptBody | null
  filename?: string
}

const clock = (s: number) => audioLength(s)

/** Each speaker's turns in order, one line per segment, the speaker named on each. */
export function TranscriptView({ result }: { result: TranscriptResult | null }) {
  const t = result?.transcript
  return (
    <div id="speech-transcript" aria-live="polite">
      <NoticeBox notice={result?.notice} />
      {t ? (
        <>
          <p class="muted" data-speakers={new Set(t.segments.map((s) => s.speaker)).size}>
            {result?.filename ? `${result.filename}: ` : ''}
            {audioLength(t.duration)} long, {new Set(t.segments.map((s) => s.speaker)).size} speaker(s).
          </p>
          {t.segments.length === 0 ? <p class="muted">Nothing was said in this recording.</p> : null}
          <ol class="transcript">
            {t.segments.map((s) => (
              <li data-speaker={s.speaker} data-start={s.start}>
                <span class="muted">{clock(s.start)}</span> <strong>{s.speaker}</strong>: {s.text}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  )
}

export function TranscribeForm() {
  return (
    <form
      class="speech-form"
      method="post"
      enctype="multipart/form-data"
      action={SPEECH_PATHS.transcribe}
      hx-post={SPEECH_PATHS.transcribe}
      hx-encoding="multipart/form-data"
      hx-target="#speech-transcript"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <CsrfField />
      <label for="speech-file">A recording (wav, mp3, m4a, ogg, webm, flac; up to 10 MB here)</label>
      <input id="speech-file" type="file" name="file" accept="audio/*,video/webm" required />
      <button type="submit" class="button button-primary" data-action="transcribe">
        Transcribe with speakers
      </button>
    </form>
  )
}

export interface SayData {
  voices: SpeechVoice[] | null
  text?: string
  voice?: string
}

export function SayForm({ data }: { data: SayData }) {
  const chosen = data.voice ?? DEFAULT_VOICE
  const voices = data.voices?.length ? data.voices : [{ id: chosen, name: chosen }]
  return (
    <form
      class="speech-form"
      method="post"
      action={SPEECH_PATHS.say}
      hx-get={SPEECH_PATHS.player}
      hx-target="#speech-player"
      hx-swap="outerHTML"
    >
      <CsrfField />
      <label for="speech-text">Text to say</label>
      <textarea id="speech-text" name="text" rows={3} maxlength={SAY_MAX_CHARS} required>
        {data.text ?? ''}
      </textarea>
      <label for="speech-voice">Voice</label>
      <select id="speech-voice" name="voice">
        {voices.map((v) => (
          <option value={v.id} selected={v.id === chosen}>
            {v.name === v.id ? v.id : `${v.name} (${v.id})`}
          </option>
        ))}
      </select>
      {data.voices === null ? <p class="muted">The voice list is not available right now.</p> : null}
      <button type="submit" class="button button-primary" data-action="say">
        Say it
      </button>
    </form>
  )
}

/** The audio of the text, loaded from the say route when the person presses play (or at once). */
export function Player({ text, voice, notice }: { text?: string; voice?: string; notice?: Notice | null }) {
  return (
    <div id="speech-player">
      <NoticeBox notice={notice} />
      {text && voice ? (
        // biome-ignore lint/a11y/useMediaCaption: its words are the text typed into the form just above
        <audio controls autoplay preload="auto" src={sayUrl(text, voice)} />
      ) : null}
    </div>
  )
}
