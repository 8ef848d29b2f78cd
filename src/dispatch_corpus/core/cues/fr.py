"""French cue words: month names, speech verbs, attributions, boilerplate, captions."""

from __future__ import annotations

from collections.abc import Mapping

from dispatch_corpus.core.cues.common import LanguageCues

MONTHS: Mapping[str, int] = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
    # Spellings without accents too, as text typed without them writes the months.
    "fevrier": 2,
    "févr": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
}
"""French month names and their abbreviations, in lowercase -> month number."""

FRENCH = LanguageCues(
    months=MONTHS,
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    year_suffix=r"",
    speech_verbs=(
        # One adverb may stand between auxiliary and participle ("a encore déclaré"), but not "été":
        # "a été déclaré" is passive.
        r"(?:a|ont|avait|avaient|aurait|auraient)(?: (?!été)\w+)? "
        r"(?:déclaré|indiqué|affirmé|expliqué|précisé|ajouté|souligné|estimé|dit|confié|assuré|rappelé|averti|regretté|jugé|reconnu|"
        r"annoncé|répondu|commenté|déploré|raconté|confirmé|nié|démenti|écrit|considéré|"
        r"fait savoir|fait valoir|lancé|rétorqué|argué|soutenu|insisté|prévenu|promis|admis|"
        r"avoué|signalé|noté|observé|relevé|martelé|répété|révélé|témoigné|prédit|"
        r"laissé entendre|ironisé|plaidé|protesté|objecté|concédé|conclu|critiqué|accusé|"
        r"qualifié|annoncé|tweeté|publié|réagi|répliqué|reproché|dénoncé)",
        r"déclarai(?:t|ent)|déclare(?:nt)?|indiqu(?:e|ent|ait|aient)|affirm(?:e|ent|ait|aient)|"
        r"expliqu(?:e|ent|ait|aient)|précis(?:e|ent|ait|aient)|ajout(?:e|ent|ait|aient)|"
        r"soulign(?:e|ent|ait|aient)|estim(?:e|ent|ait|aient)|dis(?:ent|ait|aient)|dit|"
        r"confi(?:e|ent|ait)|assur(?:e|ent|ait|aient)|rappell?(?:e|ent|ait|aient)|avertit|"
        r"regrett(?:e|ent|ait)|jug(?:e|ent|eait|eaient)|reconna[iî]t|reconnaiss(?:ent|ait)|"
        r"annonc(?:e|ent)|annonçai(?:t|ent)|répond(?:ent|ait)?|comment(?:e|ent|ait)|"
        r"déplor(?:e|ent|ait)|racont(?:e|ent|ait)|confirm(?:e|ent|ait)|ni(?:e|ent|ait)|"
        r"dément(?:ent)?|écri(?:t|vent|vait)|considèr(?:e|ent)|considérait|pens(?:e|ent|ait|aient)|"
        r"croi(?:t|ent)|croyai(?:t|ent)|souti(?:ent|ennent|enait)|insist(?:e|ent|ait)|prévient|"
        r"promet(?:tent)?|admet(?:tent)?|avou(?:e|ent)|signal(?:e|ent)|not(?:e|ent)|"
        r"observ(?:e|ent)|relèv(?:e|ent)|martèle|répèt(?:e|ent)|révèl(?:e|ent)|témoign(?:e|ent)|"
        r"prédi(?:t|sent)|plaid(?:e|ent)|protest(?:e|ent)|rétorqu(?:e|ent)|ironis(?:e|ent)|"
        r"critiqu(?:e|ent|ait)|accus(?:e|ent|ait)|qualifi(?:e|ent|ait)|réplique|reproch(?:e|ent)|"
        r"conclu(?:t|ent)|poursui(?:t|vent)|lanc(?:e|ent)|résum(?:e|ent)|tranch(?:e|ent)",
        r"fai(?:t|saient|sait) (?:savoir|valoir)",
        r"(?:dire|déclarer|affirmer|expliquer|préciser|ajouter|souligner|indiquer|rappeler|"
        r"estimer|assurer|annoncer|confier|répondre)",
    ),
    # French keeps its "que" before reported content: no verb reports it bare.
    bare_speech_verbs=(),
    claim_verbs=(
        r"exig(?:e|ent|eait|eaient)|(?:a|ont) exigé",
        r"réclam(?:e|ent|ait|aient)|(?:a|ont) réclamé",
        r"demand(?:ent|ait|aient)|(?:a|ont) demandé",
        r"dénonc(?:e|ent)|dénonçai(?:t|ent)",
        r"constat(?:e|ent|ait)|(?:a|ont) constaté",
        r"appell?(?:e|ent|ait|aient) à|(?:a|ont) appelé à",
        r"se (?:félicit(?:e|ent)|réjoui(?:t|ssent)|di(?:t|sent)|déclar(?:e|ent)|"
        r"montr(?:e|ent) (?:favorable|opposée?s?|inquiète?s?|satisfaite?s?))",
        r"s['’](?:est|sont) (?:félicitée?s?|réjouie?s?|dite?s?|déclarée?s?|inquiétée?s?|"
        r"interrogée?s?|prononcée?s?)",
        r"s['’]inquièt(?:e|ent)",
        r"se sont (?:félicités|félicitées|réjouis|réjouies|dits|dites|déclarés|déclarées|"
        r"inquiétés|prononcés)",
        r"salu(?:e|ent|ait|aient)|(?:a|ont) salué",
        r"exprim(?:e|ent|ait|aient)|(?:a|ont) exprimé",
        r"selon (?:lui|elle|eux|elles)",
        # An inverted incise after a quotation or a comma: "», dit-il", "», a-t-elle",
        # ", estime-t-on".
        r"(?<=[,»”\"] )\w+(?:-t)?-(?:il|elle|ils|elles|on)",
        r"recommand(?:e|ent|ait|aient)|(?:a|ont) recommandé",
    ),
    attributions=(
        r"selon",
        r"d['’]après",
        r"aux dires d(?:e|u|es)",
        r"de l['’]avis d(?:e|u|es)",
        r"comme l['’]a(?: \w+)? (?:dit|déclaré|indiqué|expliqué|précisé|souligné|rappelé|affirmé)",
    ),
    speech_nouns=(
        r"déclarations?",
        r"communiqué",
        r"message",
        r"propos",
        r"discours",
        r"tweet",
        r"lettre",
        r"interview",
        r"entretien",
    ),
    complementizers=(r"qu(?:e|['’])", r"combien", r"pourquoi", r"comment"),
    negations=(r"ne", r"n['’]", r"jamais", r"sans"),
    passive_auxiliaries=(r"été", r"être", r"est", r"sont", r"était", r"étaient"),
    determiners=(
        r"le",
        r"la",
        r"l['’]",
        r"les",
        r"un",
        r"une",
        r"des",
        r"du",
        r"au",
        r"aux",
        r"ce",
        r"cet",
        r"cette",
        r"ces",
        r"son",
        r"sa",
        r"ses",
        r"leur",
        r"leurs",
        r"notre",
        r"votre",
    ),
    pronouns=(r"il", r"elle", r"ils", r"elles", r"je", r"nous", r"on"),
    first_person=(r"[Jj]e", r"[Nn]ous", r"[Vv]ous", r"[Mm]oi", r"[Nn]otre", r"[Vv]otre"),
    source_nouns=(
        r"journal",
        r"journaux",
        r"quotidiens?",
        r"hebdomadaires?",
        r"magazines?",
        r"revues?",
        r"sites?",
        r"blogueu(?:r|se)s?",
        r"rapports?",
        r"études?",
        r"enquêtes?",
        r"sondages?",
        r"données",
        r"chiffres",
        r"statistiques",
        r"bilans?",
        r"presse",
        r"médias?",
        r"articles?",
        r"agences?",
        r"chaînes?",
        r"télévisions?",
        r"radios?",
        r"estimations?",
        r"recensements?",
        r"documents?",
        r"historiens?",
        r"scientifiques",
        r"chercheu(?:r|se)s",
        r"observateurs",
    ),
    speaker_nouns=(
        r"directeur|directrice|président|présidente|porte-parole|ministre|responsable|chef",
        r"rédacteur|rédactrice|fondateur|fondatrice|représentant|représentante|source",
    ),
    clause_breaks=(
        r";",
        r",\s+(?:mais|tandis qu(?:e|['’])|alors qu(?:e|['’])|cependant|toutefois|or)(?!\w)",
        r",\s+(?:qui|dont|où|lequel|laquelle|lesquels|lesquelles)(?!\w)",
    ),
    abbreviations=("M", "MM", "Mme", "Mmes", "Mlle", "Dr", "Pr", "St", "Ste", "av", "env", "cf"),
    boilerplate_starts=(
        r"sources?\s*:",
        r"voir aussi",
        r"lire aussi",
        r"à lire aussi",
        r"articles? connexes?",
        r"liens? externes?",
        r"crédits? photos?",
        r"photo\s*:",
        r"©",
        r"copyright",
        r"catégories?\s*:",
        r"\(avec (?:afp|reuters|ap)\)",
        r"publié le",
        r"mis à jour le",
        r"partager",
    ),
    trailer_headings=(
        r"sources?",
        r"voir aussi",
        r"liens? externes?",
        r"articles? connexes?",
        r"sur le même sujet",
        r"références",
        r"notes et références",
    ),
    caption_starts=(
        r"photo",
        r"image",
        r"illustration",
        r"fichier\s*:",
        r"vidéo\s*:",
        r"(?:thumb|vignette|gauche|droite|left|right)\|",
    ),
    media_notes=(
        r"(?:vidéos?|photos|photographies|images|sons?) supplémentaires",
        r"galerie (?:de )?(?:photos?|d['’]images)",
        r"(?:voir|regarder) (?:la|les) vidéos?",
    ),
    name_connectors=("et", "de", "du", "des", "d'", "le", "la", "von", "van", "da"),
    caption_prepositions=("à", "au", "aux", "en", "avec", "lors", "pendant", "dans", "sur"),
    agency_reports=(
        r"rapporte l['’]\s*{agency}",
        r"a rapporté l['’]\s*{agency}",
        r"indique l['’]\s*{agency}",
        r"selon l['’]agence\s+{agency}",
        r"rapporte l['’]agence\s+{agency}",
        r"\({agency}\)",
        r"annonce l['’]\s*{agency}",
        r"apprend l['’]\s*{agency}",
        r"[—–-]\s*{agency}\s*\.?$",
    ),
)
"""The cue words of French."""
