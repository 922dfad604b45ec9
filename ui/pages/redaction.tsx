/**
 * Redaction: try hiding the sensitive details of a text (names, addresses, account numbers…) the
 * way apps do before a text leaves for a cloud model, put them back into a reply, and see how many
 * of each kind were hidden over time — counts only, never the details. Filled in on the server, so
 * it works without JavaScript; with it the forms answer in place.
 */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'
import { CountsPanel } from '../redaction/counts.tsx'
import type { RedactionStats } from '../redaction/source.ts'
import { ScrubForm, type ScrubFormData, type ScrubResult, ScrubResultView } from '../redaction/try-it.tsx'

export interface RedactionPageData {
  form: ScrubFormData
  result: ScrubResult | null
  stats: RedactionStats | null
  hours: number
}

export function RedactionPage({ chrome, data }: { chrome: Chrome; data: RedactionPageData }) {
  return (
    <Layout title="Redaction" current="redaction" chrome={chrome}>
      <h1>Redaction</h1>
      <section aria-labelledby="redaction-try-h">
        <h2 id="redaction-try-h">Try hiding the details of a text</h2>
        <p class="muted">
          Names, email addresses, phone numbers, amounts, bitcoin addresses and the like become placeholders
          such as [PERSON_1]; account numbers, keys and other Tier-1 data are dropped and never kept.
        </p>
        <ScrubForm data={data.form} />
        <ScrubResultView result={data.result} />
      </section>
      <section aria-labelledby="redaction-counts-h">
        <h2 id="redaction-counts-h">What was hidden, over time</h2>
        <CountsPanel stats={data.stats} hours={data.hours} />
      </section>
    </Layout>
  )
}

/** The page of a dashboard built without the redaction-gateway (a test, or a gateway without it). */
export function RedactionPlaceholder({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Redaction" current="redaction" chrome={chrome}>
      <Placeholder title="Redaction">
        <p>The redaction service is not connected to this dashboard, so there is nothing to show.</p>
      </Placeholder>
    </Layout>
  )
}
