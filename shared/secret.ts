/**
 * Holds a secret so that logging, serialising or inspecting the configuration never shows it;
 * the one reader calls `reveal()` where the value is put on the wire or used.
 */
export class Secret {
  readonly #value: string
  constructor(value: string) {
    this.#value = value
  }
  reveal(): string {
    return this.#value
  }
  toJSON() {
    return '[redacted]'
  }
  toString() {
    return '[redacted]'
  }
  [Symbol.for('nodejs.util.inspect.custom')]() {
    return 'Secret([redacted])'
  }
  [Symbol.for('Deno.customInspect')]() {
    return 'Secret([redacted])'
  }
}
