/**
 * Switching the chat model: the loaded model, every recipe with its fit verdict, the confirmation,
 * the switch as it happens, and the Sparks' own readings. Filled in on the server, so it works
 * without JavaScript too (a reload shows the latest); with it, each region refreshes itself.
 */
import { type Chrome, Layout } from '../layout/layout.tsx'
import { type ConfirmData, SwapConfirm } from '../swap/confirm.tsx'
import { LockBanner } from '../swap/lock-banner.tsx'
import { ModelCard, type ModelCardData } from '../swap/model-card.tsx'
import { NodeCards } from '../swap/node-cards.tsx'
import { type ProgressData, SwapNotice, SwapProgress } from '../swap/progress.tsx'
import { RecipeSection, type RecipeSectionData } from '../swap/recipe-list.tsx'
import type { LockView, TelemetryView } from '../swap/source.ts'

export interface SwapPageData {
  card: ModelCardData
  progress: ProgressData
  recipes: RecipeSectionData
  telemetry: TelemetryView | null
  lock: LockView | null
  /** Set when the page was asked for with `?recipe=` (the no-JavaScript way to the confirmation). */
  confirm: ConfirmData | null
}

export function SwapPage({ chrome, data, now }: { chrome: Chrome; data: SwapPageData; now: Date }) {
  return (
    <Layout title="Swap model" current="swap" chrome={chrome}>
      <h1>Swap model</h1>
      <LockBanner lock={data.lock} now={now} />
      <ModelCard data={data.card} />
      <div id="swap-confirm">{data.confirm ? <SwapConfirm data={data.confirm} /> : null}</div>
      <SwapNotice notice={null} />
      <SwapProgress data={data.progress} />
      <section aria-labelledby="recipes-h">
        <h2 id="recipes-h">Models you can switch to</h2>
        <RecipeSection data={data.recipes} />
      </section>
      <section aria-labelledby="nodes-h">
        <h2 id="nodes-h">Sparks</h2>
        <NodeCards telemetry={data.telemetry} now={now} />
      </section>
    </Layout>
  )
}
