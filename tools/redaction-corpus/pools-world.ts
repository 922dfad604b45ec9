/**
 * Organisations, funds, places and streets. Company and fund names are made up from parts; web and
 * mail domains stay under the names reserved for documentation (example.com, example.org, example.net).
 */
const words = (s: string) => s.trim().split(/\s*,\s*/)

export const ORG_ROOTS = words(
  'Harbor Ridge, Brightwater, Kestrel, Ironbark, Silverline, Blue Heron, Granite Peak, Northwind, ' +
    'Amberfield, Copperleaf, Redwood Shore, Tidewater, Falconer, Larkspur, Stonebridge, Windmere, ' +
    'Oakhaven, Driftwood, Meadowlark, Quarry Lane, Aldergrove, Cobalt Bay',
)
export const ORG_SUFFIXES = words(
  'Capital, Holdings LLC, Partners, Advisors, Group, Analytics GmbH, Trust Company, Ventures, ' +
    'Logistics Ltd, Family Office, Wealth Management, Custody AG, Mining Inc., Labs',
)
export const FUND_ROOTS = words(
  'Northgate, Meridian, Evergreen, Polaris, Highline, Summit Arc, Lodestar, Cinder Hill, Waypoint, Harrow',
)
export const FUND_SUFFIXES = words(
  'Growth Fund II, Bitcoin Opportunities Fund, Credit Fund III, Income Fund LP, Venture Fund IV, ' +
    'Digital Assets Fund, Special Situations Fund',
)
export const LOCATIONS = words(
  'Lagos, Porto, Rotterdam, Zug, Accra, Kraków, Bergen, Osaka, Busan, Pune, Monterrey, Valparaíso, ' +
    'Galway, Bologna, Tampere, Dubrovnik, Chiang Mai, Cape Coast, Aarhus, Nagoya, Cork, Lisbon, Tbilisi',
)

export const STREET_NAMES = words(
  'Elm, Willow Creek, Maple, Larch, Hawthorne, Juniper, Chestnut, Foxglove, Birchwood, Sycamore, Alder, Linden',
)
export const STREET_SUFFIXES = words('Street, Avenue, Road, Lane, Drive, Court, Boulevard, Place, Way')
export const US_CITIES = [
  ['Springfield', 'IL'],
  ['Riverton', 'WY'],
  ['Fairview', 'TN'],
  ['Greenville', 'SC'],
  ['Madison', 'WI'],
  ['Franklin', 'MA'],
] as const
export const EU_STREETS = words('Bahnhofstrasse, Lindenstraße, Seefeldweg, Marktplatz, Rosengasse')
export const EU_CITIES = words('Zürich, Bern, Basel, Luzern, Winterthur')

export const MAIL_DOMAINS = words('example.com, example.org, example.net, mail.example.com, corp.example.net')
