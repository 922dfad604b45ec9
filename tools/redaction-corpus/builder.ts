/**
 * A document is written piece by piece; every planted value goes through `mention`, so its span,
 * class and value are recorded where it is written and can never drift from the text.
 */
export type MentionClass = 'tier1' | 'structured' | 'crypto' | 'names' | 'public'

export interface Mention {
  start: number
  end: number
  class: MentionClass
  /** The sub-class: `ssn`, `iban`, `phone`, `btc_p2wpkh`, `person`, `org`… */
  type: string
  value: string
  /** Given in the request's `known_entities`. */
  known?: true
  /** Must be dropped (Tier-1 material: never tokenised, never stored). */
  drop?: true
  /** How a name is written: `full`, `first`, `title_surname`, `lower`. */
  form?: string
  /** Which name pool a person came from. */
  origin?: string
  /** A person whose given name or surname the tuning corpus (dev) never uses. */
  unseen?: true
}

export interface KnownEntitiesWire {
  persons?: string[]
  orgs?: string[]
  funds?: string[]
  emails?: string[]
  locations?: string[]
}

export interface CorpusDoc {
  id: string
  kind: 'transcript' | 'crm' | 'email' | 'chat'
  text: string
  known_entities: KnownEntitiesWire
  mentions: Mention[]
}

export type MentionExtra = Omit<Mention, 'start' | 'end' | 'class' | 'type' | 'value'>

export class DocBuilder {
  private text = ''
  private readonly mentions: Mention[] = []

  add(...parts: string[]): this {
    this.text += parts.join('')
    return this
  }

  mention(cls: MentionClass, type: string, value: string, extra: MentionExtra = {}): this {
    const start = this.text.length
    this.text += value
    this.mentions.push({ start, end: this.text.length, class: cls, type, value, ...extra })
    return this
  }

  build(id: string, kind: CorpusDoc['kind'], known: KnownEntitiesWire): CorpusDoc {
    return { id, kind, text: this.text, known_entities: known, mentions: this.mentions }
  }
}
