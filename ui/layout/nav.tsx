/** The dashboard's pages, in the order the owner is most likely to need them. */
export interface NavItem {
  id: PageId
  href: string
  label: string
}

export type PageId =
  | 'overview'
  | 'swap'
  | 'models'
  | 'logs'
  | 'speech'
  | 'search'
  | 'redaction'
  | 'connectivity'
  | 'ops'
  | 'history'
  | 'settings'

export const NAV_ITEMS: readonly NavItem[] = [
  { id: 'overview', href: '/', label: 'Overview' },
  { id: 'swap', href: '/ui/swap', label: 'Swap' },
  { id: 'models', href: '/ui/models', label: 'Models' },
  { id: 'logs', href: '/ui/logs', label: 'Logs' },
  { id: 'speech', href: '/ui/speech', label: 'Speech' },
  { id: 'search', href: '/ui/search', label: 'Search' },
  { id: 'redaction', href: '/ui/redaction', label: 'Redaction' },
  { id: 'connectivity', href: '/ui/connectivity', label: 'Connectivity' },
  { id: 'ops', href: '/ui/ops', label: 'Operations' },
  { id: 'history', href: '/ui/history', label: 'History' },
  { id: 'settings', href: '/ui/settings', label: '⚙ Settings' },
]

export function Nav({ current }: { current: PageId | null }) {
  return (
    <nav class="nav" aria-label="Main">
      <ul>
        {NAV_ITEMS.map((item) => (
          <li>
            <a href={item.href} aria-current={item.id === current ? 'page' : undefined}>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}
