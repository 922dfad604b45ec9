/**
 * Busy is not down. Kokoro and the Parakeet wrappers run inference on the same event loop that
 * answers `/health`, so while our own request is in the model a health check can take seconds.
 * Calling that "down" made the earlier dashboard flap and clients give up on a working GPU.
 */
import { type Assessment, outcomeAssessment, type ProbeOutcome } from '../../../shared/upstream-health.ts'

/**
 * @param ourRequestsRunning whether any request of ours to this upstream was running at some point
 *   during the probe (started before it, or still running when it ended)
 */
export function decideHealthState(outcome: ProbeOutcome, ourRequestsRunning: boolean): Assessment {
  // Only a slow answer is excused: a refused connection or an error status is down even under load.
  if (outcome.kind === 'timeout' && ourRequestsRunning) {
    return {
      state: 'busy',
      detail: `busy: health check slow (${outcome.detail}) while our requests are running`,
    }
  }
  return outcomeAssessment(outcome)
}
