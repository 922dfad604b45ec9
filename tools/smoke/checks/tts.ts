/**
 * tts: `/v1/audio/speech` speaks a short sentence as WAV, and the answer is audio: a RIFF/WAVE
 * header with a PCM format chunk and sound after it. A streamed WAV carries placeholder sizes
 * (0xFFFFFFFF) in its header, so the length is what arrived, not what the header says.
 */
import { type Check, fail } from '../check.ts'

const SENTENCE = 'Spark Control smoke test: speech is working.'
const PREFERRED_VOICE = 'af_heart'
/** Less sound than this is not a spoken sentence. */
const MIN_SECONDS = 0.2

export const ttsCheck: Check = {
  name: 'tts',
  needs: ['kokoro'],
  async run({ client }) {
    const voices =
      (await client.request('/v1/audio/voices')).json<{ voices?: { id: string }[] }>().voices ?? []
    const voice = voices.find((v) => v.id === PREFERRED_VOICE)?.id ?? voices[0]?.id
    if (!voice) return fail('/v1/audio/voices lists no voice')
    const answer = await client.request('/v1/audio/speech', {
      json: { model: 'kokoro', input: SENTENCE, voice, response_format: 'wav' },
    })
    return `${wavVerdict(answer.bytes)} (voice ${voice})`
  },
}

/** "2.1 s of 24 kHz mono WAV"; fails on anything that is not a WAV with sound in it. */
export function wavVerdict(bytes: Buffer): string {
  if (bytes.length === 0) fail('the speech answer is empty')
  if (
    bytes.length < 12 ||
    bytes.toString('latin1', 0, 4) !== 'RIFF' ||
    bytes.toString('latin1', 8, 12) !== 'WAVE'
  )
    fail(
      `the speech answer is not a WAV file (it starts with ${bytes.subarray(0, 8).toString('hex') || 'nothing'})`,
    )
  const format = findChunk(bytes, 'fmt ')
  const data = findChunk(bytes, 'data')
  if (!format || format.length < 16 || format.start + 16 > bytes.length)
    return fail('the WAV header has no format chunk')
  if (!data) return fail('the WAV file has no data chunk')
  const channels = bytes.readUInt16LE(format.start + 2)
  const rate = bytes.readUInt32LE(format.start + 4)
  const bits = bytes.readUInt16LE(format.start + 14)
  if (channels === 0 || rate === 0 || bits === 0)
    fail(`the WAV header is invalid (${channels} channels, ${rate} Hz, ${bits} bits)`)
  const seconds = (bytes.length - data.start) / (channels * rate * (bits / 8))
  if (seconds < MIN_SECONDS) fail(`the WAV file holds only ${seconds.toFixed(2)} s of sound`)
  const layout = channels === 1 ? 'mono' : `${channels}-channel`
  return `${seconds.toFixed(1)} s of ${rate / 1000} kHz ${layout} WAV`
}

/** A RIFF chunk's body: where it starts and how long the header says it is. */
function findChunk(bytes: Buffer, id: string): { start: number; length: number } | undefined {
  let at = 12
  while (at + 8 <= bytes.length) {
    const length = bytes.readUInt32LE(at + 4)
    if (bytes.toString('latin1', at, at + 4) === id) return { start: at + 8, length }
    // A streamed WAV's data chunk has no real length: nothing after it can be found.
    if (length === 0xffffffff) return undefined
    at += 8 + length + (length % 2)
  }
  return undefined
}
