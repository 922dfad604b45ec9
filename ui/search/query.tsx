/**
 * The query box and its answer: the mode (hybrid fuses the dense and sparse legs; or one leg
 * alone), an optional rerank of the top candidates, then each hit with its document, a snippet of
 * its text (escaped by JSX, never trusted as HTML), the fused or leg score, the rerank score, and
 * the time each stage took.
 */

import { CsrfField } from '../components/csrf.tsx'
import { type Notice, NoticeBox } from '../components/notice.tsx'
import { CollectionPicker } from './ingest.tsx'
import { QUERY_MAX_CHARS, SEARCH_PATHS, SNIPPET_CHARS } from './paths.ts'
import type { QueryAnswer, QueryHit, QueryMode, SearchCollection } from './source.ts'

export interface QueryFormData {
  query?: string
  mode: QueryMode
  rerank: boolean
  tenant?: string
}

const MODES: { mode: QueryMode; label: string }[] = [
  { mode: 'hybrid', label: 'Hybrid (dense and sparse, fused)' },
  { mode: 'dense', label: 'Dense only' },
  { mode: 'sparse', label: 'Sparse only' },
]

export function QueryForm(props: {
  collections: SearchCollection[] | null
  current: string | null
  data: QueryFormData
}) {
  const { data } = props
  return (
    <form
      class="speech-form search-query"
      method="post"
      action={SEARCH_PATHS.query}
      hx-post={SEARCH_PATHS.query}
      hx-target="#search-results"
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <CsrfField />
      <CollectionPicker
        id="search-query-collection"
        collections={props.collections}
        current={props.current}
      />
      <label for="search-query-text">Query</label>
      <input
        id="search-query-text"
        name="query"
        type="search"
        maxlength={QUERY_MAX_CHARS}
        required
        value={data.query ?? ''}
      />
      <fieldset class="search-modes">
        <legend>Mode</legend>
        {MODES.map((m) => (
          <label>
            <input type="radio" name="mode" value={m.mode} checked={data.mode === m.mode} /> {m.label}
          </label>
        ))}
      </fieldset>
      <label>
        <input type="checkbox" name="rerank" value="on" checked={data.rerank} /> Rerank the top candidates
        with bge-m3’s reranker
      </label>
      <label for="search-query-tenant">Tenant (only for a collection with a tenant field)</label>
      <input id="search-query-tenant" name="tenant" maxlength={128} value={data.tenant ?? ''} />
      <button type="submit" class="button button-primary" data-action="query">
        Search
      </button>
    </form>
  )
}

export interface QueryResult {
  notice: Notice | null
  answer: QueryAnswer | null
}

const score = (v: number) => v.toFixed(4)
const ms = (v: number) => v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS - 1)}…` : flat
}

function Hit({ hit, rank, reranked }: { hit: QueryHit; rank: number; reranked: boolean }) {
  return (
    <tr data-hit={hit.id}>
      <td>{rank}</td>
      <td>
        <span data-doc-id="">{hit.docId ?? hit.id}</span>
        {hit.chunk === null ? null : <span class="muted"> #{hit.chunk}</span>}
      </td>
      <td class="search-snippet" data-snippet="">
        {snippet(hit.text)}
      </td>
      <td data-score={hit.score}>{score(hit.score)}</td>
      {reranked ? (
        <td data-rerank-score={hit.rerankScore ?? ''}>
          {hit.rerankScore === null ? '—' : score(hit.rerankScore)}
        </td>
      ) : null}
    </tr>
  )
}

function Timings({ timings }: { timings: QueryAnswer['timings'] }) {
  if (!timings.length) return null
  return (
    <dl class="search-timings" data-timings="" aria-label="Time per stage">
      {timings.map(([stage, v]) => (
        <div>
          <dt>{stage}</dt>
          <dd data-timing={stage}>{ms(v)} ms</dd>
        </div>
      ))}
    </dl>
  )
}

function scoreLabel(answer: QueryAnswer): string {
  if (answer.mode !== 'hybrid') return `Score (${answer.mode})`
  return answer.fusion ? `Fused score (${answer.fusion})` : 'Fused score'
}

export function QueryResultView({ result }: { result: QueryResult | null }) {
  const answer = result?.answer
  return (
    <div id="search-results" aria-live="polite">
      <NoticeBox notice={result?.notice} />
      {answer ? (
        <>
          <Timings timings={answer.timings} />
          {answer.hits.length === 0 ? (
            <p class="muted" data-hits="0">
              Nothing matched.
            </p>
          ) : (
            <div class="table-wrap">
              <table class="speech-lanes search-hits" data-hits={answer.hits.length}>
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Document</th>
                    <th scope="col">Text</th>
                    <th scope="col">{scoreLabel(answer)}</th>
                    {answer.reranked ? <th scope="col">Rerank score (logit)</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {answer.hits.map((h, i) => (
                    <Hit hit={h} rank={i + 1} reranked={answer.reranked} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </div>
  )
}
