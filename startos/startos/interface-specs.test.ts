import { describe, expect, it } from 'vitest'
import { GATEWAY_PORT, INTERFACES } from './interface-specs'

describe('interfaces', () => {
  it("are the dashboard (ui) and the API (api), both on the gateway's port 9999", () => {
    expect(INTERFACES.map((i) => [i.id, i.type])).toEqual([
      ['ui', 'ui'],
      ['api', 'api'],
    ])
    expect(GATEWAY_PORT).toBe(9999)
  })
})
