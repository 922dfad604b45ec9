/** What the marketplace and the service page show about the package. */
export const description = {
  short: 'Run and switch models on your NVIDIA DGX Sparks, with one API for your apps',
  long:
    'Spark Control drives a small cluster of NVIDIA DGX Spark boxes over SSH: it starts and swaps ' +
    'the language model served by vLLM, proxies speech-to-text and text-to-speech, serves ' +
    'embeddings and hybrid search over Qdrant, scrubs personal data before text leaves your ' +
    'server, and watches the connection to each Spark. A dashboard shows what runs where, and one ' +
    'OpenAI-compatible API on port 9999 serves your apps.',
}
