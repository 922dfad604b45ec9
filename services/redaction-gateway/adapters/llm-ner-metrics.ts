/** Prometheus series of the local-LLM name pass: how often it ran, how it ended, how long it took. */
import { Counter, Histogram, type Registry } from '../../../shared/metrics.ts'

export interface NerMetrics {
  /** One finished pass: `ok`, or the `ner_unavailable` reason, or `client_closed`. */
  observe(outcome: string, seconds: number): void
  /** One chat call sent (a piece of an item). */
  called(): void
}

export function nerMetrics(registry: Registry | undefined): NerMetrics {
  if (!registry) return { observe: () => {}, called: () => {} }
  const passes = new Counter({
    name: 'redaction_ner_passes_total',
    help: 'Local-LLM name passes of /scrub, by outcome (ok, or why ner_unavailable was answered)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  })
  const duration = new Histogram({
    name: 'redaction_ner_pass_seconds',
    help: 'Time a local-LLM name pass took, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 240],
    registers: [registry],
  })
  const calls = new Counter({
    name: 'redaction_ner_calls_total',
    help: 'Chat calls the local-LLM name pass sent (one per piece of an item)',
    registers: [registry],
  })
  return {
    observe(outcome, seconds) {
      passes.inc({ outcome })
      duration.observe({ outcome }, seconds)
    },
    called: () => calls.inc(),
  }
}
