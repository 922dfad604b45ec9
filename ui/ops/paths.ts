/** Every URL of the dashboard's operations page, its fragments and its forms, named once. */
export const OPS_PATHS = {
  page: '/ui/ops',
  /** The service cards alone: the page polls it. */
  services: '/ui/fragments/ops/services',
  sweeps: '/ui/fragments/ops/sweeps',
  restartConfirm: '/ui/fragments/ops/restart/confirm',
  patchesConfirm: '/ui/fragments/ops/patches/confirm',
  sweepConfirm: '/ui/fragments/ops/sweeps/confirm',
  restart: '/ui/actions/ops/restart',
  applyPatches: '/ui/actions/ops/patches/apply',
  startSweep: '/ui/actions/ops/sweeps',
} as const

/** How often an open page reads the service cards again; a running sweep's progress as often. */
export const SERVICES_POLL_S = 5
export const SWEEP_POLL_S = 2

/** The page, with (without JavaScript) the question it was asked for. */
export function opsPageUrl(params: { restart?: string; patches?: boolean; sweep?: string } = {}): string {
  const q = new URLSearchParams()
  if (params.restart) q.set('restart', params.restart)
  if (params.patches) q.set('patches', 'apply')
  if (params.sweep) q.set('sweep', params.sweep)
  const s = q.toString()
  return s ? `${OPS_PATHS.page}?${s}` : OPS_PATHS.page
}
