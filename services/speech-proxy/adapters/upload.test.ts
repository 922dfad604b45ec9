import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../../shared/errors.ts'
import { receiveUpload, type UploadOptions } from './upload.ts'

let parent: string
beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), 'upload-test-'))
})
afterEach(async () => {
  await rm(parent, { recursive: true, force: true })
})

const MB = 1024 * 1024
const options = (over: Partial<UploadOptions> = {}): UploadOptions => ({
  dir: parent,
  maxBytes: 10 * MB,
  fileFields: ['file'],
  signal: new AbortController().signal,
  ...over,
})

const formRequest = (form: FormData) => new Request('http://x/upload', { method: 'POST', body: form })

const BOUNDARY = 'test-boundary-1234'
const encoder = new TextEncoder()
const partHead = (field: string) =>
  encoder.encode(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="a.wav"\r\n` +
      'Content-Type: audio/wav\r\n\r\n',
  )

/** A multipart body generated on the fly: `totalBytes` of file data, never held anywhere. */
function generatedBody(totalBytes: number, onPull: () => void, finish = true): ReadableStream<Uint8Array> {
  const block = new Uint8Array(MB).fill(7)
  let sent = 0
  let headSent = false
  return new ReadableStream({
    pull(controller) {
      onPull()
      if (!headSent) {
        headSent = true
        controller.enqueue(partHead('file'))
      } else if (sent < totalBytes) {
        const n = Math.min(block.length, totalBytes - sent)
        controller.enqueue(block.subarray(0, n))
        sent += n
      } else if (finish) {
        controller.enqueue(encoder.encode(`\r\n--${BOUNDARY}--\r\n`))
        controller.close()
      }
    },
  })
}

const streamedRequest = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request('http://x/upload', {
    method: 'POST',
    body,
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, ...headers },
    // @ts-expect-error Node's fetch needs duplex for a streamed request body; the DOM types lack it.
    duplex: 'half',
  })

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

describe('receiveUpload', () => {
  it('streams the file to a temp dir, keeps the text fields, and cleanup removes the dir', async () => {
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(300_000).fill(3)], { type: 'audio/wav' }), 'talk.wav')
    form.append('model', 'whisper-1')
    form.append('timestamp_granularities[]', 'word')
    form.append('timestamp_granularities[]', 'segment')
    const upload = await receiveUpload(formRequest(form), options())
    const file = upload.files.file
    expect(file).toMatchObject({
      field: 'file',
      filename: 'talk.wav',
      bytes: 300_000,
      contentType: 'audio/wav',
    })
    expect((await readFile(file?.path ?? '')).length).toBe(300_000)
    expect(upload.fields).toEqual({ model: 'whisper-1', 'timestamp_granularities[]': ['word', 'segment'] })
    expect(await readdir(parent)).toHaveLength(1)
    await upload.cleanup()
    expect(await readdir(parent)).toEqual([])
  })

  it('takes several accepted file fields', async () => {
    const form = new FormData()
    form.append('mic_file', new Blob(['mic']), 'mic.wav')
    form.append('system_file', new Blob(['system!']), 'sys.wav')
    const upload = await receiveUpload(
      formRequest(form),
      options({ fileFields: ['file', 'mic_file', 'system_file'] }),
    )
    expect(upload.files.mic_file?.bytes).toBe(3)
    expect(upload.files.system_file?.bytes).toBe(7)
    await upload.cleanup()
  })

  it('refuses a 250 MB streamed body at the 200 MB limit with 413, with low memory and no file left', async () => {
    const limit = 200 * MB
    const before = process.memoryUsage().rss
    let peak = before
    let pulls = 0
    const body = generatedBody(250 * MB, () => {
      pulls++
      peak = Math.max(peak, process.memoryUsage().rss)
    })
    const err = await refusal(receiveUpload(streamedRequest(body), options({ maxBytes: limit })))
    expect(err.status).toBe(413)
    expect(err.message).toContain(String(limit))
    // Read up to the limit (no Content-Length to go by), in bounded memory.
    expect(pulls).toBeGreaterThan(200)
    expect(pulls).toBeLessThan(205)
    expect(peak - before).toBeLessThan(80 * MB)
    expect(await readdir(parent)).toEqual([])
  }, 60_000)

  it('refuses a declared Content-Length over the limit before reading the body', async () => {
    let pulls = 0
    const body = generatedBody(MB, () => pulls++)
    const req = streamedRequest(body, { 'content-length': String(20 * MB) })
    const err = await refusal(receiveUpload(req, options()))
    expect(err.status).toBe(413)
    expect(pulls).toBeLessThanOrEqual(1)
    expect(await readdir(parent)).toEqual([])
  })

  it('answers 415 for a body that is not multipart', async () => {
    const req = new Request('http://x/upload', {
      method: 'POST',
      body: '{"file":1}',
      headers: { 'content-type': 'application/json' },
    })
    expect((await refusal(receiveUpload(req, options()))).status).toBe(415)
  })

  it('answers 422 naming the field when no file is sent', async () => {
    const form = new FormData()
    form.append('model', 'whisper-1')
    const err = await refusal(receiveUpload(formRequest(form), options()))
    expect(err.status).toBe(422)
    expect(err.issues?.[0]?.field).toBe('file')
    expect(await readdir(parent)).toEqual([])
  })

  it('answers 422 for a file under a name the route does not take, and for a file sent twice', async () => {
    const unknown = new FormData()
    unknown.append('audio', new Blob(['x']), 'a.wav')
    const err = await refusal(receiveUpload(formRequest(unknown), options()))
    expect(err.status).toBe(422)
    expect(err.message).toContain('audio')

    const twice = new FormData()
    twice.append('file', new Blob(['x']), 'a.wav')
    twice.append('file', new Blob(['y']), 'b.wav')
    expect((await refusal(receiveUpload(formRequest(twice), options()))).status).toBe(422)
    expect(await readdir(parent)).toEqual([])
  })

  it('answers 400 for a malformed multipart body and removes what it wrote', async () => {
    const truncated = generatedBody(2 * MB, () => {}, false)
    const reader = truncated.getReader()
    const cut = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read()
        // Ends the body in the middle of the file part: no closing boundary.
        if (done || (value && value.length < MB && value.length > 200)) return controller.close()
        controller.enqueue(value)
        if (value.length === MB) controller.close()
      },
    })
    const err = await refusal(receiveUpload(streamedRequest(cut), options()))
    expect(err.status).toBe(400)
    expect(await readdir(parent)).toEqual([])

    const noBoundary = new Request('http://x/upload', {
      method: 'POST',
      body: 'x',
      headers: { 'content-type': 'multipart/form-data; charset=utf-8' },
    })
    expect((await refusal(receiveUpload(noBoundary, options()))).status).toBe(400)
  })

  it('stops and removes the temp dir when the client goes away mid-upload', async () => {
    const client = new AbortController()
    let pulls = 0
    const body = generatedBody(100 * MB, () => {
      pulls++
      if (pulls === 5) client.abort()
    })
    const err = await refusal(
      receiveUpload(streamedRequest(body), options({ maxBytes: 200 * MB, signal: client.signal })),
    )
    expect(err.status).toBe(499)
    expect(pulls).toBeLessThan(20)
    expect(await readdir(parent)).toEqual([])
  })
})
