"""Constants and per-language cue tables: data only, no logic.

A new language is a new ``LanguageCues`` entry in ``CUES``, never a code branch. Every entry
is linguistic (speech verbs, attribution phrases, month names, boilerplate phrases); none
names a document, a title or a sentence of any corpus.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ANY_LANGUAGE = "und"
"""Language code selecting the union of every cue table (language not known)."""

# --- splitting ------------------------------------------------------------------------------

# --- labeling -------------------------------------------------------------------------------
TERMINAL_PUNCTUATION = '.!?…;:»"”)'
"""A paragraph ending with one of these is a sentence, not a title."""
QUOTE_PAIRS: Mapping[str, str] = {"«": "»", "“": "”", "„": "“", '"': '"', "‹": "›"}
"""Opening quote mark -> closing quote mark (double quotes only: ``’`` is an apostrophe)."""
CLOSING_QUOTES = "»”›"
"""Quote marks that can only close a quotation."""
DASH_QUOTE_STARTS = ("— ", "– ", "- ")
"""A paragraph opening with one of these is reported dialogue (when not a list)."""
MEDIA_NAME_HEADS = (
    "News",
    "Times",
    "Post",
    "Herald",
    "Journal",
    "Gazette",
    "Tribune",
    "Telegraph",
    "Daily",
    "Magazine",
    "Weekly",
    "Press",
    "Chronicle",
    "Guardian",
    "BBC",
    "CNN",
    "Wikinews",
    "Викиновости",
    "Express",
    "Reporter",
    "Observer",
    "Independent",
    "Mirror",
    "Forbes",
    "Monde",
    "Figaro",
    "Libération",
    "Известия",
    "Коммерсантъ",
    "Ведомости",
)
"""Capitalised words that name a news outlet ("ABC News", "The Sydney Morning Herald")."""

AGENCIES: Mapping[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Франс Пресс", "Франс-Пресс"),
    "AP": ("AP", "Associated Press", "Ассошиэйтед Пресс"),
    "APA": ("APA",),
    "Reuters": ("Reuters", "Рейтер", "Рейтерс"),
    "TASS": ("ТАСС", "ИТАР-ТАСС", "TASS", "ITAR-TASS"),
    "Interfax": ("Интерфакс", "Interfax"),
    "RIA Novosti": ("РИА Новости", "RIA Novosti"),
    "Xinhua": ("Xinhua", "Синьхуа"),
    "dpa": ("dpa", "DPA"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Anadolu": ("Anadolu", "AA"),
    "UNIAN": ("UNIAN", "УНИАН"),
    "Belga": ("Belga",),
    "Kyodo": ("Kyodo",),
    "Trend": ("Trend",),
    "Bloomberg": ("Bloomberg",),
}
"""Canonical agency name -> the names it goes by in text."""


@dataclass(frozen=True)
class LanguageCues:
    """Cue words of one language. Phrases are regex fragments matched case-insensitively.

    Speech is recognised in three ways: a ``speech_verbs`` form followed by reported content
    (a complementizer, a colon or a quotation), a ``claim_verbs`` form whatever follows (a
    demand, a stance, a parenthetical "a-t-il dit"), or an ``attributions`` phrase opening a
    sentence ("according to X,"). The source must not be a ``source_nouns`` entry (a medium,
    a document, data): a fact sourced to those is narrative, not speech.
    """

    months: Mapping[str, int]
    weekdays: tuple[str, ...]
    year_suffix: str
    speech_verbs: tuple[str, ...]
    """Verb forms that report speech when reported content follows them."""
    bare_speech_verbs: tuple[str, ...]
    """Verb forms that report speech even when the complementizer is left out."""
    claim_verbs: tuple[str, ...]
    """Forms that carry a stance or demand of their subject whatever follows them."""
    speech_nouns: tuple[str, ...]
    """Nouns of utterances ("statement", "заявление") that introduce a quotation or a colon."""
    attributions: tuple[str, ...]
    """Phrases crediting what surrounds them to a source named right after them."""
    complementizers: tuple[str, ...]
    """Words that open reported content after a speech verb."""
    negations: tuple[str, ...]
    """Words that, just before a speech verb, deny that anything was said."""
    passive_auxiliaries: tuple[str, ...]
    """Auxiliaries that, right before a speech verb, make it passive ("was told to")."""
    determiners: tuple[str, ...]
    """Words that, just before a verb form, show it is a noun ("la critique", "the claims")."""
    pronouns: tuple[str, ...]
    """Personal pronouns: as the subject of a speech verb they name a speaker."""
    first_person: tuple[str, ...]
    """First and second person words, matched case-sensitively: narrative does not use
    them, so a paragraph that opens with them after a line ending in ``:`` is quoted."""
    source_nouns: tuple[str, ...]
    """Media, documents, data and scholarly groups: sources of facts rather than speakers."""
    speaker_nouns: tuple[str, ...]
    """People's functions: before a medium they name a speaker in it ("le directeur du site",
    "a source at the paper", "Источник РИА Новости")."""
    clause_breaks: tuple[str, ...]
    """Conjunctions and relative pronouns (after a comma) or marks that open a new clause."""
    abbreviations: tuple[str, ...]
    """Abbreviations whose final period does not end a sentence."""
    boilerplate_starts: tuple[str, ...]
    """Openings of lines that are not part of the story."""
    trailer_headings: tuple[str, ...]
    """Headings after which every line is apparatus (sources, links, references)."""
    caption_starts: tuple[str, ...]
    """Openings of image captions and media file lines."""
    media_notes: tuple[str, ...]
    """Phrases of short notes about attached video, audio or photographs."""
    name_connectors: tuple[str, ...]
    """Lowercase words allowed between the names of a name-only caption."""
    caption_prepositions: tuple[str, ...]
    """Prepositions that follow a name in a caption ("X at the summit", "X на съезде")."""
    agency_reports: tuple[str, ...]
    """Wire credits; ``{agency}`` stands for any agency name."""


_FR_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
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
_EN_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_RU_MONTHS = {
    "января": 1,
    "январь": 1,
    "февраля": 2,
    "февраль": 2,
    "марта": 3,
    "март": 3,
    "апреля": 4,
    "апрель": 4,
    "мая": 5,
    "май": 5,
    "июня": 6,
    "июнь": 6,
    "июля": 7,
    "июль": 7,
    "августа": 8,
    "август": 8,
    "сентября": 9,
    "сентябрь": 9,
    "октября": 10,
    "октябрь": 10,
    "ноября": 11,
    "ноябрь": 11,
    "декабря": 12,
    "декабрь": 12,
}

_FR = LanguageCues(
    months=_FR_MONTHS,
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    year_suffix=r"",
    speech_verbs=(
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

_EN = LanguageCues(
    months=_EN_MONTHS,
    weekdays=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    year_suffix=r"",
    speech_verbs=(
        r"said|says|say|saying|told|tells|tell|telling|stated|states",
        r"declared|declares|announced|announces|explained|explains|explaining|added|adds",
        r"noted|notes|noting|claimed|claims|claiming|argued|argues|arguing|insisted|insists",
        r"warned|warns|warning|admitted|admits|acknowledged|acknowledges|confirmed|confirms",
        r"denied|denies|replied|replies|responded|responds|commented|comments|remarked",
        r"asserted|asserts|maintained|maintains|suggested|suggests|wrote|writes|writing",
        r"tweeted|posted|theorized|theorised|believes|believe|believed|thinks|think|thought",
        r"promised|promises|vowed|vows|pledged|pledges|predicted|predicts|estimated|estimates",
        r"revealed|reveals|testified|recalled|recalls|pointed out|points out|observed|observes",
        r"emphasized|emphasised|emphasizes|stressed|stresses|concluded|concludes|indicated",
        r"reported|reports|asked|asks|reiterated|conceded|disclosed|alleged|alleges|complained",
        r"complains|criticized|criticised|criticizes|criticises|accused|accuses",
    ),
    bare_speech_verbs=(
        r"said|says|say|told|tells|stated|believes|believe|believed|thinks|think|insisted|insists",
        r"argued|argues|warned|warns|claimed|claims|admitted|admits|explained|observed",
    ),
    claim_verbs=(
        r"demanded|demands|demanding|called for|calls for|calling for|urged|urges|urging",
        r"denounced|denounces|condemned|condemns|praised|praises|slammed|blasted",
        r"expressed|expresses|voiced|voices",
        r"recommended|recommends|advised|advises",
        r"(?<=[,\"”] )(?:he|she|they|it|we|I) (?:said|says|added|adds|explained|wrote|noted)",
        r"went on to say|was quoted as saying|in a statement|in an interview",
    ),
    attributions=(
        r"according to",
        r"in the words of",
        r"in the view of",
        r"as (?:\w+ ){1,4}put it",
    ),
    speech_nouns=(
        r"statements?",
        r"message",
        r"remarks",
        r"speech",
        r"tweet",
        r"post",
        r"letter",
        r"interview",
    ),
    complementizers=(r"that", r"whether", r"how", r"why"),
    negations=(
        r"not",
        r"never",
        r"n['’]t",
        r"no longer",
        r"declined to",
        r"refused to",
    ),
    passive_auxiliaries=(r"be", r"been", r"being", r"is", r"are", r"was", r"were"),
    determiners=(
        r"the",
        r"a",
        r"an",
        r"this",
        r"these",
        r"those",
        r"its",
        r"his",
        r"her",
        r"their",
        r"our",
        r"my",
        r"your",
        r"no",
        r"every",
        r"each",
        r"such",
    ),
    pronouns=(r"he", r"she", r"I", r"we"),
    first_person=(r"I", r"[Ww]e", r"[Yy]ou", r"[Mm]y", r"[Oo]ur", r"[Yy]our", r"us"),
    source_nouns=(
        r"newspapers?",
        r"paper",
        r"magazines?",
        r"websites?",
        r"web ?sites?",
        r"sites?",
        r"bloggers?",
        r"reports?",
        r"study",
        r"studies",
        r"surveys?",
        r"polls?",
        r"data",
        r"figures",
        r"statistics",
        r"analysis",
        r"articles?",
        r"records",
        r"documents?",
        r"section",
        r"pages?",
        r"television",
        r"TV",
        r"radio",
        r"channel",
        r"network",
        r"agency",
        r"media",
        r"estimates",
        r"census",
        r"research",
        r"historians",
        r"scientists",
        r"researchers",
        r"scholars",
        r"observers",
    ),
    speaker_nouns=(
        r"director|president|spokes(?:man|woman|person)|minister|chief|editor|founder",
        r"representative|official|source|aide|CEO|executive",
    ),
    clause_breaks=(
        r";",
        r",\s+(?:but|while|whereas|although|though|however|yet)(?!\w)",
        r",\s+(?:which|who|whom|whose|where)(?!\w)",
    ),
    abbreviations=(
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Prof",
        "St",
        "Jr",
        "Sr",
        "Gen",
        "Col",
        "Lt",
        "Sgt",
        "Capt",
        "Gov",
        "Sen",
        "Rep",
        "No",
        "Inc",
        "Corp",
        "Co",
        "Ltd",
        "vs",
        "approx",
    ),
    boilerplate_starts=(
        r"sources?\s*:",
        r"see also",
        r"read more",
        r"related news",
        r"related stories",
        r"external links?",
        r"editing by",
        r"edited by",
        r"reporting by",
        r"writing by",
        r"additional reporting",
        r"photo\s*:",
        r"image\s*:",
        r"file\s*:",
        r"©",
        r"copyright",
        r"all rights reserved",
        r"categor(?:y|ies)\s*:",
        r"click here",
        r"have an opinion on this story",
        r"share this",
        r"\((?:reporting|editing) by",
    ),
    trailer_headings=(
        r"sources?",
        r"see also",
        r"external links?",
        r"related news",
        r"related stories",
        r"references",
    ),
    caption_starts=(
        r"photo",
        r"image",
        r"pictured",
        r"picture",
        r"file photo",
        r"video\s*:",
        r"above\s*:",
        r"left\s*:",
        r"right\s*:",
        r"(?:thumb|left|right|upright)\|",
    ),
    media_notes=(
        r"(?:additional|more|related) (?:videos?|audio|photos|photographs|pictures|images)",
        r"photo gallery",
        r"(?:video|audio|photos) (?:below|above)",
    ),
    name_connectors=("and", "&", "of", "de", "van", "von", "da"),
    caption_prepositions=("at", "in", "with", "during", "on", "after", "before"),
    agency_reports=(
        r"{agency} reported",
        r"{agency} reports",
        r"reported by {agency}",
        r"\({agency}\)",
        r"{agency} news agency reported",
        r"the {agency} news agency said",
        r"reports {agency}",
        r"[—–-]\s*{agency}\s*\.?$",
    ),
)

_RU = LanguageCues(
    months=_RU_MONTHS,
    weekdays=(
        "понедельник",
        "вторник",
        "среда",
        "среду",
        "четверг",
        "пятница",
        "пятницу",
        "суббота",
        "субботу",
        "воскресенье",
    ),
    year_suffix=r"(?:\s*(?:года|году|год|г\.))?",
    speech_verbs=(
        r"заяв(?:ил|ила|или|ило|ляет|ляют|лял|ляла|ляли|ляло)",
        r"сообщ(?:ил|ила|или|ило|ает|ают|ал|ала|али|ало)",
        r"сказ(?:ал|ала|али|ало|ав)",
        r"говор(?:ит|ят|ил|ила|или|ило)|говори(?:тся|лось)",
        r"отмет(?:ил|ила|или|ило)|отмеча(?:ет|ют|л|ла|ли)",
        r"подч[её]ркн(?:ул|ула|ули|уло)|подч[её]ркива(?:ет|ют|л|ла|ли)",
        r"поясн(?:ил|ила|или|ило|яет|яют)",
        r"добав(?:ил|ила|или|ило|ляет|ляют)",
        r"уточн(?:ил|ила|или|ило|яет|яют)",
        r"рассказ(?:ал|ала|али|ало|ывает|ывают|ывал|ывала|ывали)",
        r"призна(?:л|ла|ли|ло|[её]т|ют)",
        r"полага(?:ет|ют|л|ла|ли)",
        r"предполага(?:ет|ют|л|ла|ли)",
        r"уверен(?:а|ы)?|убежд[её]н(?:а|ы)?",
        r"объясн(?:ил|ила|или|ило|яет|яют)",
        r"предупре(?:дил|дила|дили|дило|ждает|ждают)",
        r"завер(?:ил|ила|или|ило|яет|яют)",
        r"опроверг(?:ла|ли|ло|ает|ают)?",
        r"подтверд(?:ил|ила|или|ило)|подтвержда(?:ет|ют)",
        r"прокомментирова(?:л|ла|ли|ло)|комментиру(?:ет|ют)",
        r"ответ(?:ил|ила|или|ило)|отвеча(?:ет|ют)",
        r"напис(?:ал|ала|али|ало)|пиш(?:ет|ут)",
        r"утвержда(?:ет|ют|л|ла|ли)",
        r"констатирова(?:л|ла|ли|ло)|констатиру(?:ет|ют)",
        r"назва(?:л|ла|ли|ло)|назыв(?:ает|ают)",
        r"обвин(?:ил|ила|или|ило|яет|яют)",
        r"раскритикова(?:л|ла|ли|ло)|критику(?:ет|ют)",
        r"замет(?:ил|ила|или|ило)",
        r"указа(?:л|ла|ли|ло)|указыва(?:ет|ют)",
        r"объяв(?:ил|ила|или|ило|ляет|ляют)",
        r"предлож(?:ил|ила|или|ило)|предлага(?:ет|ют)",
        r"пообеща(?:л|ла|ли|ло)|обеща(?:ет|ют)",
        r"процитирова(?:л|ла|ли|ло)|цитиру(?:ет|ют)",
        r"высказа(?:л|ла|ли|ло)(?:ся|сь)?",
        r"отозва(?:лся|лась|лись)",
        r"сочл(?:и|а)?|счёл|счел",
        r"уверя(?:ет|ют|л|ла|ли)",
        r"(?:утвержда|отмеча|подч[её]ркива|указыва|сообща)ется",
        r"(?:заяв|сообщ|сказ|отмет|подчеркн|поясн|добав|уточн|рассказ|призна|объясн|предупред|"
        r"завер|подтверд|ответ|напис|назв|обвин|раскритиков|замет|указ|объяв|предлож|пообещ|"
        r"процитиров)(?:ав|ив|ув|ыв)",
    ),
    bare_speech_verbs=(),
    claim_verbs=(
        r"потребова(?:л|ла|ли|ло)|требу(?:ет|ют)",
        r"призва(?:л|ла|ли|ло)|призыва(?:ет|ют)",
        r"настаива(?:ет|ют|л|ла|ли)",
        r"(?:по)?проси(?:л|ла|ли|ло)|прос(?:ит|ят)",
        r"осуди(?:л|ла|ли|ло)|осужда(?:ет|ют)",
        r"счита(?:ет|ют|л|ла|ли)",
        r"выраз(?:ил|ила|или|ило)|выража(?:ет|ют)",
        r"приветствова(?:л|ла|ли|ло)|приветству(?:ет|ют)",
        r"по (?:его|её|ее|их|моему|нашему) (?:словам|мнению)",
        r"(?<=[,»”\"] )[—–-] (?:сказал|сказала|заявил|заявила|отметил|отметила|добавил|добавила|"
        r"пояснил|пояснила|говорит|уточнил|уточнила)",
    ),
    attributions=(
        r"по словам",
        r"по мнению",
        r"как (?:сообщил|сообщила|заявил|заявила|пояснил|пояснила|отметил|отметила|сказал|"
        r"сказала|подчеркнул|подчеркнула|рассказал|рассказала|уточнил|уточнила|считает|считают|"
        r"полагает|признал|признала)",
        r"с точки зрения",
    ),
    speech_nouns=(
        r"заявлени(?:е|я|ем)",
        r"сообщени(?:е|и|ем)",
        r"запис(?:ь|ью)",
        r"обращени(?:е|и|ем)",
        r"слова(?:ми)?",
        r"интервью",
        r"письм(?:о|е|ом)",
        r"тв[иі]т\w*",
        r"пост(?:е|ом)?",
    ),
    complementizers=(r"что", r"чтобы", r"будто", r"о том", r"как", r"почему"),
    negations=(r"не", r"ни"),
    passive_auxiliaries=(r"был", r"была", r"было", r"были", r"будет", r"будут"),
    determiners=(),
    pronouns=(r"он", r"она", r"они", r"я", r"мы"),
    first_person=(
        r"[Яя]",
        r"[Мм]ы",
        r"[Вв]ы",
        r"[Вв]а(?:с|м|ми)",
        r"[Нн]а(?:с|м|ми)",
        r"[Мм]не",
        r"[Мм]еня",
        r"[Вв]аш\w*",
        r"[Нн]аш\w*",
        r"[Мм]о(?:й|я|ё|е|и|его|ему|ей|их)",
    ),
    source_nouns=(
        r"газет\w*",
        r"издани\w*",
        r"журнал\w*",
        r"сайт\w*",
        r"портал\w*",
        r"агентств\w*",
        r"данны[мх]",
        r"сми",
        r"исследовани\w*",
        r"отч[её]т\w*",
        r"доклад\w*",
        r"опрос\w*",
        r"стать(?:я|и|е|ю|ей|ях)",
        r"телеканал\w*",
        r"канал\w*",
        r"радио\w*",
        r"блогер\w*",
        r"документ\w*",
        r"расследовани\w*",
        r"историк(?:и|ов|ам)",
        r"уч[её]ны(?:е|х|м)",
        r"исследовател(?:и|ей|ям)",
        r"наблюдател(?:и|ей|ям)",
        r"статистик\w*",
        r"перепис\w*",
        r"оценк(?:е|ам|и)",
    ),
    speaker_nouns=(
        r"директор\w*|президент\w*|представител\w*|министр\w*|глав(?:а|ы)|руководител\w*",
        r"источник\w*|пресс-секретар\w*|редактор\w*|основател\w*",
    ),
    clause_breaks=(
        r";",
        r",\s+(?:а|но|однако|хотя|тогда как|причём|причем|при этом)(?!\w)",
        r",\s+(?:котор\w+|где|чей|чья|чьё|чьи)(?!\w)",
    ),
    abbreviations=(
        "г",
        "гг",
        "т",
        "е",
        "им",
        "ул",
        "д",
        "тыс",
        "млн",
        "млрд",
        "руб",
        "см",
        "стр",
        "р",
        "н",
        "э",
        "проф",
        "акад",
        "св",
    ),
    boilerplate_starts=(
        r"источники?\s*:",
        r"['\"«]?источник['\"»]?\s*:",
        r"см\. также",
        r"смотрите также",
        r"читайте также",
        r"фото\s*:",
        r"©",
        r"категори[яи]\s*:",
        r"внешние ссылки",
        r"поделиться",
    ),
    trailer_headings=(
        r"источники?",
        r"источники? информации",
        r"ссылки",
        r"ссылка",
        r"см\. также",
        r"смотрите также",
        r"внешние ссылки",
        r"примечания",
        r"комментарии",
        r"литература",
    ),
    caption_starts=(
        r"фото",
        r"изображение\s*:",
        r"на фото",
        r"на снимке",
        r"видео\s*:",
        r"файл\s*:",
        r"(?:мини|миниатюра|безрамки|слева|справа|thumb|left|right)\|",
    ),
    media_notes=(
        r"дополнительные (?:видео|фото\w*|материалы|изображения)",
        r"фотогалере\w*",
        r"смотрите (?:видео|фото\w*)",
    ),
    name_connectors=("и", "де", "фон", "ван", "да", "ибн", "бен"),
    caption_prepositions=("в", "во", "на", "с", "со", "у", "перед", "после", "во время"),
    agency_reports=(
        r"сообщает\s+{agency}",
        r"сообщает агентство\s+{agency}",
        r"передаёт\s+{agency}",
        r"передает\s+{agency}",
        r"[—–-]\s*{agency}\s*\.?$",
        r"сообщило агентство\s+{agency}",
        r"сообщили\s+{agency}",
        r"\({agency}\)",
        r"пишет\s+{agency}",
    ),
)

CUES: Mapping[str, LanguageCues] = {"fr": _FR, "en": _EN, "ru": _RU}
"""Language code -> cue table."""
