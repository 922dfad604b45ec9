/**
 * Words the name rules read around a candidate: everyday English (a capitalised one at the start
 * of a sentence is no one; a lower-case one after a given name is not a surname), words that make a
 * capitalised run a thing rather than a person ("Cold Storage", "Risk Committee"), the words before
 * and after a name that say a person is meant, and a small gazetteer of places. Written for this
 * repository from general knowledge (no dataset was copied).
 */
const set = (words: string): ReadonlySet<string> => new Set(words.split(/\s+/).filter(Boolean))

/** Frequent English words (function words, verbs in their common forms, business nouns). */
export const COMMON = set(`
a about above across after again against ago ahead all almost alone along already also although always
am among an and another any anyone anything anyway are around as ask asked asking asks at away back
be became because become been before began begin behind being below best better between beyond big
both bring brought but buy by call called calling calls came can cannot cant could couldnt day days
did didnt do does doesnt doing done dont down during each early either else end enough even ever every
everyone everything exactly far few find fine first for found from full further get gets getting give
given gives go goes going gone good got great had hadnt half happy has hasnt have havent having he
hear heard her here hers herself hey hi high him himself his hold how however i if im in into is isnt
it its itself just keep kept kind knew know known last late later least less let lets like likely
little look looked looking lot lots made make makes making many maybe me mean means meant meet meeting
met might mine more most mostly much must my myself near need needed needs never new next nice no nobody
none nor not nothing now of off often oh ok okay old on once one only onto or other others our ours out
over own part per perhaps please point put quite rather really right said same saw say saying says see
seem seemed seems seen send sending sent set several shall she should shouldnt show since so some
someone something sometimes soon still such sure take taken takes taking talk talked talking tell
telling tells than thank thanks that thats the their theirs them themselves then there these they
thing things think thinking thinks this those though thought through thus to today together told
tomorrow too took toward towards tried tries try trying two um uh under until up upon us use used
using very via want wanted wants was wasnt way we well went were werent what whatever when where
whether which while who whole whom whose why will with within without wont work worked working would
wouldnt yeah yes yesterday yet you your yours yourself also mentioned confirmed agreed replied wrote
emailed texted pinged joined signed reviewed raised flagged prefers declined wondered suggested noted
explained promised argued added answered approved moved landed passed shared reached covered checked
introduced runs run leads led owns manages handles manage handle cares worried keen happy unhappy cautious
concerned interested flying flew arrived leaving left coming came join joins sign signs review reviews
call calls email emails text note notes update updates follow followed following thread re fwd cc bcc
account accounts fund funds money cash wire wires transfer transfers payment payments invoice deal
deals deck docs document documents paperwork contract contracts agreement agreements letter letters
report reports reporting fee fees price prices rate rates cost costs budget plan plans policy policies
risk risks audit audits tax taxes custody storage wallet wallets key keys exchange exchanges market
markets team teams board office offices desk client clients customer customers investor investors
partner partners company companies firm firms bank banks lawyer lawyers family friend friends guy
guys people person man woman someone meeting meetings conference lunch dinner coffee breakfast week
weeks month months year years quarter quarters morning afternoon evening night time times minute
minutes hour hours number numbers phone address amount amounts total balance allocation allocations
position positions portfolio portfolios share shares stock stocks bond bonds return returns question
questions issue issues problem problems answer answers idea ideas thing stuff side term terms sheet
subscription redemption lockup commitment commitments close closing round rounds trade trades order
orders buy sell bought sold hello dear regards best cheers sincerely kind warm morning
sounds sound works worked okay alright anyway actually basically honestly literally probably
definitely exactly absolutely certainly really truly already soon later again still maybe perhaps
due diligence private public equity real estate net asset assets value values annual general mutual
hedge gross interest income growth opportunity opportunities strategic secured unsecured proof
reserve reserves holiday holidays merry happy new old next last first second third final draft
action actions item items step steps agenda minutes summary overview background status update
review quarterly monthly weekly daily yearly term sheet sheets cold hot hardware software multisig
multi signature signatures vault vaults node nodes mining miner miners halving block blocks chain
onchain offchain transaction transactions address addresses invoice invoices channel channels
liquidity volatility exposure allocation rebalancing rebalance yield yields loan loans lending
credit debt collateral margin leverage derivatives options futures spot price target targets
legal regulatory compliance tax taxes accounting audit estate trust trusts will wills family
office retirement pension insurance annuity philanthropy charity donation gift gifts
management committee operations sales marketing research product products support engineering
security risk strategy policy governance board investor investors relations communications
confidential internal external draft final version attachment attachments subject urgent important
disclosure disclosures statement statements notice notices proposal proposals presentation checklist
schedule terms conditions onboarding setup offboarding welcome introduction invitation reminder
`)

/** Given names that are also everyday words: a name only when capitalised. */
export const EVERYDAY = set(`
will may grant mark rose june april august summer dawn sky chase hunter frank pat sue rob ray jack
gene don bob guy max sam al ed bill art faith hope joy grace victor young long green white black brown
king price banks stone wood hill lee ward page bell rich cash case love short little small sterling
early major miles hart lane west north south may an song min long ma hu he yu ye lu li bao hai ping
amber angel holly ruby pearl crystal iris violet lily daisy ivy heather olive jasmine autumn river
storm sunny penny sandy dean earl duke prince reed wade robin georgia florence victoria jordan paris
chance destiny harmony melody rosa sierra august justice honor patience mercy trinity
`)

