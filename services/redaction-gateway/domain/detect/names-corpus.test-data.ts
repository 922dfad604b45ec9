/**
 * A mini-corpus for the rule-based names: CRM notes and transcript turns with people of many
 * origins, some written in lower case as speech-to-text leaves them. `{…}` marks a person (must
 * be found), `<…>` an organisation, fund or place (may be found, never counted against precision).
 */
export const NAMES_CORPUS = `
Met with {Sarah Johnson} from <Acme Capital> in <Zurich> on Monday.
{Priya Raman} wants the deck before the <Blue Harbor Partners LLC> call.
Dr. {Patel} reviewed the custody plan with {Kwame Mensah}.
Call notes: {Mohammed Al-Rashid} is cautious about the lockup.
{Ana Beatriz Souza} joined from <São Paulo> and asked about fees.
Intro from {Hiroshi Tanaka} to {Elena Petrova}, both LPs in <Northwind Growth Fund II>.
so then {priya} said the wire would land friday
yeah {john} asked if we could move the meeting
{Lars Eriksson} prefers cold storage over an ETF.
Follow up with {Chen Wei} about the <Singapore> entity.
Mr. {O'Brien} called twice about the redemption.
{Fatima Zahra} and {Omar Haddad} co-invest through <Atlas Family Office>.
Ms. {Nakamura} will send the signed NDA.
{Diego Fernández} from <Cobalt Ventures> pinged on Slack.
we spoke to {sofia} yesterday about the allocation
{Jean-Luc Moreau} is the new CFO at <Lumen Holdings>.
Talked to {Ngozi Okafor} about the Lagos office.
{Aisha Bello} confirmed the Q3 commitment.
{Sven Lindqvist} wants quarterly reporting.
{kenji} mentioned that the fund is oversubscribed
Board call with {Isabella Rossi} and {Matteo Bianchi}.
{Arjun Mehta} introduced us to <Redwood Trust>.
Per {Yuki Sato}, the custody audit is done.
Prof. {Schneider} gave a talk on bitcoin mining.
{Thabo Nkosi} is flying in from <Johannesburg>.
{olga} said the paperwork is at the notary
{Rafael Costa} asked whether Coinbase custody is enough.
Email thread with {Leila Karimi} re: the side letter.
{Dmitri Volkov} declined to commit this quarter.
Spoke with {Hannah Schmidt} at <Helvetia Bank>.
{Juan Carlos Ortega} will co-sign the subscription docs.
Reminder: send {Amelia Clarke} the updated model.
{Tomás Novák} from <Prague> wants a call on Tuesday.
{Wei Zhang} and {Lin Chen} run the <Shanghai> desk.
{Chidi Eze} said the Federal Reserve decision changes nothing.
{Anika Sharma} is our contact at <Meridian Advisors>.
{liam} was on the call too
{Marco Ferrari} signed the LOI on Wednesday.
Sir {David Attwood} wants a bespoke mandate.
{Lucia Romero} will join the AGM in <Madrid>.
{Ibrahim Yusuf} raised concerns about KYC timing.
Intro call: {Sophie Dubois} (<Paris>) and {Felix Wagner} (<Munich>).
{Rahul Verma} asked about Lightning payouts.
{Katarina Horvat} needs the W-8BEN form.
{Samuel Adeyemi} wants exposure through <Harbor Point Fund>.
we met {emma} and {lucas} at the conference
{Gabriel Silva} prefers a call over email.
{Nina Kowalski} is leaving <Granite Capital> next month.
Lunch with {Oliver Bennett} at the club.
{Zainab Hussain} asked for the audited financials.
{Pierre Lefebvre} confirmed the wire from <Geneva>.
Check with {Valentina Cruz} before Friday.
{Ahmed Mansour} mentioned the Bitcoin treasury policy.
{Ingrid Larsen} from <Oslo> wants monthly updates.
{Vikram Singh} thinks the price target is too high.
Mrs. {Whitfield} called about her trust.
{Mariana López} is reviewing the term sheet.
{Xavier Dupont} and the team at <Sterling Partners> passed.
{Carlos Mendoza} flagged a problem with the custody key ceremony.
ok so {ana} will send it over and {diego} will review
{Stefan Huber} from <Vienna> joined late.
{Chloe Martin} asked for the Zoom link.
{Yusuf Demir} confirmed he is in for five million.
{Elif Yilmaz} wants a follow-up in September.
{Bartholomew Quist} runs treasury at <Ferncliff Logistics>.
We had coffee with {Tendai Moyo} and {Siobhan Keane}.
Can {Rosalind} join the call on Thursday?
Notes from the dinner: {Ezekiel Obi} is keen, {Margarethe Vogt} less so.
{Ravindra} asked for a discount on the management fee.
the guy from the bank, {ferdinand}, called again
I think {Nomvula Dlamini} should lead the diligence.
{Aurelio Santangelo} asked when the next close is.
`
  .trim()
  .split('\n')
