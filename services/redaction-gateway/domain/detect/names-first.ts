/**
 * A small list of given names from many origins, kept in the repo so the rules can catch a name
 * a transcript writes in lower case ("then priya said"). Names that are also everyday English
 * words (will, may, grant, mark, rose, june…) are left out on purpose: in lower case they are
 * nearly always the word. Capitalised, any name still reaches the other rules.
 */
const GIVEN_NAMES = `
aaron abdul abigail adam adrian ahmed aisha akira alejandro alexander alexandra alice alina amanda amir
ana andrea andreas andrew angela anika anna anne antonio anya arjun arthur ayesha beatriz benjamin
bernard brian camila carlos carmen caroline catherine charles charlotte chen chloe christian christina
christopher claire daniel david deepak diana diego dmitri dylan elena elif elizabeth emily emma eric
ethan fatima felix fernando fiona francesca francisco gabriel george giulia hannah hans hassan helen
henry hiroshi hugo ibrahim igor ingrid isabel isabella ivan james jan jane jennifer jessica joao john
jonathan jorge jose joseph juan julia julian kai karen katarina kenji kevin klaus kwame lars laura
leila lena leon liam lin linda lucas lucia luis maria marco mariana martin matteo matthew mehmet
michael michelle miguel mohammed muhammad nadia natalia nicholas nikolai nina noah olga oliver olivia
omar oscar pablo patrick paul pedro peter pierre priya rafael rahul raj rebecca ricardo robert
rodrigo samuel sandra sara sarah sebastian sergei simon sofia sophie stefan stephanie sven takeshi
thomas tim timothy tom tomas valentina victor vikram wei william xavier yuki yusuf zainab zoe
nguyen oluwaseun chidi ngozi anil sanjay kofi ama thabo lerato mateus joaquin ines leonie jonas
`

export const FIRST_NAMES: ReadonlySet<string> = new Set(GIVEN_NAMES.split(/\s+/).filter(Boolean))
