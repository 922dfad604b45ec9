import { createServer } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startVllmEmulator, type VllmEmulatorHandle, type VllmEmulatorOptions } from './index.ts'

const running: VllmEmulatorHandle[] = []

afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(running.splice(0).map((h) => h.kill()))
})

function start(opts: Partial<VllmEmulatorOptions> & { lines?: string[] } = {}) {
  const lines = opts.lines ?? []
  const h = startVllmEmulator({
    host: '127.0.0.1',
    port: 0,
    model: 'Qwen/Qwen3-30B-A3B',
    servedModelName: 'qwen3',
    loadTimeMs: 400,
    tokensPerSecond: 400,
    onLog: (l) => lines.push(l),
    ...opts,
  })
  running.push(h)
  return { h, lines }
}

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  const port = (s.address() as { port: number }).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

const post = (url: string, body: unknown, signal?: AbortSignal) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  })

/** The parts of an OpenAI completion answer (or stream chunk) these tests read. */
interface Completion {
  object: string
  choices: Array<{
    message?: { content: string }
    delta?: { content?: string }
    finish_reason: string | null
  }>
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number }
}

const indexOf = (lines: string[], text: string) => lines.findIndex((l) => l.includes(text))

describe('vLLM emulator', () => {
  it('writes the start-up milestones in order and opens the port only at the API server line', async () => {
    const port = await freePort()
    const { h, lines } = start({ port, loadTimeMs: 600 })
    await expect.poll(() => lines.some((l) => l.includes('Loading safetensors checkpoint shards'))).toBe(true)
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow()
    await h.ready
    const order = [
      'vLLM API server version',
      'non-default args',
      'Loading safetensors checkpoint shards: 100% Completed',
      'Loading weights took',
      'Model loading took',
      'torch.compile takes',
      'Available KV cache memory:',
      'GPU KV cache size:',
      'Maximum concurrency for',
      'Capturing CUDA graphs',
      'Graph capturing finished in',
      'Starting vLLM API server 0 on http://0.0.0.0:',
      'Started server process',
      'Waiting for application startup.',
      'Application startup complete.',
    ].map((m) => indexOf(lines, m))
    expect(order.every((i) => i >= 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    const health = await fetch(`http://127.0.0.1:${port}/health`)
    expect(health.status).toBe(200)
  })

  it('serves /v1/models, JSON completions with usage, and vLLM error shapes', async () => {
    const { h } = start()
    await h.ready
    const url = h.url() as string
    const models = (await (await fetch(`${url}/v1/models`)).json()) as {
      data: Array<Record<string, unknown>>
    }
    expect(models.data[0]).toMatchObject({
      id: 'qwen3',
      owned_by: 'vllm',
      root: 'Qwen/Qwen3-30B-A3B',
      max_model_len: 32768,
    })

    const body = { model: 'qwen3', messages: [{ role: 'user', content: 'hello' }], max_tokens: 5 }
    const a = (await (await post(`${url}/v1/chat/completions`, body)).json()) as Completion
    const b = (await (await post(`${url}/v1/chat/completions`, body)).json()) as Completion
    expect(a.choices[0]!.message!.content).toBe(b.choices[0]!.message!.content)
    expect(a.choices[0]!.finish_reason).toBe('length')
    expect(a.usage.completion_tokens).toBe(5)
    expect(a.usage.total_tokens).toBe(a.usage.prompt_tokens + 5)

    const text = (await (
      await post(`${url}/v1/completions`, { model: 'qwen3', prompt: 'hi', max_tokens: 3 })
    ).json()) as Completion
    expect(text.object).toBe('text_completion')
    expect(text.usage.completion_tokens).toBe(3)

    const missing = await post(`${url}/v1/chat/completions`, { ...body, model: 'other' })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { type: 'NotFoundError', code: 404 } })
    const bad = await fetch(`${url}/v1/chat/completions`, { method: 'POST', body: '{nope' })
    expect(bad.status).toBe(400)
    const invalid = await post(`${url}/v1/chat/completions`, { model: 'qwen3', messages: 'x' })
    expect(invalid.status).toBe(400)
    expect(await invalid.json()).toMatchObject({ error: { type: 'BadRequestError' } })
  })

  it('streams SSE chunks with deltas, a usage chunk and [DONE]', async () => {
    const { h } = start()
    await h.ready
    const res = await post(`${h.url()}/v1/chat/completions`, {
      messages: [{ role: 'user', content: 'stream please' }],
      stream: true,
      max_tokens: 6,
      stream_options: { include_usage: true },
    })
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events = (await res.text()).split('\n\n').filter(Boolean)
    expect(events.at(-1)).toBe('data: [DONE]')
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')) as Completion)
    const content = chunks.flatMap((c) => c.choices.map((ch) => ch.delta?.content ?? '')).join('')
    expect(content.split(' ').length).toBe(6)
    expect(chunks.at(-1)!.usage.completion_tokens).toBe(6)
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('length')
  })

  it('paces tokens, counts in-flight requests, stops generating on client abort and moves metrics', async () => {
    const { h } = start({ tokensPerSecond: 20 })
    await h.ready
    const ac = new AbortController()
    const res = await post(`${h.url()}/v1/completions`, { prompt: 'long answer', stream: true }, ac.signal)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    await reader.read()
    expect(h.inFlight()).toBe(1)
    const during = await (await fetch(`${h.url()}/metrics`)).text()
    expect(during).toMatch(/vllm:num_requests_running\{engine="0",model_name="qwen3"\} 1\.0/)
    expect(during).toMatch(/vllm:kv_cache_usage_perc\{[^}]*\} 0\.\d*[1-9]/)
    ac.abort()
    await reader.cancel().catch(() => undefined)
    await expect.poll(() => h.inFlight(), { timeout: 2000 }).toBe(0)
    const after = await (await fetch(`${h.url()}/metrics`)).text()
    const gen = Number(/vllm:generation_tokens_total\{[^}]*\} ([\d.]+)/.exec(after)?.[1])
    expect(gen).toBeGreaterThan(0)
    expect(gen).toBeLessThan(10)
    expect(after).toMatch(/vllm:request_success_total\{[^}]*finished_reason="abort"\} 1\.0/)
    for (const name of [
      'vllm:time_to_first_token_seconds_count',
      'vllm:inter_token_latency_seconds_count',
      'vllm:time_per_output_token_seconds_count',
      'vllm:e2e_request_latency_seconds_count',
      'vllm:gpu_cache_usage_perc',
      'vllm:prompt_tokens_total',
      'vllm:num_requests_waiting',
    ]) {
      expect(after).toContain(name)
    }
  })

  it('queues requests past max-num-seqs as waiting', async () => {
    const { h } = start({ tokensPerSecond: 40, maxNumSeqs: 1 })
    await h.ready
    const ac = new AbortController()
    const reqs = [1, 2].map((i) =>
      post(`${h.url()}/v1/completions`, { prompt: `p${i}`, max_tokens: 30 }, ac.signal).catch(
        () => undefined,
      ),
    )
    await expect
      .poll(
        async () =>
          (await (await fetch(`${h.url()}/metrics`)).text()).match(
            /vllm:num_requests_waiting\{[^}]*\} 1\.0/,
          ) !== null,
      )
      .toBe(true)
    ac.abort()
    await Promise.all(reqs)
  })

  it('OOM: prints a CUDA out-of-memory traceback and exits 1 without ever listening', async () => {
    const { h, lines } = start({ failure: 'oom', failAtFraction: 0.3 })
    await expect(h.ready).rejects.toThrow()
    expect(await h.exited).toBe(1)
    expect(lines.join('\n')).toMatch(/torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate/)
    expect(lines.some((l) => l.includes('Starting vLLM API server'))).toBe(false)
    expect(h.url()).toBeNull()
  })

  it('engine death: 500s after ready, /health 503, then exit 1', async () => {
    const { h, lines } = start({ failure: 'engine-death', failAtFraction: 0.25 })
    await h.ready
    const url = h.url() as string
    await expect.poll(() => lines.some((l) => l.includes('EngineDeadError')), { timeout: 2000 }).toBe(true)
    const res = await post(`${url}/v1/chat/completions`, { messages: [{ role: 'user', content: 'x' }] })
    expect(res.status).toBe(500)
    expect((await fetch(`${url}/health`)).status).toBe(503)
    expect(lines.some((l) => /EngineCore.*died unexpectedly/.test(l))).toBe(true)
    expect(await h.exited).toBe(1)
  })

  it('hang: stops logging mid-load, never ready, stop kills it with 137', async () => {
    // The load runs on timers and performance.now(): the test moves both.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const { h, lines } = start({ failure: 'hang', failAtFraction: 0.3 })
    await vi.advanceTimersByTimeAsync(200)
    const count = lines.length
    expect(count).toBeGreaterThan(0)
    // Ten load times later: not one more line, still loading.
    await vi.advanceTimersByTimeAsync(4000)
    expect(lines.length).toBe(count)
    expect(h.state()).toBe('loading')
    const stopped = h.stop(100)
    await vi.advanceTimersByTimeAsync(100)
    await stopped
    expect(await h.exited).toBe(137)
  })

  it('stop drains in-flight requests within the grace and exits 0', async () => {
    const { h } = start({ tokensPerSecond: 200 })
    await h.ready
    const pending = post(`${h.url()}/v1/completions`, { prompt: 'finish me', max_tokens: 10 })
    await expect.poll(() => h.inFlight()).toBe(1)
    const url = h.url() as string
    const stopped = h.stop(2000)
    // Stopping: new work is refused while the running request completes.
    expect((await post(`${url}/v1/completions`, { prompt: 'late' })).status).toBe(503)
    const res = await pending
    expect(res.status).toBe(200)
    await stopped
    expect(await h.exited).toBe(0)
    expect(h.url()).toBeNull()
    await expect(fetch(`${url}/health`)).rejects.toThrow()
  })
})
