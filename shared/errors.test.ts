import { describe, expect, it } from 'vitest'
import { errorStyleFor } from './errors.ts'

describe('errorStyleFor', () => {
  it.each([
    ['/v1/chat/completions', 'openai'],
    ['/v1/audio/speech', 'openai'],
    ['/scrub', 'code'],
    ['/rehydrate', 'code'],
    ['/api/search', 'detail'],
    ['/api/status', 'detail'],
    ['/api/swap', 'detail'],
    ['/api/swap/lock', 'detail'],
    ['/api/swap/1234/stream', 'detail'],
    ['/api/swapper', 'problem'],
    ['/api/models', 'detail'],
    ['/api/audio/label-merge', 'detail'],
    ['/api/swap/models', 'problem'],
    ['/api/swap/history', 'problem'],
    ['/api/swap/logs', 'problem'],
    ['/api/search/embed', 'problem'],
    ['/api/swap-controller/nodes', 'problem'],
  ])('%s → %s', (path, style) => {
    expect(errorStyleFor(path)).toBe(style)
  })
})
