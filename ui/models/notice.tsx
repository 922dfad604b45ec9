/** A refusal or a result, said in words; `items` lists the fields or nodes it is about. */
import { ModelsSourceError } from './source.ts'

export interface ModelsNotice {
  tone: 'bad' | 'warn' | 'good'
  text: string
  items?: string[]
}

export function NoticeBox({ notice }: { notice: ModelsNotice | null | undefined }) {
  if (!notice) return null
  return (
    <div class={`notice notice-${notice.tone}`} role="alert" data-notice={notice.tone}>
      <p>{notice.text}</p>
      {notice.items?.length ? (
        <ul>
          {notice.items.map((i) => (
            <li>{i}</li>
          ))}
        </ul>
      ) : null}
    </div>
  )
}

/** A 4xx is the controller saying no (shown as it is); anything else is it not answering. */
export function refusal(err: unknown): ModelsNotice {
  if (!(err instanceof ModelsSourceError)) {
    return { tone: 'bad', text: 'The swap controller did not answer; reload in a moment to see whether anything changed.' }
  }
  const items = err.fields.map((f) => `${f.field}: ${f.message}`)
  const text = err.fields.length && err.message === items.join('; ') ? 'The controller refused it:' : err.message
  return { tone: err.status < 500 ? 'warn' : 'bad', text, items }
}
