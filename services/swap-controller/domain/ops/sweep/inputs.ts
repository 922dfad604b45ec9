/**
 * The fixed inputs a sweep sends, the same request every time so levels compare: one sentence for
 * speech synthesis, a batch of passages for embeddings (the size of an ingest batch of short
 * chunks), and for transcription a few seconds of real speech (adapters/ops/sweep-asr-clip.ts).
 */

export const TTS_SENTENCE =
  'The quarterly planning meeting moved to Thursday afternoon, so please bring the updated budget figures.'

export const TTS_VOICE = 'af_heart'

const PASSAGES = [
  'Spark Control switches the served model on a pair of DGX Spark boxes and keeps the speech services running.',
  'The speech proxy queues transcription and synthesis requests so the GPU is never asked for more than it can do.',
  'A concurrency sweep measures throughput and latency at growing load to find where more requests stop helping.',
  'Embeddings turn each passage into a vector; similar passages end up close together in the vector space.',
  'The vector search service stores chunks of documents and finds the ones nearest to a question.',
  'Health checks that answer late while a model is busy make a loaded backend look as if it were down.',
  'Admission control keeps a bounded queue per lane and answers 503 with Retry-After when it is full.',
  'Re-measure the limit when the model, the container image or the GPU driver changes.',
]

/** Eight passages of one or two sentences: one call's worth of a typical ingest. */
export const EMBEDDING_TEXTS: readonly string[] = PASSAGES
