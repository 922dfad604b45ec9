import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePatch } from './load.ts'

const REPO_PATCHES = join(import.meta.dirname, '../../../../../patches')

const GOOD = `
id: x-cap
version: 2
description: Caps the memory of x so a leak cannot starve the rest.
service: parakeet
apply:
  - description: Set the cap
    argv: [docker, update, --memory, '{memory_cap_bytes}', '{container}']
check:
  - description: The cap is in force
    argv: [docker, inspect, --format, '{{.HostConfig.Memory}}', '{container}']
    stdout: '{memory_cap_bytes}'
`

const reasonsOf = (text: string, file = 'x-cap.yaml') => {
  const loaded = parsePatch(text, file)
  if (loaded.ok) throw new Error('expected the file to be refused')
  return loaded.invalid.reasons
}

describe('parsePatch', () => {
  it('loads a valid file: services as a list, the placeholders it uses, Go templates kept as text', () => {
    const loaded = parsePatch(GOOD, 'x-cap.yaml')
    if (!loaded.ok) throw new Error(loaded.invalid.reasons.join('; '))
    expect(loaded.patch).toMatchObject({
      id: 'x-cap',
      version: 2,
      services: ['parakeet'],
      file: 'x-cap.yaml',
    })
    expect([...loaded.patch.placeholders].sort()).toEqual(['container', 'memory_cap_bytes'])
    expect(loaded.patch.check[0]?.argv[3]).toBe('{{.HostConfig.Memory}}')
  })

  it('loads every patch the repository ships', () => {
    const files = readdirSync(REPO_PATCHES).filter((f) => f.endsWith('.yaml'))
    expect(files).toEqual(expect.arrayContaining(['parakeet-memory-cap.yaml', 'speech-restart-policy.yaml']))
    for (const file of files) {
      const loaded = parsePatch(readFileSync(join(REPO_PATCHES, file), 'utf8'), file)
      expect(loaded.ok ? [] : loaded.invalid.reasons, file).toEqual([])
    }
  })

  it('refuses a shell as the program, `sh -c` anywhere, and a command written as one string', () => {
    const shell = GOOD.replace(
      "[docker, update, --memory, '{memory_cap_bytes}', '{container}']",
      "[sh, -c, 'docker update x']",
    )
    expect(reasonsOf(shell)).toEqual([expect.stringMatching(/^apply\.0\.argv: runs `sh`.*never a shell/)])
    const inner = GOOD.replace(
      "[docker, update, --memory, '{memory_cap_bytes}', '{container}']",
      "[docker, exec, '{container}', bash, -lc, 'rm -rf /x']",
    )
    expect(reasonsOf(inner)).toEqual([expect.stringMatching(/apply\.0\.argv: runs `bash -lc`/)])
    const abs = GOOD.replace(
      "[docker, update, --memory, '{memory_cap_bytes}', '{container}']",
      '[/bin/bash, x.sh]',
    )
    expect(reasonsOf(abs)[0]).toMatch(/runs `\/bin\/bash`/)
    const string = GOOD.replace(
      "[docker, update, --memory, '{memory_cap_bytes}', '{container}']",
      "'docker update --memory 1g x'",
    )
    expect(reasonsOf(string)).toEqual([expect.stringMatching(/^apply\.0\.argv: must be a list of words/)])
    const spaced = GOOD.replace(
      "[docker, update, --memory, '{memory_cap_bytes}', '{container}']",
      "['docker update', x]",
    )
    expect(reasonsOf(spaced)[0]).toMatch(/never a shell or a shell string/)
  })

  it('allows only {container} and {memory_cap_bytes} as placeholders, in argv and expected output', () => {
    const other = GOOD.replace("'{container}']\ncheck", "'{image}']\ncheck")
    expect(reasonsOf(other)).toEqual([
      expect.stringMatching(/^apply\.0\.argv\.4: unknown placeholder \{image\}/),
    ])
    const inStdout = GOOD.replace("stdout: '{memory_cap_bytes}'", "stdout: '{memory}'")
    expect(reasonsOf(inStdout)).toEqual([
      expect.stringMatching(/^check\.0\.stdout: unknown placeholder \{memory\}/),
    ])
    const stray = GOOD.replace("'{container}']\ncheck", "'x}']\ncheck")
    expect(reasonsOf(stray)[0]).toMatch(/a brace outside a placeholder/)
    const asProgram = GOOD.replace('[docker, update,', "['{container}', update,")
    expect(reasonsOf(asProgram)[0]).toMatch(/first word must be the program/)
  })

  it('lists every reason: id not the file name, version, unknown fields, a check without one expectation', () => {
    const text = GOOD.replace('id: x-cap', 'id: Other_Cap')
      .replace('version: 2', 'version: 0')
      .replace("stdout: '{memory_cap_bytes}'", "stdout: '1'\n    exit_code: 0\n    extra: 1")
    const reasons = reasonsOf(text)
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: must be kebab-case/),
        expect.stringMatching(/^version: /),
        expect.stringMatching(/^check\.0: unknown field extra/),
      ]),
    )
    expect(reasonsOf(GOOD.replace('id: x-cap', 'id: y-cap'))).toEqual([
      'id: `y-cap` must be the file name without .yaml (`x-cap`)',
    ])
    const both = GOOD.replace("stdout: '{memory_cap_bytes}'", "stdout: '1'\n    exit_code: 0")
    expect(reasonsOf(both)).toEqual([
      expect.stringMatching(/^check\.0: must say what passes with exactly one of .*found stdout, exit_code/),
    ])
    const exit1 = GOOD.replace("stdout: '{memory_cap_bytes}'", 'exit_code: 1')
    expect(reasonsOf(exit1)[0]).toMatch(/only exit code a check can expect is 0/)
    const badRegex = GOOD.replace("stdout: '{memory_cap_bytes}'", "matches: '(['")
    expect(reasonsOf(badRegex)[0]).toMatch(/^check\.0\.matches: is not a valid regular expression/)
  })

  it('reports YAML errors and a file that is not a mapping, never throws', () => {
    expect(reasonsOf('id: [unclosed')[0]).toMatch(/^YAML: /)
    expect(reasonsOf('- a\n- b\n')[0]).toMatch(/^\(file\): /)
    expect(reasonsOf('id: a\nid: b\n')[0]).toMatch(/^YAML: .*unique/i)
  })
})
