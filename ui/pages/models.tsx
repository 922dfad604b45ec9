/**
 * The models on the Sparks: what is there and what launches it, downloading a new one, deleting
 * one, and adding a custom card. Filled in on the server, so it works without JavaScript too;
 * with it, the list and the downloads refresh themselves.
 */
import { type Chrome, Layout } from '../layout/layout.tsx'
import { type AddData, AddForm } from '../models/add-form.tsx'
import { DeleteConfirm } from '../models/delete-confirm.tsx'
import { DownloadConfirm, type DownloadConfirmData, DownloadForm } from '../models/download-form.tsx'
import { Downloads, type DownloadsData, DownloadsNotice } from '../models/downloads.tsx'
import { ModelList } from '../models/model-list.tsx'
import type { MenuModel, ModelMenu, Suggestion } from '../models/source.ts'

export interface ModelsPageData {
  menu: ModelMenu | null
  downloads: DownloadsData
  suggestions: Suggestion[]
  add: AddData
  /** Pre-rendered questions for `?repo=` and `?delete=` (the way without JavaScript). */
  downloadConfirm: DownloadConfirmData | null
  deleteConfirm: MenuModel | null
}

export function ModelsPage({ chrome, data }: { chrome: Chrome; data: ModelsPageData }) {
  return (
    <Layout title="Models" current="models" chrome={chrome}>
      <h1>Models</h1>
      <div id="models-confirm">
        {data.deleteConfirm ? <DeleteConfirm model={data.deleteConfirm} /> : null}
      </div>
      <ModelList menu={data.menu} />
      <section aria-labelledby="download-h">
        <h2 id="download-h">Download a model</h2>
        <DownloadForm suggestions={data.suggestions} value={data.downloadConfirm?.repo} />
        <div id="download-confirm">
          {data.downloadConfirm ? <DownloadConfirm data={data.downloadConfirm} /> : null}
        </div>
        <DownloadsNotice notice={null} />
        <Downloads data={data.downloads} />
      </section>
      <AddForm data={data.add} />
    </Layout>
  )
}