/**
 * Capitalised words that start sentences or headers and are no one, beyond the COMMON words:
 * pronouns, greetings, section words of notes and emails.
 */
export const NOT_NAMES = set(`
the this that these those there then so but and or if when what who which yes no he she they we i it
you our your their his her everyone everybody nobody someone somebody management legal compliance
finance team board today tomorrow yesterday nothing everything each every why how also maybe now here
please note notes intro reminder subject from to cc date sent re fw fwd hi hello dear thanks regards
talked spoke lunch dinner breakfast coffee call called met meeting email emailed thread follow check
per board followup agenda summary action actions item items next update attendees present minutes
speaker transcript recording interviewer moderator host guest q a mr mrs ms dr prof sir madam
ok okay yeah yep nope hey um uh well right sure great good morning afternoon evening cheers best kind
sincerely warm happy thank sounds can could would should will shall might must do does did is are
was were has have had let lets just
`)

/** Nouns that make a capitalised run a thing, a team or a place, not a person. */
export const THINGS = set(`
office committee team desk board department division group unit network reserve storage custody
street st road rd avenue ave lane boulevard blvd square plaza building tower floor suite park
centre center hall house court bridge airport station university college school institute hospital
market markets exchange index fund funds bank capital partners holdings ventures trust foundation
council ministry agency authority commission bureau service services system systems platform app
protocol wallet account policy plan report agreement letter contract deck memo form act law code
treasury strategy summit conference forum week day month quarter year season program programme
project initiative award prize cup league club church mosque temple city county state region
province district valley river lake mountain island islands coast bay beach north south east west
central eastern western northern southern international global national federal royal
director directors managing chief officer head president vice chair chairman chairwoman founder
cofounder co-founder partner principal associate analyst manager counsel executive senior junior
treasurer secretary advisor adviser consultant banker trader operations relations investor
`)

/** Lower-case words before a name that say a person is meant: "with", "met", "thanks". */
export const CUES_BEFORE = set(`
with from by met meet meeting called call told tell asked ask cc per introduced introducing and to
via thanks thank dear hi hello hey ping pinged emailed email text texted invite invited join joined
contact contacted spoke speak saw see mr mrs ms dr
`)

/** Lower-case words after a name that only a person does in notes: "Ravindra asked". */
export const VERBS_AFTER = set(`
asked said says wants wanted thinks thought confirmed mentioned prefers preferred declined agreed
emailed wrote replied texted called signed joined reviewed raised flagged suggested promised
explained noted added answered approved introduced runs leads owns manages is was will would
has had wondered told sent says seems needs needed
`)

/**
 * Cities and territories often named in client notes; a match is a place (LOC), not a person.
 * Compared folded (accents and case), as whole values.
 */
export const PLACES: ReadonlySet<string> = new Set(
  `
london, paris, berlin, munich, frankfurt, hamburg, zurich, geneva, basel, bern, lausanne, lugano,
zug, vienna, prague, warsaw, budapest, madrid, barcelona, lisbon, porto, rome, milan, naples, turin,
venice, athens, amsterdam, rotterdam, brussels, antwerp, luxembourg, dublin, edinburgh, glasgow,
manchester, birmingham, oslo, stockholm, copenhagen, helsinki, reykjavik, tallinn, riga, vilnius,
moscow, kyiv, istanbul, ankara, dubai, abu dhabi, doha, riyadh, jeddah, cairo, casablanca, tunis,
beirut, amman, tel aviv, jerusalem, tehran, lagos, abuja, accra, kumasi, nairobi, kampala, kigali,
addis ababa, johannesburg, cape town, durban, harare, lusaka, mumbai, delhi, new delhi, bangalore,
bengaluru, chennai, hyderabad, kolkata, karachi, lahore, dhaka, colombo, singapore, hong kong,
shanghai, beijing, shenzhen, guangzhou, taipei, seoul, busan, tokyo, osaka, kyoto, yokohama, manila,
jakarta, bangkok, kuala lumpur, hanoi, ho chi minh city, sydney, melbourne, brisbane, perth, auckland,
wellington, toronto, montreal, vancouver, calgary, ottawa, new york, boston, chicago, miami, denver,
seattle, san francisco, los angeles, san diego, houston, dallas, atlanta, phoenix, philadelphia,
mexico city, sao paulo, rio de janeiro, buenos aires, bogota, caracas, montevideo, quito, panama
city, havana, nassau, bermuda, cayman islands, monaco, liechtenstein, malta, cyprus, stuttgart,
cologne, dusseldorf, lyon, marseille, seville, valencia, bilbao, krakow, bucharest, belgrade,
zagreb, ljubljana, bratislava, gothenburg, bergen, aarhus, salzburg, innsbruck, bordeaux
`
    .split(',')
    .map((place) => place.trim().replace(/\s+/g, ' '))
    .filter(Boolean),
)
