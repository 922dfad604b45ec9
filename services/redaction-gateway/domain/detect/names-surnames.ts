/**
 * Surnames of many origins, and the particles that join compound surnames ("De Luca", "van der
 * Berg", "dos Santos", "bin Rashid"). Written for this repository from general knowledge of common
 * surnames (no dataset was copied). The rules mostly read a surname from its shape (a capitalised
 * word after a given name); the list matters for lower-case transcripts and lone surnames.
 */
const SURNAMES = `
smith johnson williams brown jones miller davis wilson anderson taylor thomas moore martin jackson
thompson white harris clark lewis robinson walker hall allen wright scott green baker adams nelson
hill campbell mitchell roberts carter phillips evans turner parker collins edwards stewart morris
murphy cook rogers morgan cooper peterson reed bailey bell kelly howard ward cox richardson wood
watson brooks bennett gray hughes price sanders myers long ross foster powell jenkins perry russell
sullivan fisher henderson coleman simmons patterson jordan reynolds hamilton graham wallace gibson
ellis fleming harrison kennedy mason marshall owens palmer pearson porter rhodes shaw spencer stone
sutton walsh warren webb wells west whitaker whitfield clarke attwood hart davies lloyd hughes
atkinson barker chapman dixon fletcher gardner harper holmes hunt knight lawrence mills newman
o'brien o'connor o'neill o'sullivan o'donnell o'reilly o'callaghan mcdonald mccarthy mcgrath
mclaughlin mcmahon murray doyle byrne ryan keane kavanagh brennan gallagher quinn walsh fitzgerald
garcia rodriguez martinez hernandez lopez gonzalez perez sanchez ramirez torres flores rivera gomez
diaz reyes cruz morales ortiz gutierrez chavez ramos ruiz alvarez mendoza castillo jimenez moreno
romero herrera medina aguilar vargas castro fernandez guzman munoz rojas navarro delgado vega soto
ortega mendez silva cortes santos pena suarez marquez blanco molina serrano iglesias cabrera
carvalho oliveira souza sousa pereira costa rodrigues almeida ferreira lima gomes ribeiro martins
barbosa araujo rocha dias nascimento moreira cardoso teixeira correia pinto mendes fonseca
rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti costa
giordano mancini rizzo lombardi moretti barbieri fontana santoro mariani rinaldi caruso ferrara
galli martini leone longo gentile martinelli vitale lombardo serra coppola santangelo luca
de vries jansen bakker visser smit meijer mulder bos vos dekker berg dijk boer brink hendriks
janssen dijkstra peeters maes willems claes
al-rashid al-sayed al-farsi al-hashimi al-mansour haddad hussain hussein khan khalil mansour nasser
rahman saleh aziz hamdan qureshi shaikh siddiqui karimi rahimi hosseini ahmadi mohammadi
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng liang xie
song tang han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu
tanaka suzuki takahashi watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki
yamaguchi matsumoto inoue kimura hayashi shimizu yamazaki mori abe ikeda hashimoto ishikawa ogawa
okada goto hasegawa murakami kondo sato saito fujita
kim lee park choi jung kang cho yoon jang lim han oh seo shin kwon hwang ahn song jeon hong
patel sharma singh kumar gupta shah mehta verma reddy nair iyer rao joshi desai chopra kapoor malhotra
agarwal banerjee chatterjee mukherjee das bose pillai menon krishnan raman subramanian bhat
okafor okonkwo adeyemi adebayo okoro eze nwosu obi okeke chukwu ibekwe olawale babatunde afolabi
oyelaran ogunleye balogun bello abubakar mohammed yusuf danjuma
mensah asante owusu boateng osei appiah agyeman ofori darko amoah addo quaye tetteh annan
ivanov petrov sokolov volkov popov kuznetsov smirnov novak kowalski nowak wisniewski kaminski
lewandowski zielinski horvat novakova dvorak svoboda petrova ivanova kovacs nagy shevchenko
kovalenko bondarenko
johansson andersson karlsson nilsson eriksson larsson olsen hansen jensen nielsen pedersen
andersen lindqvist lindgren lindberg berg holm lund strand dahl haugen larsen eriksen lindholm
moyo dlamini nkosi khumalo ndlovu mokoena mthembu zulu
muller schmidt schneider fischer weber meyer wagner becker schulz hoffmann koch richter klein wolf
schroder neumann schwarz zimmermann braun kruger hofmann hartmann lange werner krause huber vogt
moreau dubois lefebvre laurent simon michel leroy roux fontaine chevalier bertrand girard bonnet
dupont lambert rousseau vincent mercier
yilmaz kaya demir sahin celik yildiz aydin ozturk arslan dogan
`

/** Lower-case words that join the parts of a surname or stand before it. */
export const PARTICLES: ReadonlySet<string> = new Set(
  'van der den de del della di da das do dos du la le von zu ter ten bin ibn bint al el y e st'.split(' '),
)

export const SURNAME_SET: ReadonlySet<string> = new Set(SURNAMES.split(/\s+/).filter(Boolean))
