//! Word lists for synthetic people and places. All streets are fictional;
//! names are common Dutch (and Dutch-resident) names combined at random, so no
//! generated person is a real one.

/// First names, (name, gender 'M'/'V'/'X').
pub const FIRST_NAMES: &[(&str, char)] = &[
    ("Jan", 'M'),
    ("Daan", 'M'),
    ("Bram", 'M'),
    ("Thijs", 'M'),
    ("Jeroen", 'M'),
    ("Pieter", 'M'),
    ("Mohamed", 'M'),
    ("Youssef", 'M'),
    ("Sem", 'M'),
    ("Luuk", 'M'),
    ("Ruben", 'M'),
    ("Kees", 'M'),
    ("Emma", 'V'),
    ("Sanne", 'V'),
    ("Lotte", 'V'),
    ("Fleur", 'V'),
    ("Fatima", 'V'),
    ("Anouk", 'V'),
    ("Ingrid", 'V'),
    ("Marloes", 'V'),
    ("Aylin", 'V'),
    ("Priya", 'V'),
    ("Sophie", 'V'),
    ("Julia", 'V'),
    ("Robin", 'X'),
    ("Sam", 'X'),
    ("Noa", 'X'),
];

/// First names with diacritics (Windows-1252 / Latin-1 representable).
pub const DIACRITIC_FIRST_NAMES: &[(&str, char)] = &[
    ("Zoë", 'V'),
    ("Anaïs", 'V'),
    ("René", 'M'),
    ("Chloë", 'V'),
    ("Noëlle", 'V'),
    ("Daniël", 'M'),
    ("Joël", 'M'),
    ("Raphaël", 'M'),
    ("Inès", 'V'),
    ("Mariëlle", 'V'),
    ("Gaëlle", 'V'),
    ("Loïs", 'X'),
];

/// Surnames without tussenvoegsel.
pub const SURNAMES: &[&str] = &[
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Janssen",
    "Verhoeven",
    "Kok",
    "Koster",
    "Prins",
    "Huisman",
    "Kuipers",
    "Willems",
    "El Amrani",
    "Bouzid",
    "Yildiz",
    "Kaya",
    "Pinas",
    "Sital",
];

/// Surnames with diacritics (Windows-1252 / Latin-1 representable).
pub const DIACRITIC_SURNAMES: &[&str] = &[
    "Müller",
    "Ünal",
    "Öztürk",
    "Çelik",
    "Brüggemann",
    "Hoëlen",
    "Gülcan",
    "Nüsken",
    "Citroën",
];

/// (tussenvoegsel, surname) pairs.
pub const TV_SURNAMES: &[(&str, &str)] = &[
    ("de", "Vries"),
    ("van", "Dijk"),
    ("van der", "Berg"),
    ("van den", "Broek"),
    ("de", "Boer"),
    ("van", "Leeuwen"),
    ("de", "Graaf"),
    ("ter", "Haar"),
    ("van der", "Linden"),
    ("van den", "Heuvel"),
    ("de", "Wit"),
    ("van", "Beek"),
    ("ter", "Horst"),
    ("van 't", "Hof"),
    ("in 't", "Veld"),
    ("van der", "Meulen"),
];

/// Fictional street names.
pub const STREETS: &[&str] = &[
    "Voorbeeldstraat",
    "Proeflaan",
    "Testweg",
    "Fictieplein",
    "Modelkade",
    "Schetsstraat",
    "Ontwerplaan",
    "Denkbeeldweg",
    "Verzinselstraat",
    "Probeersingel",
    "Oefenhof",
    "Steekproefdreef",
    "Aannamestraat",
    "Hypothesegracht",
    "Prototypeplantsoen",
    "Concepthof",
    "Kladbloklaan",
    "Stuboord",
];

/// Street names used for previous addresses outside the corporation.
pub const OTHER_STREETS: &[&str] = &["Elders-straat", "Vroegerweg", "Oudadreslaan", "Verhuiskade"];

/// Postcode letters (no SA/SD/SS combinations are produced by this set).
pub const POSTCODE_LETTERS: &[u8] = b"ABCEGHJKLMNPRTVWXZ";

/// Neighbourhoods for WoningNet search profiles.
pub const WIJKEN: &[&str] = &[
    "Lombok",
    "Overvecht",
    "Kanaleneiland",
    "Leidsche Rijn",
    "Zuilen",
    "Hoograven",
    "Lunetten",
    "Batau-Noord",
    "Galecop",
    "Vreeswijk",
];

/// Unit types.
pub const EENHEID_TYPES: &[&str] = &[
    "eengezinswoning",
    "galerijflat",
    "portiekflat",
    "benedenwoning",
    "bovenwoning",
    "seniorenwoning",
];

/// Other (fictional) housing corporations in the regional registry.
pub const CORPORATIES: &[&str] = &[
    "Woonstichting Voorbeeld",
    "Proefwonen Utrecht",
    "Stichting Testhuis",
    "Woongroep Fictief",
    "Oefenstede Wonen",
    "Woonbron Denkbeeld",
];

/// Signalering categories with a typical description.
pub const SIGNALERING_CATEGORIES: &[(&str, &str)] = &[
    ("Hennepteelt", "Hennepkwekerij aangetroffen in de woning"),
    ("Woonfraude", "Woning zonder toestemming onderverhuurd"),
    (
        "Agressie",
        "Agressief gedrag tegen medewerker van de corporatie",
    ),
    (
        "Ernstige overlast",
        "Langdurige ernstige overlast voor omwonenden",
    ),
    ("Schade", "Grote schade aan de woning bij vertrek"),
];

/// Tenant topics: (subject, body sentence).
pub const TENANT_TOPICS: &[(&str, &str)] = &[
    (
        "Vraag over mijn huurverhoging",
        "Ik heb de brief over de huurverhoging ontvangen en begrijp de berekening niet goed.",
    ),
    (
        "Lekkage in de badkamer",
        "Sinds een paar dagen lekt er water langs de afvoer van de douche.",
    ),
    (
        "Wijziging rekeningnummer",
        "Ik heb een nieuwe bankrekening en wil de automatische incasso laten aanpassen.",
    ),
    (
        "Overlast van de buren",
        "Er is 's nachts regelmatig harde muziek in het portiek.",
    ),
    (
        "Sleutel kwijt",
        "Ik ben de sleutel van de berging kwijt. Kan ik een nieuwe aanvragen?",
    ),
    (
        "Betalingsregeling",
        "Door onverwachte kosten kan ik de huur deze maand niet in één keer betalen.",
    ),
    (
        "Schimmel in de slaapkamer",
        "Op de muur achter het bed komt steeds weer schimmel terug.",
    ),
    (
        "Zonnepanelen",
        "Komen er bij ons complex ook zonnepanelen? Ik lees er veel over.",
    ),
];

/// Maintenance requests.
pub const ONDERHOUD: &[&str] = &[
    "Lekkende kraan in de keuken",
    "Cv-ketel geeft storing",
    "Voordeur sluit niet goed",
    "Schimmel in de badkamer",
    "Tochtend raam in de woonkamer",
    "Verstopte afvoer",
    "Kapotte tegel in de gang",
    "Rookmelder piept",
];

/// Maintenance request statuses.
pub const ONDERHOUD_STATUS: &[&str] = &["gemeld", "ingepland", "afgerond", "geannuleerd"];

/// Dutch month names.
pub const MAANDEN: &[&str] = &[
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
