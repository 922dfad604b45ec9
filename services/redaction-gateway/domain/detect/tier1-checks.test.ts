import { describe, expect, it } from 'vitest'
import { abaValid, IBAN_LENGTHS, ibanValid, luhnValid, ssnValid } from './tier1-checks.ts'

describe('check digits', () => {
  it('Luhn accepts the published test card numbers and rejects a changed digit', () => {
    for (const card of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117']) {
      expect(luhnValid(card)).toBe(true)
    }
    expect(luhnValid('4111111111111112')).toBe(false)
    expect(luhnValid('4111 1111')).toBe(false)
  })

  it('ABA accepts valid routing numbers only', () => {
    expect(abaValid('021000021')).toBe(true)
    expect(abaValid('011000015')).toBe(true)
    expect(abaValid('021000022')).toBe(false)
    expect(abaValid('000000000')).toBe(false)
    expect(abaValid('12345678')).toBe(false)
  })

  it('SSN follows the area, group and serial rules', () => {
    expect(ssnValid('123456789')).toBe(true)
    for (const bad of ['000456789', '666456789', '900456789', '123006789', '123450000', '12345678']) {
      expect(ssnValid(bad)).toBe(false)
    }
  })

  it('IBAN mod-97 accepts the ISO examples and rejects a transposition', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true)
    expect(ibanValid('GB82WEST12345698765432')).toBe(true)
    expect(ibanValid('NO9386011117947')).toBe(true)
    expect(ibanValid('DE89370400440532013001')).toBe(false)
    expect(ibanValid('DE98370400440532013000')).toBe(false)
    expect(IBAN_LENGTHS.DE).toBe(22)
  })
})
