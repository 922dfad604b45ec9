import { describe, expect, it } from 'vitest'
import { kokoroTraits, normaliseVoices } from './voices.ts'

describe('normaliseVoices', () => {
  it('reads the older shape of plain names and derives language and gender from Kokoro prefixes', () => {
    expect(normaliseVoices({ voices: ['af_heart', 'bm_george', 'custom'] })).toEqual([
      { id: 'af_heart', name: 'af_heart', language: 'en-US', gender: 'female' },
      { id: 'bm_george', name: 'bm_george', language: 'en-GB', gender: 'male' },
      { id: 'custom', name: 'custom' },
    ])
  })

  it('reads the v0.4+ object shape and keeps what the upstream says over the derived traits', () => {
    const body = {
      voices: [
        { id: 'ff_siwis', name: 'Siwis' },
        { name: 'jf_alpha' },
        {
          id: 'zm_yunxi',
          language: 'zh-CN',
          gender: 'm',
        },
      ],
    }
    expect(normaliseVoices(body)).toEqual([
      { id: 'ff_siwis', name: 'Siwis', language: 'fr', gender: 'female' },
      { id: 'jf_alpha', name: 'jf_alpha', language: 'ja', gender: 'female' },
      { id: 'zm_yunxi', name: 'zm_yunxi', language: 'zh-CN', gender: 'm' },
    ])
  })

  it('accepts a bare array of either kind, dropping blanks, junk and duplicates', () => {
    expect(
      normaliseVoices(['af_sky', { id: 'af_sky' }, '', 42, null, { foo: 1 }, 'x'.repeat(201), ' am_adam ']),
    ).toEqual([
      { id: 'af_sky', name: 'af_sky', language: 'en-US', gender: 'female' },
      { id: 'am_adam', name: 'am_adam', language: 'en-US', gender: 'male' },
    ])
  })

  it('returns null for bodies that are no voice list at all', () => {
    for (const body of [null, 'af_heart', { data: [] }, { voices: 'af_heart' }, 7]) {
      expect(normaliseVoices(body)).toBeNull()
    }
    expect(normaliseVoices({ voices: [] })).toEqual([])
  })

  it('derives nothing from ids outside the Kokoro scheme', () => {
    expect(kokoroTraits('qx_thing')).toEqual({})
    expect(kokoroTraits('xf_thing')).toEqual({ gender: 'female' })
    expect(kokoroTraits('Af_heart')).toEqual({})
  })
})
