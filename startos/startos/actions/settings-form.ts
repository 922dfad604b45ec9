import type { KnobName } from '../../../shared/settings/registry.ts'
import { sdk } from '../sdk'
import { knobField, NUMBER_KEYS } from './settings-input.ts'

const { Value } = sdk

/** Bounds of the number knobs these forms ask for (the knob's schema checks them again on save). */
const NUMBER_BOUNDS: Partial<Record<KnobName, { min: number; max: number; units: string | null }>> = {
  VLLM_PORT: { min: 1, max: 65535, units: null },
  ALERT_DEBOUNCE_S: { min: 0, max: 86_400, units: 's' },
}

/** One settings knob as a form field: its label and help from the knob registry; blank = the default. */
export function knobValue(name: KnobName) {
  const knob = knobField(name)
  const description = `${knob.help} (${name}${knob.shownDefault ? `; blank: ${knob.shownDefault}` : '; blank: none'})`
  if (NUMBER_KEYS.has(name)) {
    const bounds = NUMBER_BOUNDS[name] ?? { min: 0, max: Number.MAX_SAFE_INTEGER, units: null }
    return Value.number({
      name: knob.label,
      description,
      required: false,
      default: null,
      integer: true,
      placeholder: knob.shownDefault,
      ...bounds,
    })
  }
  return Value.text({
    name: knob.label,
    description,
    required: false,
    default: null,
    masked: knob.secret,
    placeholder: knob.shownDefault,
    inputmode: name.endsWith('_URL') ? 'url' : 'text',
  })
}
