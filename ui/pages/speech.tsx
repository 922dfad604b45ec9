/**
 * Speech: how busy transcription and text to speech are (queues, the models' state, recent jobs)
 * and a place to try both. Filled in on the server, so it works without JavaScript; with it the
 * status refreshes itself and the forms answer in place.
 */
import type { Notice } from '../components/notice.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'
import type { SpeechStatusReport } from '../speech/source.ts'
import { SpeechStatusPanel } from '../speech/status.tsx'
import {
  Player,
  type SayData,
  SayForm,
  TranscribeForm,
  type TranscriptResult,
  TranscriptView,
} from '../speech/try-it.tsx'

export interface SpeechPageData {
  status: SpeechStatusReport | null
  say: SayData
  transcript: TranscriptResult | null
  /** Why the text could not be said (the way without JavaScript lands back here). */
  sayNotice?: Notice | null
}

export function SpeechPage({ chrome, data }: { chrome: Chrome; data: SpeechPageData }) {
  return (
    <Layout title="Speech" current="speech" chrome={chrome}>
      <h1>Speech</h1>
      <SpeechStatusPanel status={data.status} />
      <section aria-labelledby="speech-transcribe-h">
        <h2 id="speech-transcribe-h">Try a transcript with speakers</h2>
        <TranscribeForm />
        <TranscriptView result={data.transcript} />
      </section>
      <section aria-labelledby="speech-say-h">
        <h2 id="speech-say-h">Try text to speech</h2>
        <SayForm data={data.say} />
        <Player notice={data.sayNotice} />
      </section>
    </Layout>
  )
}
