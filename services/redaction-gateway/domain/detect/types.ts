/** What every detector returns; the union of all detectors is resolved in `resolve.ts`. */
export type EntityType =
  | 'PERSON'
  | 'ORG'
  | 'FUND'
  | 'EMAIL'
  | 'PHONE'
  | 'URL'
  | 'ADDR'
  | 'AMOUNT'
  | 'DATE'
  | 'LOC'
  | 'MISC'
  | 'HANDLE'
  | 'BTC_ADDR'
  | 'BTC_XPUB'
  | 'BTC_DESCRIPTOR'
  | 'BTC_TXID'
  | 'LN_INVOICE'
  | 'LNURL'
  | 'IP'
  | 'DIGITS'

/** Tier-1 material is dropped or rejected, never tokenised and never stored. */
export type Tier1Kind =
  | 'account_number'
  | 'routing_number'
  | 'wire'
  | 'ssn'
  | 'passport'
  | 'gov_id'
  | 'iban'
  | 'swift'
  | 'card_number'
  | 'private_key'
  | 'seed_phrase'
  | 'api_secret'

export interface Detection {
  /** UTF-16 offsets into the ORIGINAL text. */
  start: number
  end: number
  tier: 1 | 2
  /** Set for tier 2, null for tier 1. */
  type: EntityType | null
  /** Set for tier 1, null for tier 2. */
  kind: Tier1Kind | null
  detector: string
  /** 0..1 */
  score: number
  value: string
}

/** What a detector may read besides the text. */
export interface DetectContext {
  knownEntities?: KnownEntities
}

export interface KnownEntities {
  persons?: string[]
  orgs?: string[]
  funds?: string[]
  emails?: string[]
  locations?: string[]
}
