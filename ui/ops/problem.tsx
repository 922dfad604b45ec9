/** A part of the operations page that cannot be shown, said plainly in its place. */
import type { ReadProblem } from './words-errors.ts'

export function ProblemBox({ problem }: { problem: ReadProblem }) {
  const tone = problem.kind === 'down' || problem.kind === 'missing' ? 'warn' : 'bad'
  return (
    <div class={`notice notice-${tone}`} role="alert" data-ops-problem={problem.kind}>
      <p>{problem.text}</p>
    </div>
  )
}

export function Pill({ look, data }: { look: { label: string; icon: string; tone: string }; data?: string }) {
  return (
    <span class={`pill tone-${look.tone}`} data-pill={data ?? look.label}>
      <span aria-hidden="true">{look.icon}</span> {look.label}
    </span>
  )
}
