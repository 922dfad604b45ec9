/**
 * A streaming multipart/form-data reader: file parts go straight to a temp file, small fields are
 * kept as strings. Hono's parseBody() buffers the whole body, which an emulator of a 200 MB-upload
 * service must not do; this reads the request stream chunk by chunk and holds at most one chunk
 * plus a boundary's worth of bytes.
 */
import { Buffer } from 'node:buffer'
import { createWriteStream, type WriteStream } from 'node:fs'
import { join } from 'node:path'

export interface UploadedFile {
  field: string
  filename: string
  contentType: string
  path: string
  size: number
}

export interface MultipartResult {
  fields: Map<string, string[]>
  files: UploadedFile[]
}

export class MultipartError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message)
  }
}

const MAX_HEADER_BYTES = 16 * 1024
const MAX_FIELD_BYTES = 1024 * 1024
const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  return m?.[1] ?? m?.[2]
}

interface Part {
  name: string
  filename?: string
  contentType: string
  chunks?: Buffer[]
  fieldBytes: number
  file?: UploadedFile
  out?: WriteStream
}

function parseHeaders(raw: string): { name: string; filename?: string; contentType: string } {
  let name: string | undefined
  let filename: string | undefined
  let contentType = 'application/octet-stream'
  for (const line of raw.split('\r\n')) {
    const [key, ...rest] = line.split(':')
    const value = rest.join(':').trim()
    if (key?.trim().toLowerCase() === 'content-disposition') {
      name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? /\bname=([^;\s]+)/i.exec(value)?.[1]
      filename = /\bfilename="([^"]*)"/i.exec(value)?.[1] ?? /\bfilename=([^;\s]+)/i.exec(value)?.[1]
    } else if (key?.trim().toLowerCase() === 'content-type') contentType = value
  }
  if (name === undefined) throw new MultipartError(400, 'multipart part without a field name')
  return { name, filename, contentType }
}

const write = (out: WriteStream, data: Buffer) =>
  new Promise<void>((resolve, reject) => {
    out.write(data, (err) => (err ? reject(err) : resolve()))
  })

const finish = (out: WriteStream) =>
  new Promise<void>((resolve, reject) => {
    out.once('error', reject)
    out.end(() => resolve())
  })

/**
 * Reads `body` into `dir` (which the caller creates and removes). Parts with a filename become
 * files; the rest become fields.
 */
export async function readMultipart(
  body: ReadableStream<Uint8Array> | null,
  contentType: string | undefined,
  dir: string,
  maxBytes: number,
): Promise<MultipartResult> {
  const boundary = boundaryOf(contentType)
  if (!boundary) throw new MultipartError(400, 'Expected a multipart/form-data body with a boundary')
  if (!body) throw new MultipartError(400, 'Empty request body')
  const delimiter = Buffer.from(`\r\n--${boundary}`)
  const result: MultipartResult = { fields: new Map(), files: [] }
  type State = 'preamble' | 'after' | 'headers' | 'body' | 'done'
  let state = 'preamble' as State
  // The leading CRLF lets the first boundary match the same delimiter as every later one.
  let buf = Buffer.from(CRLF)
  let total = 0
  let part: Part | undefined

  const emit = async (data: Buffer) => {
    if (!part || data.length === 0) return
    if (part.out && part.file) {
      part.file.size += data.length
      await write(part.out, data)
    } else {
      part.fieldBytes += data.length
      if (part.fieldBytes > MAX_FIELD_BYTES)
        throw new MultipartError(413, `form field '${part.name}' is too large`)
      part.chunks?.push(data)
    }
  }
  const endPart = async () => {
    if (!part) return
    if (part.out && part.file) {
      await finish(part.out)
      result.files.push(part.file)
    } else {
      const list = result.fields.get(part.name) ?? []
      list.push(Buffer.concat(part.chunks ?? []).toString('utf8'))
      result.fields.set(part.name, list)
    }
    part = undefined
  }

  const step = async (): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = buf.indexOf(delimiter)
        if (at < 0) {
          buf = buf.subarray(Math.max(0, buf.length - delimiter.length + 1))
          return false
        }
        buf = buf.subarray(at + delimiter.length)
        state = 'after'
        return true
      }
      case 'after': {
        if (buf.length < 2) return false
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = 'done'
          return false
        }
        const eol = buf.indexOf(CRLF)
        if (eol < 0) return false
        buf = buf.subarray(eol + 2)
        state = 'headers'
        return true
      }
      case 'headers': {
        const end = buf.indexOf(HEADER_END)
        if (end < 0) {
          if (buf.length > MAX_HEADER_BYTES) throw new MultipartError(400, 'multipart part headers too large')
          return false
        }
        const h = parseHeaders(buf.subarray(0, end).toString('utf8'))
        buf = buf.subarray(end + 4)
        part = { name: h.name, filename: h.filename, contentType: h.contentType, fieldBytes: 0 }
        if (h.filename !== undefined) {
          // The client's file name never reaches the path: only our own counter does.
          const path = join(dir, `upload-${result.files.length}`)
          part.file = { field: h.name, filename: h.filename, contentType: h.contentType, path, size: 0 }
          part.out = createWriteStream(path)
        } else part.chunks = []
        state = 'body'
        return true
      }
      case 'body': {
        const at = buf.indexOf(delimiter)
        if (at < 0) {
          const keep = delimiter.length - 1
          if (buf.length > keep) {
            await emit(buf.subarray(0, buf.length - keep))
            buf = buf.subarray(buf.length - keep)
          }
          return false
        }
        await emit(buf.subarray(0, at))
        await endPart()
        buf = buf.subarray(at + delimiter.length)
        state = 'after'
        return true
      }
      default:
        return false
    }
  }

  const reader = body.getReader()
  try {
    while (state !== 'done') {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) throw new MultipartError(413, `Request body exceeds ${maxBytes} bytes`)
      buf = buf.length === 0 ? Buffer.from(value) : Buffer.concat([buf, value])
      while (await step()) {}
    }
    if (state !== 'done') throw new MultipartError(400, 'Truncated multipart body (no closing boundary)')
  } finally {
    if (part?.out) part.out.destroy()
    await reader.cancel().catch(() => {})
  }
  return result
}
