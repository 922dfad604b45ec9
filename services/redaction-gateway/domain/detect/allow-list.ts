import { foldKey } from './known-fold.ts'

/**
 * Public terms the name detectors must leave alone: they identify no one, and a transcript
 * about bitcoin with every "Coinbase" and "Monday" tokenised would be useless to the model.
 * Compared folded (case, accents), as whole values.
 */
const PUBLIC_TERMS = `
# days, months, seasons, holidays
monday, tuesday, wednesday, thursday, friday, saturday, sunday
january, february, march, april, may, june, july, august, september, october
november, december, christmas, easter, thanksgiving, new year
# bitcoin and markets
bitcoin, btc, lightning, lightning network, satoshi, satoshi nakamoto, ethereum, ether
solana, tether, usdc, stablecoin, nasdaq, nyse, s&p, s&p 500, dow jones, wall street
coinbase, kraken, binance, bitstamp, gemini, blockstream, strike, river, swan
microstrategy, strategy, blackrock, fidelity, vanguard, grayscale, ibit, etf
# regulators and public institutions
federal reserve, the fed, fed, sec, cftc, finma, fca, ecb, imf, world bank, irs
treasury, congress, senate, white house, european union, eu, un, united nations
# software and platforms
google, apple, microsoft, amazon, meta, facebook, twitter, x, linkedin, youtube
zoom, slack, teams, whatsapp, signal, telegram, gmail, outlook, excel, notion
salesforce, hubspot, docusign, github, openai, chatgpt, iphone, android, windows
# roles and business words the rules see capitalised
ceo, cfo, cto, coo, vp, md, gp, lp, lps, kyc, aml, ipo, nda, loi, crm, ai
api, q&a, faq, ok, okay, hi, hello, thanks, thank you, yes, no, sure, great
god, internet, covid
`

const ALLOWED = new Set(
  PUBLIC_TERMS.split('\n')
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => line.split(','))
    .map((term) => term.trim())
    .filter(Boolean),
)

export function isAllowed(value: string): boolean {
  return isAllowedKey(foldKey(value))
}

/** The same for a value already folded (`foldKey`), as the name rules hold each word. */
export function isAllowedKey(key: string): boolean {
  return ALLOWED.has(key) || (key.startsWith('the ') && ALLOWED.has(key.slice(4)))
}
