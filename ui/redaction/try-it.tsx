/**
 * The try-it forms: a text in, its scrubbed form out with the placeholders marked by type; then a
 * reply in, the values put back. Plain forms (they work without JavaScript: the answer comes back
 * in the page); with htmx the answer lands in place. The map handle travels in a hidden field, the
 * scrubbed text too (it holds placeholders, no value), so the reply form needs nothing kept on the
 * server.
 */

import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { Legend, ScrubbedText } from './highlight.tsx'
import { REDACTION_PATHS, TRY_MAX_CHARS } from './paths.ts'
import type { Restored, ScrubTry } from './source.ts'

export interface ScrubFormData {
  text?: string
  ner: ScrubTry['ner']
  /** Why the names pass by the cluster's model is not offered, when it is not. */
  autoNote?: string | null
}

export function ScrubForm({ data }: { data: ScrubFormData }) {
  return (
    <form
      class="speech-form redaction-form"
      method="post"
      action={REDACTION_PATHS.scrub}
      hx-post={REDACTION_PATHS.scrub}
      hx-target="#redaction-result"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <CsrfField />
      <label for="redaction-text">
        Text with sensitive details (it is not stored; the details are kept encrypted)
      </label>
      <textarea id="redaction-text" name="text" rows={6} maxlength={TRY_MAX_CHARS} required>
        {data.text ?? ''}
      </textarea>
      <fieldset class="redaction-ner">
        <legend>How to find names</legend>
        <label>
          <input type="radio" name="ner" value="rules_only" checked={data.ner === 'rules_only'} /> Rules only
          (fast, always available)
        </label>
        <label>
          <input type="radio" name="ner" value="auto" checked={data.ner === 'auto'} /> Rules and the cluster’s
          own model (slower; nothing leaves the cluster)
        </label>
        {data.autoNote ? <p class="muted">{data.autoNote}</p> : null}
      </fieldset>
      <button type="submit" class="button button-primary" data-action="scrub">
        Hide the details
      </button>
    </form>
  )
}

/** What a scrub came to, as the page shows it; the flags are phrases of the scrubbed text. */
export interface ScrubView {
  mapHandle: string
  scrubbed: string
  expiresAt?: string
  dropped?: number
  flags?: string[]
}

export interface ScrubResult {
  notice: Notice | null
  view: ScrubView | null
  restored?: RestoredResult | null
}

export function ScrubResultView({ result }: { result: ScrubResult | null }) {
  const view = result?.view
  return (
    <div id="redaction-result" aria-live="polite">
      <NoticeBox notice={result?.notice} />
      {view ? (
        <>
          <h3>What would leave</h3>
          <ScrubbedText text={view.scrubbed} />
          <Legend text={view.scrubbed} />
          {view.flags?.length ? (
            <div class="redaction-flags" data-flags={view.flags.length}>
              <p>These phrases could still point at someone without naming them:</p>
              <ul>
                {view.flags.map((f) => (
                  <li>{f}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {view.expiresAt ? (
            <p class="muted">
              The details are kept, encrypted, until {view.expiresAt} (UTC) to put them back into a reply.
            </p>
          ) : null}
          <RehydrateForm view={view} />
          <RestoredView result={result?.restored ?? null} />
        </>
      ) : null}
    </div>
  )
}

function RehydrateForm({ view }: { view: ScrubView }) {
  return (
    <form
      class="speech-form redaction-form"
      method="post"
      action={REDACTION_PATHS.rehydrate}
      hx-post={REDACTION_PATHS.rehydrate}
      hx-target="#redaction-restored"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <CsrfField />
      <input type="hidden" name="map_handle" value={view.mapHandle} data-map-handle="" />
      <input type="hidden" name="scrubbed" value={view.scrubbed} />
      <label for="redaction-reply">A reply that uses the placeholders (for example a model’s answer)</label>
      <textarea id="redaction-reply" name="reply" rows={5} maxlength={TRY_MAX_CHARS} required>
        {view.scrubbed}
      </textarea>
      <button type="submit" class="button" data-action="rehydrate">
        Put the details back
      </button>
    </form>
  )
}

export interface RestoredResult {
  notice: Notice | null
  restored: Restored | null
}

export function RestoredView({ result }: { result: RestoredResult | null }) {
  const restored = result?.restored
  return (
    <div id="redaction-restored" aria-live="polite">
      <NoticeBox notice={result?.notice} />
      {restored ? (
        <>
          <h3>The reply with the details back</h3>
          <pre class="scrubbed" data-restored="">
            {restored.text}
          </pre>
          {restored.unresolved.length ? (
            <div class="notice notice-warn" data-unresolved={restored.unresolved.length}>
              <p>These placeholders are not in this map, so they were left as they are:</p>
              <ul>
                {restored.unresolved.map((t) => (
                  <li>
                    <code>{t}</code>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  )
}
