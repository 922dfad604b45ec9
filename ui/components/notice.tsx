/** A refusal or a result of a person's action, said in words; `items` lists the fields or nodes it is about. */

export interface Notice {
  tone: 'bad' | 'warn' | 'good'
  text: string
  items?: string[]
}

export function NoticeBox({ notice }: { notice: Notice | null | undefined }) {
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
