import { describe, expect, it } from 'vitest'
import { describeFsProblem } from './fs-problem.ts'

describe('describeFsProblem', () => {
  it('turns error codes into plain words, naming the path', () => {
    expect(describeFsProblem({ code: 'EROFS' }, '/data')).toBe('/data: read-only file system')
    expect(describeFsProblem({ code: 'EACCES' }, '/data')).toBe('/data: permission denied')
    expect(describeFsProblem({ code: 'EWEIRD' }, '/x')).toBe('/x: eweird')
    expect(describeFsProblem(new Error('odd'), '/x')).toBe('/x: odd')
  })
})
