import type { Detection, EntityType } from './types.ts'

export function tier2Hit(
  text: string,
  start: number,
  end: number,
  type: EntityType,
  detector: string,
  score: number,
): Detection {
  return { start, end, tier: 2, type, kind: null, detector, score, value: text.slice(start, end) }
}
