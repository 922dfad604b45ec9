/**
 * Multipart uploads streamed to disk. Audio can be hundreds of megabytes, so no file is ever held in
 * memory: busboy splits the body as it arrives, each file part is written to a per-request temp
 * directory, and the body is counted on the way in so an oversize upload stops at the limit (413)
 * instead of filling the disk. Whatever happens (success, refusal, malformed body, client gone) the
 * temp directory goes away: on failure before this returns, on success when the caller calls
 * `cleanup()`.
 */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import busboy from 'busboy'
import { AppError, badRequest, payloadTooLarge, validationFailed } from '../../../shared/errors.ts'

export interface UploadedFile {
  field: string
  filename: string | null
  path: string
  bytes: number
  contentType: string | null
}

export interface Upload {
  files: Record<string, UploadedFile>
  fields: Record<string, string | string[]>
  cleanup(): Promise<void>
}

export interface UploadOptions {
  /** Parent of the per-request temp directory. */
  dir: string
  /** Ceiling on the whole request body, files and fields together. */
  maxBytes: number
  /** The file fields the route accepts; a file under any other name is refused (422). */
  fileFields: readonly string[]
  signal: AbortSignal
}

/** Text fields are small (a timeline of a long meeting is tens of kilobytes); more is not a form. */
const MAX_FIELD_BYTES = 4 * 1024 * 1024
const MAX_FIELDS = 200

const clientGone = () => new AppError(499, 'client_closed', 'The client went away.')

export async function receiveUpload(req: Request, opts: UploadOptions): Promise<Upload> {
  const contentType = req.headers.get('content-type') ?? ''
  if (!/^multipart\/form-data\s*;/i.test(contentType))
    throw new AppError(415, 'unsupported_media_type', 'Send the audio as multipart/form-data.')
  const declared = Number(req.headers.get('content-length') ?? Number.NaN)
  if (declared > opts.maxBytes) throw payloadTooLarge(opts.maxBytes)
  if (!req.body) throw validationFailed([missingFile(opts.fileFields)])
  if (opts.signal.aborted) throw clientGone()

  const dir = await mkdtemp(join(opts.dir, 'upload-'))
  const cleanup = () => rm(dir, { recursive: true, force: true })
  try {
    const parsed = await parse(req.body, contentType, dir, opts)
    if (Object.keys(parsed.files).length === 0) throw validationFailed([missingFile(opts.fileFields)])
    return { ...parsed, cleanup }
  } catch (err) {
    await cleanup()
    throw err
  }
}

function missingFile(fileFields: readonly string[]) {
  const names = fileFields.map((f) => `'${f}'`).join(' or ')
  return {
    field: fileFields[0] ?? 'file',
    location: 'body',
    message: `An audio file is required in the multipart field ${names}.`,
    type: 'value_error.missing',
  }
}

type Parsed = Pick<Upload, 'files' | 'fields'>

/** Feeds the body into busboy by hand so the byte count can stop reading the moment it is over. */
async function parse(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  dir: string,
  opts: UploadOptions,
): Promise<Parsed> {
  let bb: busboy.Busboy
  try {
    bb = busboy({
      headers: { 'content-type': contentType },
      limits: { fieldSize: MAX_FIELD_BYTES, fields: MAX_FIELDS, files: opts.fileFields.length },
    })
  } catch (err) {
    throw badRequest(`Malformed multipart body: ${(err as Error).message}`)
  }
  const sink = collectParts(bb, dir, opts.fileFields)
  const reader = body.getReader()
  const onAbort = () => {
    sink.fail(clientGone())
    reader.cancel().catch(() => {})
  }
  opts.signal.addEventListener('abort', onAbort, { once: true })
  try {
    const pumped = pump(reader, bb, opts.maxBytes)
    // Whichever loses the race may still reject; that outcome is already decided.
    pumped.catch(() => {})
    await Promise.race([pumped, sink.failed])
    return await sink.done
  } catch (err) {
    reader.cancel().catch(() => {})
    bb.destroy()
    await sink.settle()
    throw opts.signal.aborted ? clientGone() : err
  } finally {
    opts.signal.removeEventListener('abort', onAbort)
  }
}

async function pump(reader: ReadableStreamDefaultReader<Uint8Array>, bb: busboy.Busboy, maxBytes: number) {
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) throw payloadTooLarge(maxBytes)
    if (!bb.write(value)) await once(bb, 'drain')
  }
  bb.end()
}

interface PartSink {
  /** Resolves with the parts once busboy and every file write have finished. */
  done: Promise<Parsed>
  /** Rejects on the first parse or write failure. */
  failed: Promise<never>
  fail(err: AppError): void
  /** Stops every file write and waits until each has closed, so the directory can be removed. */
  settle(): Promise<void>
}

function collectParts(bb: busboy.Busboy, dir: string, fileFields: readonly string[]): PartSink {
  const files: Record<string, UploadedFile> = {}
  const fields: Record<string, string | string[]> = {}
  const writes: Promise<unknown>[] = []
  const streams: (Readable | Writable)[] = []
  let reject: (err: unknown) => void = () => {}
  const failed = new Promise<never>((_, r) => {
    reject = r
  })
  failed.catch(() => {})
  const fail = (err: unknown) => {
    for (const s of streams) s.destroy()
    reject(err)
  }

  bb.on('file', (field, stream, info) => {
    streams.push(stream)
    // busboy ends an unfinished part with an error on the part's own stream ("Unexpected end of form").
    stream.on('error', (err) => fail(badRequest(`Malformed multipart body: ${err.message}`)))
    if (!fileFields.includes(field) || files[field]) {
      stream.resume()
      const why = files[field]
        ? 'was sent twice'
        : `is not a file field here (expected ${fileFields.join(', ')})`
      fail(validationFailed([{ field, location: 'body', message: `'${field}' ${why}.` }]))
      return
    }
    const entry: UploadedFile = {
      field,
      filename: info.filename || null,
      path: join(dir, `${Object.keys(files).length}-${field}`),
      bytes: 0,
      contentType: info.mimeType || null,
    }
    files[field] = entry
    stream.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length
    })
    const out = createWriteStream(entry.path)
    streams.push(out)
    stream.pipe(out)
    writes.push(finished(out).catch((err) => fail(badRequest(`Could not store the upload: ${err.message}`))))
  })
  bb.on('field', (name, value, info) => {
    if (info.valueTruncated) fail(badRequest(`Field '${name}' is longer than ${MAX_FIELD_BYTES} bytes.`))
    const prev = fields[name]
    fields[name] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value]
  })
  bb.on('filesLimit', () =>
    fail(validationFailed([{ field: '', location: 'body', message: 'Too many files in the form.' }])),
  )
  bb.on('fieldsLimit', () => fail(badRequest(`More than ${MAX_FIELDS} form fields.`)))
  bb.on('error', (err: Error) => fail(badRequest(`Malformed multipart body: ${err.message}`)))

  const closed = new Promise<void>((resolve) => bb.once('close', resolve))
  const done = Promise.race([closed.then(() => Promise.all(writes)), failed]).then(() => ({ files, fields }))
  done.catch(() => {})
  const settle = async () => {
    for (const s of streams) s.destroy()
    await Promise.allSettled(writes)
  }
  return { done, failed, fail, settle }
}
