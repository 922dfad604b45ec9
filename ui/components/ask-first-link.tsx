/**
 * A link that opens a confirmation before anything happens: with htmx the question is fetched into
 * `#target` and scrolled into view; without JavaScript the page itself is loaded with the question in it.
 */
export interface AskFirstLinkProps {
  /** The page that shows the question without JavaScript. */
  page: string
  /** The fragment htmx fetches. */
  fragment: string
  /** The query parameter naming what the question is about, and its value. */
  param: string
  /** The page's name for it, when it differs from the fragment's. */
  pageParam?: string
  value: string
  /** The id of the element the question goes into. */
  target: string
  action: string
  label: string
  primary?: boolean
}

export function AskFirstLink(p: AskFirstLinkProps) {
  const value = encodeURIComponent(p.value)
  return (
    <a
      class={p.primary ? 'button' : 'button button-quiet'}
      href={`${p.page}?${p.pageParam ?? p.param}=${value}#${p.target}`}
      hx-get={`${p.fragment}?${p.param}=${value}`}
      hx-target={`#${p.target}`}
      hx-swap={`innerHTML show:#${p.target}:top`}
      data-action={p.action}
    >
      {p.label}
    </a>
  )
}
