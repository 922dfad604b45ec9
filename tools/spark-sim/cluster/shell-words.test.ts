import { describe, expect, it } from 'vitest'
import { parseCommandLine, ShellSyntaxError } from './shell-words.ts'

const argvs = (line: string) =>
  parseCommandLine(line, '/home/u').pipelines.flatMap((p) => p.commands.map((c) => c.argv))

describe('shell words', () => {
  it('splits words and removes quotes like bash', () => {
    expect(argvs(`printf '%s\\n' "a b" c\\ d 'e'"f"g`)).toEqual([['printf', '%s\\n', 'a b', 'c d', 'efg']])
  })

  it('keeps $(), backticks and $VAR literal in every quoting context', () => {
    expect(argvs(`echo '$(id)' "$(id)" "\`id\`" $HOME \`id\``)).toEqual([
      ['echo', '$(id)', '$(id)', '`id`', '$HOME', '`id`'],
    ])
  })

  it('honours backslash escapes inside double quotes only for $ ` " \\ and newline', () => {
    expect(argvs('echo "a\\$b \\"q\\" \\n \\\\"')).toEqual([['echo', 'a$b "q" \\n \\']])
  })

  it('keeps a newline inside quotes and treats a bare one as a separator', () => {
    expect(argvs("printf 'x\ny'\necho z")).toEqual([
      ['printf', 'x\ny'],
      ['echo', 'z'],
    ])
  })

  it('parses connectors, pipelines and the cd && idiom', () => {
    const list = parseCommandLine('cd /opt && ./run.sh a || echo failed; docker ps | grep x &', '/h')
    expect(list.connectors).toEqual(['&&', '||', ';', '&'])
    expect(list.pipelines[3]?.commands.map((c) => c.argv[0])).toEqual(['docker', 'grep'])
  })

  it('parses redirections including 2>&1 and &>', () => {
    const [cmd] = parseCommandLine('docker logs x >/tmp/o 2>&1', '/h').pipelines[0]?.commands ?? []
    expect(cmd?.argv).toEqual(['docker', 'logs', 'x'])
    expect(cmd?.redirects).toEqual([
      { fd: 1, op: '>', path: '/tmp/o' },
      { fd: 2, op: '>&', toFd: 1 },
    ])
    const [both] = parseCommandLine('true &>/dev/null', '/h').pipelines[0]?.commands ?? []
    expect(both?.redirects).toEqual([
      { fd: 1, op: '>', path: '/dev/null' },
      { fd: 2, op: '>&', toFd: 1 },
    ])
  })

  it('expands a leading tilde but not a quoted or embedded one', () => {
    expect(argvs("cd ~/x '~/y' a~b ~")).toEqual([['cd', '/home/u/x', '~/y', 'a~b', '/home/u']])
  })

  it('takes leading NAME=value words as assignments', () => {
    const [cmd] = parseCommandLine("LC_ALL=C nvidia-smi X='a b'", '/h').pipelines[0]?.commands ?? []
    expect(cmd?.assigns).toEqual({ LC_ALL: 'C' })
    expect(cmd?.argv).toEqual(['nvidia-smi', 'X=a b'])
  })

  it('rejects unterminated quotes and dangling operators', () => {
    expect(() => parseCommandLine("echo 'x", '/h')).toThrow(ShellSyntaxError)
    expect(() => parseCommandLine('echo "x', '/h')).toThrow(ShellSyntaxError)
    expect(() => parseCommandLine('echo x &&', '/h')).toThrow(ShellSyntaxError)
    expect(() => parseCommandLine('; echo x', '/h')).toThrow(ShellSyntaxError)
    expect(() => parseCommandLine('echo x |', '/h')).toThrow(ShellSyntaxError)
  })

  it('ignores comments and blank lines', () => {
    expect(argvs('# hello\n\necho a # trailing\n')).toEqual([['echo', 'a']])
  })
})
