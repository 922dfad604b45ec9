import { detectKnown } from '../detect/known.ts'
import { detectNames } from '../detect/names.ts'
import { detectStructured } from '../detect/structured.ts'
import { detectTier1AndCrypto } from '../detect/tier1-index.ts'
import type { Detectors } from './ports.ts'

/** The rule-based detectors (`ner: rules_only`); all local, nothing leaves the process. */
export const RULE_DETECTORS: Detectors = {
  tier1AndCrypto: detectTier1AndCrypto,
  known: detectKnown,
  structured: detectStructured,
  names: detectNames,
}
