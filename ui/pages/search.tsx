/**
 * Search: the collections with how many chunks each holds, a form to ingest a pasted document, and
 * a query box showing hybrid (or dense, or sparse) results with their scores and the time each
 * stage took. Filled in on the server, so it works without JavaScript; with it the forms answer in
 * place. The panel at the top says whether search works now, from vector-search's own report.
 */
import { Placeholder } from '../components/placeholder.tsx'
import { type Chrome, Layout } from '../layout/layout.tsx'
import { CollectionList, CreateForm, DeleteConfirm } from '../search/collections.tsx'
import { HealthPanel, type SearchHealth } from '../search/health.tsx'
import { IngestForm, type IngestFormData, type IngestResult, IngestResultView } from '../search/ingest.tsx'
import { QueryForm, type QueryFormData, type QueryResult, QueryResultView } from '../search/query.tsx'
import type { SearchCollection } from '../search/source.ts'

export interface SearchPageData {
  health: SearchHealth | null
  collections: SearchCollection[] | null
  /** The collection the forms work on. */
  current: string | null
  /** The delete question, when the page was asked for it (without JavaScript). */
  confirm: SearchCollection | null
  ingest: { form: IngestFormData; result: IngestResult | null }
  query: { form: QueryFormData; result: QueryResult | null }
}

export function SearchPage({ chrome, data }: { chrome: Chrome; data: SearchPageData }) {
  const pick = { collections: data.collections, current: data.current }
  return (
    <Layout title="Search" current="search" chrome={chrome}>
      <h1>Search</h1>
      <HealthPanel health={data.health} />
      <section aria-labelledby="search-collections-h">
        <h2 id="search-collections-h">Collections</h2>
        <CollectionList collections={data.collections} current={data.current} />
        <div id="search-confirm">{data.confirm ? <DeleteConfirm collection={data.confirm} /> : null}</div>
        <h3>Make a collection</h3>
        <p class="muted">
          Dense vectors of 1024 dimensions (bge-m3, cosine) and sparse vectors; a tenant field keeps each
          tenant's documents apart.
        </p>
        <CreateForm />
      </section>
      {data.collections?.length || data.current ? (
        <>
          <section aria-labelledby="search-ingest-h">
            <h2 id="search-ingest-h">Ingest a document</h2>
            <p class="muted">
              The text is cut into chunks along its paragraphs and sentences, each embedded dense and sparse
              by bge-m3. Ingesting the same id again with the same text changes nothing.
            </p>
            <IngestForm {...pick} data={data.ingest.form} />
            <IngestResultView result={data.ingest.result} />
          </section>
          <section aria-labelledby="search-query-h">
            <h2 id="search-query-h">Try a query</h2>
            <QueryForm {...pick} data={data.query.form} />
            <QueryResultView result={data.query.result} />
          </section>
        </>
      ) : null}
    </Layout>
  )
}

/** The page of a dashboard built without vector-search (a test, or a gateway without it). */
export function SearchPlaceholder({ chrome }: { chrome: Chrome }) {
  return (
    <Layout title="Search" current="search" chrome={chrome}>
      <Placeholder title="Search">
        <p>The search service is not connected to this dashboard, so there is nothing to show.</p>
      </Placeholder>
    </Layout>
  )
}
