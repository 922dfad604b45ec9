/**
 * Given names of many origins, so the rules know a first name in any case ("then priya said") and
 * at the start of a sentence. Written for this repository from general knowledge of common names
 * (no dataset was copied); grouped by origin only to keep the list reviewable. Names that are also
 * everyday English words (will, may, grant, mark, rose, june…) are in `names-words.ts`'s EVERYDAY
 * list as well: in lower case they are nearly always the word, so they count only capitalised.
 */
const GIVEN_NAMES = `
aaron abigail adam adrian aidan alan albert alex alexander alexandra alfred alice alicia alison amanda
amber amelia amy andrew angela anna anne annie anthony arthur audrey austin barbara beatrice ben benjamin
bernard beth bethany betty brandon brenda brian bridget caitlin cameron carl caroline carol catherine
charles charlie charlotte chloe christina christine christopher claire clara colin connor craig daisy
daniel danielle david deborah dennis derek diana diane donald donna dorothy douglas dylan edward eileen
eleanor elizabeth ellen ellie emily emma eric ethan evelyn fiona florence francis fred frederick gabriel
gail gareth gary gemma geoffrey george georgia gerald gordon graham gregory gwen hannah harold harriet
harry harvey heather helen henry holly howard hugh ian imogen isaac isabel isabella isabelle jack jacob
jacqueline james jamie jane janet jason jeffrey jennifer jeremy jessica jill joan joanna joanne john
jonathan jordan joseph joshua joyce judith julia julian julie justin karen kate katherine kathleen
katie keith kelly kenneth kevin kieran kimberly kyle laura lauren leah leonard lewis liam lily linda
lindsay lisa louis louise lucy luke lydia madeline margaret maria marian marie marilyn martha martin
mary matthew megan melanie melissa michael michelle miles molly nancy naomi natalie nathan neil nicholas
nicola nigel noah oliver olivia owen pamela patricia patrick paul paula peter philip phoebe rachel
ralph rebecca richard robert robin roger ronald rosalind ruth ryan sally samantha samuel sandra sarah
scott sean sharon shirley simon sophia sophie stanley stephanie stephen steven stuart susan teresa
theodore thomas timothy toby tom tony tracy trevor ursula valerie vanessa vera victoria vincent walter
wendy william zachary zoe
alejandro alberto alfonso alicia alvaro ana andres angel antonio beatriz camila carlos carmen catalina
cristina diego dolores eduardo elena emilio enrique esteban fernando francisco gabriela gonzalo
guadalupe guillermo gustavo hector ignacio ines isabel javier jesus jimena joaquin jorge jose josefina
juan juana julio laura leticia lorena lucia luis luisa manuel marcela marco margarita mariana mario
marta mateo mercedes miguel monica natalia nicolas olga pablo paloma patricia pedro pilar rafael ramon
raquel raul ricardo roberto rocio rodrigo rosario salvador santiago sergio silvia sofia teresa tomas
valentina veronica victor ximena yolanda
joao jose antonio francisco manuel paulo pedro rui tiago lucas goncalo duarte afonso andre bruno caio
fernanda gabriela heloisa leticia luana mariana rafaela thiago vinicius joana ines beatriz leonor
matilde catarina margarida rodrigo diogo miguel
alessandro alessandra andrea angelo antonella beatrice bruno carla chiara claudia cristiano daniela
dario davide elisa emanuele enrico fabio federica federico francesca gabriele giacomo gianluca giorgio
giovanni giulia giuseppe ilaria leonardo lorenzo luca lucia marco matteo michele nicola paola paolo
pietro raffaele riccardo roberta rosa salvatore serena silvia simone stefano tommaso valentina vittoria
aart anouk bram daan dirk femke floor geert hendrik henk jan jeroen joost joris koen lotte maarten
marieke niels pieter ruud sanne sander sem stijn thijs tim wouter willem ilse lieke
aoife caoimhe ciara cian conor declan deirdre eamon eoin fergal fionn grainne niamh oisin padraig
roisin ronan saoirse seamus sinead siobhan padraic orla
abdullah abdul ahmad ahmed aisha ali amal amina amir amira anwar aya bilal farah farid fatima faisal
ghada habib hadi hamza hana hassan hussein ibrahim imran jamal karim khadija khalid laila layla leila
mahmoud malik mariam maryam mohamed mohammed mohammad muhammad mustafa nadia nasser nour omar rania rashid
said salim salma sami samir sara tariq walid yasmin yousef youssef yusuf zainab zayed zaid hamid
an bao chen chun fang feng gang guo hai hong hua hui jian jiang jie jing jun lan lei li lian lin ling
liu long mei min ming na ning ping qiang qing rong shan tao ting wei wen xia xiang xiao xin xiu xu yan
yang yi ying yong yu yuan yun zhen zhi zhong zhou
akira aiko ayumi chiyo daichi daisuke emi haruka haruto hikari hinata hiroki hiroshi hitomi kaito kazuki
kenji kenta keiko kyoko mai makoto mariko masaki megumi minoru miyu naoki naomi noriko ren riku rin
ryo ryota sakura satoshi shota sora takahiro takashi takeshi taro tomoko yamato yoko yui yuki yuko
yusuke yuna yuto
ji-hoon ji-woo ji-yeon min-jun min-ji seo-yeon seo-jun ha-eun do-yoon ye-jin jae-won hyun-woo soo-jin
jin-woo eun-ji hye-jin sung-min jun-ho dong-hyun young-ho kyung-soo mi-rae
aarav aditi aditya akash amit amitabh ananya anil anjali anita arjun arun aryan ashok ayesha deepa
deepak devika divya gaurav harsh isha ishaan kavya kiran krishna lakshmi manish meera mohan nandini
neha nikhil nisha pooja pradeep pranav priya rahul raj rajesh rakesh ramesh ravi rohan rohit sachin
sanjay sanjana sunil sunita suresh tanvi varun vijay vikram vinod vivek yash ravindra shreya kabir
adaeze adebayo adewale ayodele babajide bisi chidi chidinma chinedu chioma chukwuemeka emeka folake
funmilayo ifeoma ikechukwu kelechi ngozi nkechi nnamdi obinna oluwaseun olumide segun tolu tunde uche
yetunde yewande abimbola temitope damilola oluwadamilare ebuka
abena adjoa akosua akua ama kofi kojo kwabena kwadwo kwaku kwame kwasi yaa yaw efua esi afia nana
abu akwasi ekow fiifi
aleksandr aleksandra alexei anastasia andrei anna boris darya dmitri dmitry ekaterina elena galina igor
irina ivan katarina kateryna ksenia maksim marina mikhail natalia natasha nikolai oksana olga pavel
piotr sergei sergey svetlana tatiana vladimir yuri zofia agnieszka katarzyna krzysztof magdalena
malgorzata marek michal tomasz wojciech jakub petr jiri lukas ondrej tereza milan dragan goran jelena
milos nikola stefan vesna bogdan
anders astrid birgit bjorn erik freya frida gunnar hans henrik ingrid jens johan karin kristian lars
leif magnus mats nils olaf ole oskar sigrid solveig sven tove ulf linnea elsa annika mikael jonas
ida emil viktor axel
mehmet elif emre ayse zeynep mustafa burak can deniz ozan selin cem yusuf
nomvula thabo lerato sipho themba zanele tendai farai tatenda kagiso naledi bongani
kai jonas leon felix lukas maximilian moritz niklas paul sebastian stefan tobias wolfgang jurgen klaus
dieter heinz uwe katrin petra sabine ursula monika claudia anke heike silke leonie lena mia hanna
jean pierre jacques francois louis antoine guillaume nicolas olivier philippe thierry julien mathieu
camille chloe claire elodie helene isabelle juliette lea manon margaux marion nathalie sylvie amelie
xavier yves benoit
ezekiel bartholomew margarethe aurelio ferdinand
abel agnes alec alistair ambrose anastasia angus annabel archibald arlo augustus barnaby basil
benedict bertram blake brendan caleb calvin casper cecilia cedric clement cordelia cornelius cyril
delia desmond dominic edgar edmund eliza elliot emmeline esther eugene ezra felicity fergus finn
flora francesca frederica gideon gilbert godfrey gregor hamish hector hilda horace humphrey ignatius
irene isadora jasper jethro josiah jude juliana lavinia leopold lionel lorna lucian lucinda magnus
malcolm marcus margot matilda maximilian meredith mildred minerva montgomery mortimer nell nora
octavia orson oswald otis perpetua phineas piers quincy reginald rex rhiannon rufus rupert sabrina
seraphina silas simeon stella sybil tamsin thaddeus theo thea ulrich una valentine wilfred xander
yvonne zachariah zelda
aarush anaya arnav avni dhruv diya gautam harini hema ishita jayant kalpana karan lalit madhav
mahesh naveen nitin padma parth pooja prakash preeti rajiv rekha ritu sahil sameer sandeep sarita
shankar shilpa siddharth smita sonal sudhir swati tarun uday usha venkat vidya yogesh zoya
chiamaka chinonso chisom ebere ifeanyi kemi kunle nneka obiageli oluchi somto tobenna uchenna zainab
efua kofi adwoa akwasi ekua kobina esi yaw abena afua
ahmet aysel berk cansu ece emir hakan irem kerem leyla mert onur selim tugba umut volkan
jianhua liqiang mingyu shuang xiaoming xinyi yuxuan zihan zhiwei yichen ruoxi
kaede sota yuto riko asuka kenshin takumi natsuki
da-eun do-yun ha-eun hyun-soo ji-ho min-seo seo-hyun su-bin ye-eun yoon-seo
`

export const FIRST_NAMES: ReadonlySet<string> = new Set(GIVEN_NAMES.split(/\s+/).filter(Boolean))
