/**
 * The corpus's own people, by origin: written for this generator, independent of the detector's
 * lists, so the gate measures what the detector has not been shown. Surnames keep their particles,
 * apostrophes, hyphens and compound forms ("De Luca", "van der Berg", "O'Brien", "Al-Rashid",
 * "García Márquez") because that is where rule-based name detection breaks.
 */
export interface NamePool {
  origin: string
  given: string[]
  surnames: string[]
  /** Chinese, Japanese and Korean names are also written surname first. */
  surnameFirst?: boolean
}

const words = (s: string) => s.trim().split(/\s*,\s*/)

export const NAME_POOLS: NamePool[] = [
  {
    origin: 'anglo',
    given: words(
      'Abigail, Bethany, Caleb, Declan, Eleanor, Fletcher, Gwendolyn, Harriet, Imogen, Jasper, Kendall, ' +
        'Lachlan, Marjorie, Nathaniel, Ophelia, Percival, Quentin, Rosalind, Sebastian, Tabitha, Winifred, ' +
        'Beatrix, Cedric, Dorothea, Everett, Florence, Garrett, Henrietta, Ingrid, Jocelyn, Kingsley, Leland',
    ),
    surnames: words(
      'Ashworth, Blackwood, Chamberlain, Davenport, Ellsworth, Fairbanks, Gainsborough, Hargreaves, ' +
        'Islington, Kettering, Lockhart, Merriweather, Northcott, Pemberton, Radcliffe, Sutherland, ' +
        'Thornbury, Underwood, Whitfield, Yardley, Ashby-Crane, Holloway-Pierce',
    ),
  },
  {
    origin: 'hispanic',
    given: words(
      'Alejandro, Beatriz, Catalina, Esteban, Fernanda, Guadalupe, Ignacio, Jimena, Lorenzo, Marisol, ' +
        'Nicolás, Paloma, Rodrigo, Soledad, Valentina, Ximena, Joaquín, Inés, Mateo, Renata',
    ),
    surnames: words(
      'García Márquez, Fernández López, Pérez de la Cruz, Sánchez Villalobos, Ramírez Ortega, Domínguez, ' +
        'Castellanos, Echeverría, Quintero, Valdés Montoya, Zamora Ibáñez, Hidalgo',
    ),
  },
  {
    origin: 'portuguese',
    given: words(
      'João, Inês, Tiago, Mafalda, Duarte, Leonor, Rui, Beatriz, Gonçalo, Matilde, Afonso, Carolina',
    ),
    surnames: words(
      'Carvalho, Figueiredo, Magalhães, Albuquerque, Nogueira, Vasconcelos, Sousa Coutinho, Brandão',
    ),
  },
  {
    origin: 'italian',
    given: words(
      'Giulia, Lorenzo, Chiara, Matteo, Francesca, Alessandro, Beatrice, Tommaso, Ludovica, Gianluca',
    ),
    surnames: words(
      'De Luca, Di Stefano, Lo Bianco, Esposito, Ferraro, Mancini, Della Rovere, Colombo, Santoro',
    ),
  },
  {
    origin: 'dutch',
    given: words('Pieter, Annelies, Joost, Femke, Maarten, Sanne, Willem, Lotte, Thijs, Marloes'),
    surnames: words(
      'van der Berg, de Vries, van Dijk, Bakker, Visser, van den Heuvel, Smit, ter Horst, Mulder',
    ),
  },
  {
    origin: 'irish',
    given: words('Siobhan, Ciaran, Aoife, Padraig, Niamh, Eoin, Grainne, Cormac, Saoirse, Oisin'),
    surnames: words("O'Brien, O'Sullivan, McCarthy, O'Donnell, Fitzgerald, MacNamara, Gallagher, Ní Bhriain"),
  },
  {
    origin: 'arabic',
    given: words('Omar, Layla, Khalid, Yasmin, Tariq, Noura, Samir, Rania, Faisal, Hana, Karim, Mariam'),
    surnames: words('Al-Rashid, Haddad, El-Amin, Al-Farsi, Nassar, Khoury, Bin Saleh, Al-Mansour, Shadid'),
  },
  {
    origin: 'chinese',
    given: words('Wei, Xiaoling, Jianhua, Meiling, Zhiwei, Yuxuan, Haoran, Shuang, Liqiang, Ruoxi'),
    surnames: words('Zhang, Wang, Liu, Chen, Huang, Zhou, Xu, Guo, Lin, Tang'),
    surnameFirst: true,
  },
  {
    origin: 'japanese',
    given: words('Haruto, Yui, Sota, Aoi, Ren, Hina, Kaito, Sakura, Takumi, Misaki'),
    surnames: words('Sato, Takahashi, Watanabe, Yamamoto, Nakamura, Kobayashi, Yoshida, Matsumoto, Inoue'),
    surnameFirst: true,
  },
  {
    origin: 'korean',
    given: words('Min-jun, Seo-yeon, Ji-hoon, Ha-eun, Do-yun, Su-bin, Jae-won, Ye-jin'),
    surnames: words('Kim, Park, Choi, Jung, Kang, Yoon, Jang, Lim'),
    surnameFirst: true,
  },
  {
    origin: 'indian',
    given: words(
      'Priya, Arjun, Ananya, Vikram, Deepika, Rohan, Kavya, Siddharth, Lakshmi, Aditya, Meenakshi, Harsha',
    ),
    surnames: words(
      'Raghunathan, Venkataraman, Chatterjee, Bhattacharya, Iyer, Deshpande, Subramaniam, Kulkarni, Malhotra',
    ),
  },
  {
    origin: 'nigerian',
    given: words('Chinedu, Oluwaseun, Ngozi, Adaeze, Emeka, Funmilayo, Tunde, Chiamaka, Babatunde, Ifeoma'),
    surnames: words('Okafor, Adebayo, Okonkwo, Nwachukwu, Adeyemi, Eze, Oyelaran, Ogunleye, Obi-Williams'),
  },
  {
    origin: 'ghanaian',
    given: words('Kwame, Akosua, Kofi, Abena, Yaw, Efua, Kwabena, Adjoa, Kwesi, Ama'),
    surnames: words('Mensah, Boateng, Asante, Owusu, Appiah, Ofori, Agyeman, Darko, Amponsah'),
  },
  {
    origin: 'slavic',
    given: words('Katarzyna, Dmitri, Zofia, Bogdan, Milena, Radoslav, Ludmila, Stanislav, Jelena, Miroslav'),
    surnames: words('Nowakowska, Volkov, Kowalczyk, Petrović, Dvořák, Szymański, Horvat, Lebedev, Novák'),
  },
  {
    origin: 'nordic',
    given: words('Sigrid, Bjørn, Astrid, Leif, Solveig, Henrik, Ingeborg, Eirik, Freja, Mikkel'),
    surnames: words('Lindqvist, Håkonsen, Bergström, Johannessen, Sørensen, Halvorsen, Åberg, Nyström'),
  },
]

export const TITLES = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'] as const
