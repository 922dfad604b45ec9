/**
 * Operations: the Spark service containers (state, memory, health, restart), the versioned patches
 * of those containers (applied or missing, re-apply), and the concurrency sweeps with their
 * recommended limits. Filled in on the server, so it works without JavaScript (each question is
 * then a page of its own, each answer a notice on it); with it, the service cards refresh every few
 * seconds and a running sweep shows its progress.
 */
import type { Child } from 'hono/jsx'
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'
import { PatchesPanel } from '../ops/patches.tsx'
import type { OpsData } from '../ops/read.ts'
import { ServicesPanel } from '../ops/services.tsx'
import type { SweepTarget } from '../ops/source.ts'
import { SweepForm, SweepsPanel } from '../ops/sweeps.tsx'

/** The questions (or answers) a page without JavaScript was asked to show, each in its section. */
export interface OpsAsked {
  restart?: Child
  patches?: Child
  sweep?: Child
  sweepTarget?: SweepTarget
}

export function OpsPage({ chrome, data, asked = {} }: { chrome: Chrome; data: OpsData; asked?: OpsAsked }) {
  return (
    <Layout title="Operations" current="ops" chrome={chrome}>
      <h1>Operations</h1>
      <p class="muted">
        The containers Spark Control looks after on the Sparks besides the chat model: restart one, re-apply
        their patches, and measure how many requests each handles at once.
      </p>
      <section aria-labelledby="ops-services-h">
        <h2 id="ops-services-h">Service containers</h2>
        <div id="ops-restart-confirm">{asked.restart ?? null}</div>
        <ServicesPanel part={data.services} now={data.now} />
      </section>
      <section aria-labelledby="ops-patches-h">
        <h2 id="ops-patches-h">Patches</h2>
        <p class="muted">
          Changes kept in the repository for these containers (a memory cap, a restart policy…). Each has a
          check; "missing" means its check fails now, for example after a container was re-created.
        </p>
        <div id="ops-patches-confirm">{asked.patches ?? null}</div>
        <PatchesPanel part={data.patches} now={data.now} />
      </section>
      <section aria-labelledby="ops-sweeps-h">
        <h2 id="ops-sweeps-h">Concurrency sweeps</h2>
        <p class="muted">
          How many requests at once each backend handles before answers slow down: the knee, and the limit to
          set for it.
        </p>
        <div id="ops-sweep-confirm">{asked.sweep ?? null}</div>
        <SweepForm target={asked.sweepTarget} />
        <SweepsPanel part={data.sweeps} now={data.now} />
      </section>
    </Layout>
  )
}

/** The page of a dashboard built without the swap-controller's operations (a test, another gateway). */
export function OpsPlaceholder({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Operations" current="ops" chrome={chrome}>
      <Placeholder title="Operations">
        <p>The swap-controller is not connected to this dashboard, so there is nothing to show.</p>
      </Placeholder>
    </Layout>
  )
}
