/** Every URL of the dashboard's search page, its fragments and its forms, named once. */
export const SEARCH_PATHS = {
  page: '/ui/search',
  deleteConfirm: '/ui/fragments/search/collections/delete/confirm',
  job: '/ui/fragments/search/job',
  create: '/ui/actions/search/collections',
  remove: '/ui/actions/search/collections/delete',
  ingest: '/ui/actions/search/ingest',
  query: '/ui/actions/search/query',
} as const

/** The longest document the paste form takes (the API takes more, in several documents). */
export const INGEST_MAX_CHARS = 200_000
/**
 * A pasted document longer than this is ingested as a job the page follows, so a person sees it
 * progress instead of a form that hangs (the service makes a job of its own only past 256 chunks).
 */
export const INGEST_BACKGROUND_CHARS = 20_000
/** The longest metadata JSON the paste form takes. */
export const METADATA_MAX_CHARS = 4_000
/** The longest query the query box takes. */
export const QUERY_MAX_CHARS = 2_000
/** Results shown per query. */
export const QUERY_LIMIT = 10
/** How much of a hit's text the page shows. */
export const SNIPPET_CHARS = 320
/** How often an open page asks how a large ingest is getting on. */
export const JOB_POLL_S = 1

/** The page, naming the collection the forms work on (and, without JavaScript, a question or a job). */
export function pageUrl(params: { collection?: string; delete?: string; job?: string } = {}): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v)
  const s = q.toString()
  return s ? `${SEARCH_PATHS.page}?${s}` : SEARCH_PATHS.page
}
