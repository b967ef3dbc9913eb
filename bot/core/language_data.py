"""The language resolver's data: word lists, endings, letter groups and phrase patterns.

Everything :mod:`bot.core.language` weighs a text with, and nothing else: the weighted
vocabulary of each language, the word endings and letter groups for words that are not
in the lists, the decisive characters, the work plan's names that carry no evidence, and
the language names, codes, polite words and phrase patterns of an explicit choice ("en
français", "english please", "/language fr"). It is kept apart from the algorithm so that
either can be read and edited without wading through the other: changing these tables
changes what counts as evidence, not how it is counted.

Only tables live here: no functions or classes, and no tuning factors (those stay with
the algorithm). Languages are named by code ("es", "en", "fr"); the resolver maps them to its
score indices and builds its look-up tables from these on first use. Order matters in
places (the first matching letter group counts, the choice patterns are tried in order),
so keep entries where they are unless the change is meant.
"""

from __future__ import annotations

__all__ = [
    "CHAR_WEIGHTS",
    "CHOICE_PATTERNS",
    "ENDINGS",
    "INFIXES",
    "INFIX_STARTS",
    "LANGUAGE_CODES",
    "LANGUAGE_NAMES",
    "LONGEST_ENDING",
    "PLAN_NAMES",
    "POLITE",
    "VOCABULARY",
]


# --------------------------------------------------------------------------------------
# Vocabulary. Weights: 3 = unmistakable (greetings, months, the bot's command words),
# 2 = distinctive, 1 = leans that way, 0.5 = barely. A word listed under two languages
# counts for both. Accent-less spellings are derived automatically (see _FOLDED_FACTOR in
# bot.core.language).
# --------------------------------------------------------------------------------------

VOCABULARY: dict[str, dict[float, str]] = {
    "es": {
        3.0: """
            chau listo
            hola holi gracias graciass muchísimas calendario resumen qué cuándo dónde cómo cuál
            cuáles quién quiénes cuánto cuánta cuántos cuántas adónde próximo próxima próximos
            próximas suscribir suscribirme suscríbeme suscribete suscríbete suscríbanme suscripción
            suscripciones desuscribir desuscribirme desuscríbeme darme ayuda ayúdame eventos evento
            proyectos proyecto piloto pilotos idioma español castellano temas este inglés francés
            enero febrero marzo abril junio julio agosto septiembre setiembre octubre noviembre
            diciembre lunes miércoles jueves viernes sábado domingo mañana hoy ayer también está
            están estás estoy estamos hay tengo tiene tienen quiero quisiera puedes necesito buenos
            buenas días tardes noches adiós saludos porfa jaja jajaja jajajaja año años reunión
            reuniones asamblea congreso cumbre noticias información boletín avisos avísame avisame
            muéstrame dime cuéntame cuentame háblame escríbeme respóndeme contéstame qué tal mándame
            envíame eres sos deshaz deshazlo deshacer quítame apúntame xfa xq tb dnd pal finde
            cuántos cuántas
        """,
        2.0: """
            plan planes info email ciudades alcaldes alcaldesas alcaldesa alcalde mujeres movilidad
            igualdad género vivienda financiación aeropuertos el los las del al lo una unos unas
            pero porque por para con sin sobre hasta desde hacia según durante muy más ya aquí allí
            ahora siempre nunca todo toda todos todas otro otra otros otras mismo misma cada este
            esta estos estas esto ese esa esos esas eso aquel aquella aquellos mis su sus nuestro
            nuestra nuestros nuestras yo él ella ellos ellas nosotros nosotras usted ustedes ser
            estar hace hacer tener puedo poder puede pueden quiere querer voy vamos ir fue fueron
            eran sido han hemos había habían haber sea sean sería hecho dijo decir veo saber sabe
            sabes creo parece debe deben gusta gustaría busco podría podrías cosa cosas tiempo vez
            veces gente persona personas mundo vida forma caso lugar país países gobierno empresa
            empresas nuevo nueva nuevos nuevas grande grandes mejor mayor pequeño pequeña bueno
            buena malo mala hombre niños niñas casa ahí entonces aunque mientras sólo algo alguien
            nada nadie ningún ninguna ninguno algún alguna algunos algunas muchos mucho mucha muchas
            poco poca pocos pocas tanto tanta tan así dentro fuera después antes luego pues sino
            además incluso través cuenta trabajo desarrollo nivel precio productos producto calidad
            historia proceso programa programas problema problemas momento ejemplo medio política
            políticas economía salud educación servicio servicios sistema semana semanas meses hora
            horas cuando donde como cual cuales quien cuanto cuantos agua clima datos informe junta
            foro cursos curso formación temas tema lista inicio opciones buscar ciudad área
            metropolitana metropolitano metropolitanas miembros socios agenda calendario calendarios
            mundial seguridad ciudadanos ciudadanía urbano urbana urbanos urbanas gestión pública
            público públicas públicos derechos desarrollo sostenible cambio vía nombre tambien
            llegar llega llevar seguir sigue seguimos quedar poner pone dar dado tomar toma hablar
            habla hablamos pasar pasa encontrar mismo misma ciento mil millones primer primero
            primera segundo segunda último última últimos tercer cuatro cinco seis siete ocho nueve
            diez quince veinte treinta cien entre dice vale sí claro perfecto genial disculpa perdón
            oye oiga ayudar ayudarme ayudarte dónde hola desuscribirse baja bajas mayo martes
            cancelar cancela quitar quita elimina eliminar dejar deja próximamente pronto fecha
            fechas lugar cuál mostrar enséñame hay dame recibir recibo alertas alerta novedades
            actualizaciones actividades actividad convocatoria plazo plazos sede mensual anual
            jornada jornadas taller talleres seminario seminarios conferencia conferencias
        """,
        1.5: """
            tiempo cosas casa vida parte hombre mujer gobierno trabajo momento ejemplo caso grupo
            problema hecho mano manera tierra estado guerra padre madre hijo hijos hija hijas
            familia amigo amigos amiga noche dinero historia libro palabra palabras calle ley leyes
            nombre poder servicio escuela niño niña padres equipo juego música película comida
            cuerpo cabeza ojos cara corazón hermano hermana pueblo señor señora campo centro mercado
            precio valor cambio fuerza muerte razón verdad tipo orden nivel lado luz voz arte
            cultura sociedad privado privada relación relaciones acuerdo resultado resultados
            pregunta preguntas respuesta necesidad posibilidad capacidad actividad comunidad
            universidad cantidad realidad libertad mitad edad unidad estaba estaban estuvo estará
            será serán habrá hubo tenía tendrá tenemos tienes hacía hizo hará hacemos hacen haces
            decía dijeron dicen digo podía pudo podrá podemos iba irá vemos vio visto sabía supo
            sabemos saben dio damos doy quería quiso queremos quieren llegó pasó dejó queda quedó
            quedan siguió encuentra encontró lleva llevó piensa pensar cree creía vivir sale salir
            vuelve volver conoce conocer trabaja trabajar necesita necesitamos espera esperar buscar
            existe existen parecía permite permitir presenta presentar incluye incluir considerar
            ofrece ofrecer realiza realizar mantener mantiene obtener produce producir formar señaló
            aseguró explicó indicó afirmó añadió largo larga corto corta alto alta baja menor peor
            nacional internacional importante importantes económico económica político públicos
            propio propia cierto cierta difícil fácil siguiente siguientes anterior diferente
            diferentes distintos distintas varios varias verdadero único única juntos juntas entre
            dentro nuevos tras sobre según aún todavía casi quizás quizá apenas allá acá hoy ayer
            mañana temprano tarde pronto bastante demasiado sobre todo también tampoco además sin
            embargo ningunos cualquier cualquiera ciertos mucho muchos demás vez veces lugar lugares
            manera maneras tiempo empresa empresas millones mil fueron eran sería serían estado
            estados unidos gobierno presidente ministro país países ciudad ciudades pueblo región
            zona zonas barrio barrios calle calles mujer mujeres hombres jóvenes niños personas
            gente población habitantes derecho derechos salud educación vivienda trabajo empleo
            economía dinero precio precios medio ambiente agua energía transporte movilidad
            seguridad cultura deporte equipo partido elecciones votos ley hablar tomar poner pone
            ponen hacer decir llevar dejar seguir encontrar llamar venir pensar salir volver tomar
            conocer vivir sentir tratar mirar contar empezar esperar buscar existir entrar trabajar
            escribir perder producir ocurrir entender pedir recibir recordar terminar permitir
            aparecer conseguir comenzar servir sacar necesitar mantener resultar leer caer cambiar
            presentar crear abrir considerar oír acabar convertir ganar formar traer partir morir
            aceptar realizar suponer comprender lograr explicar mas dia dias ano anos asi aun
            tambien ademas despues todavia quizas
        """,
        1.0: """
            me ok y o es tu mi qué sé ha he hoy solo dos tres diez van va fin mes hola de la que en
            un se entiendo viene vienen nos les le se te son era dice gran bien bajo red favor mayo
            mis poco ante cuyo cuya cuyos cuyas
        """,
    },
    "en": {
        3.0: """
            hiya howdy
            the what when where which who whom whose why how hello hi hey thanks thank help calendar
            summit thx please pls plz bye goodbye upcoming subscribe subscribed unsubscribe
            subscription subscriptions english spanish french january february june july august
            september october november december monday tuesday wednesday thursday friday saturday
            sunday tomorrow yesterday today tonight would could should there their haha hahaha lol
            events meetings projects pilots topics anything something nothing everything happening
            upcoming weekly monthly newsletter remind reminder notify notifications undo wat abt
            wen whats wats gonna wanna dunno
        """,
        2.0: """
            cities mayors women housing funding airports equality and of to is are was were be been
            being have has had having do does did done this that these those with from for by your
            yours you our ours we they them she his her him its it not if all any some many much
            more most other such only also just very too well now then than so into over after about
            before between under up out off again never always ever already still yet here every
            each both few own same next last first new good great big small little long old young
            high right left back down way day days week weeks month months year years time times
            people things thing someone anyone world city mayor woman men man children child work
            working plan plans project pilot event meeting congress conference summit forum topic
            themes theme language languages help show tell give find get got make made know think
            take see come want look use need like send list start stop update updates news schedule
            calendar planned coming soon member members join register sign details around through
            during without within against among water climate mobility security safety finance
            airport gender training report reports data board assembly election elections latest
            available interested interest question questions answer reply call email website link
            yes sure okay cool nice hope let lets about can will shall might must may could its
            itself myself yourself please which while because though although since until unless
            whether where there's what's who's how's thank you guys folks everyone everybody
            somebody people government company business health school family house home money market
            law power policy policies program research development community environment history
            students student university study care life land state states country countries support
            learn learning knowledge growth economic economy strong building buildings street
            streets road roads town areas level million billion percent number group groups team
            party story book word words name game music movie food body mind heart hand eye eyes
            face head friend friends father mother kids girl boy car fire light night morning
            evening afternoon weekend season summer winter spring autumn open close closed free full
            easy hard clear true false best better worse worst able whole said says say went go goes
            going gone were being get gets getting keep kept put took taken gave given told asked
            used found called became left felt brought began seemed turned showed heard played moved
            lived believed held happened wrote provided stood lost paid met included continued
            learned led understood watched followed stopped created spoke read spent grew opened
            walked won offered remembered loved considered appeared bought waited served died sent
            expected built stayed fell cut reached killed remained suggested raised passed sold
            required decided pulled share shared upcoming agenda please show me tell me latest urban
            citizens rights sustainable change public name reach follow following previous second
            third four five six seven eight nine ten twenty hundred thousand what whats hows wheres
            whens info
        """,
        1.5: """
            another away because become before below came does doing early even however into keep
            kind large later least less life line long look many might must never number often once
            part put same saw say seem set should side since sometimes though thought three together
            took toward upon used want way well went while write problem problems issue issues
            answer reason result results example fact level case group company system government
            health education research development market business family money power policy law
            history story report study community country state town home house school room office
            job jobs children kids women men person student students teacher doctor road street
            building food fire light hour minute morning evening weekend makes making takes taking
            gets getting gives giving comes coming goes going knows known thinks sees seen wants
            wanted looks looked looking uses using finds tells asks works worked seems feels tries
            tried leaves calls needs needed becomes keeps lets begins started starts shows hears
            plays runs moves lives believes brings happens writes provides sits stands loses pays
            meets includes continues learns leads understands watches follows stops creates speaks
            reads spends grows opens walks wins offers remembers loves considers appears buys waits
            serves dies sends expects builds stays falls cuts reaches kills remains suggests raises
            passes sells requires decides pulls better best bad worse worst big small old young
            short low early late wrong easy hard strong weak full empty private sure clear whole
            main major available likely able recent current happy ready nice beautiful wonderful
            amazing awesome true false black white green blue yellow brown should shall whether
            either neither nor unless toward towards upon within without throughout across behind
            beyond beside besides despite inside outside onto per among amongst everyone everybody
            nobody somebody anybody everywhere somewhere nowhere anywhere yesterday tomorrow tonight
            already almost enough quite rather really actually probably perhaps maybe certainly
            definitely especially usually often always sometimes never ever soon later early
            recently president region
        """,
        1.0: """
            in on at as or an but car pays how he me my i i'm im ok dates date meet month plus ton
            pour
        """,
    },
    "fr": {
        3.0: """
            bonjour bonsoir salut merci svp stp revoir bienvenue quoi quand où comment calendrier
            sommet pourquoi combien quel quelle quels quelles prochain prochains prochaine
            prochaines événements événement évènements évènement projets projet pilotes langue
            français anglais espagnol aide aidez abonner abonne abonnez abonnes abonnement
            abonnements désabonner désabonne désabonnez désinscrire désinscris janvier février avril
            juin juillet août septembre octobre novembre décembre lundi mardi mercredi jeudi
            vendredi samedi dimanche aujourd demain hier semaine mois année années oui beaucoup très
            déjà voudrais aimerais pouvez voulez savez réunion réunions assemblée congrès thèmes
            thème actualités mdr ptdr coucou bisous parlez parle écris écrivez réponds répondez
            montre montrez dis dites envoie envoyez inscris inscrivez prévu prévus prévue prévues
            chose lien liens conf koi jsp chui bcp tkt plutôt deuxième troisième quatrième annule
            annulez celui celle
        """,
        2.0: """
            plan plans info infos email forum villes maires mobilité égalité logement sécurité
            financement aéroports données le les des du au aux et ou mais donc car ni qui dont ce
            cet cette ces ça cela ceci celui celle ceux celles je il elle nous vous ils elles moi
            toi lui leur leurs mon ma ton ta tes sa ses notre votre vos pour par avec sans sur sous
            dans chez vers avant après depuis pendant contre selon comme plus moins aussi encore
            toujours jamais rien tout tous toute toutes autre autres même peu trop assez ici là
            alors puis ensuite enfin maintenant ne pas non est sont être été était étaient avoir ai
            avons avez ont fait faire peut peux pouvoir veut veux vouloir dois doit faut vais aller
            voir savoir sait sais dit dire choses temps jour jours fois gens monde vie pays
            gouvernement entreprise entreprises nouveau nouvelle nouveaux nouvelles grand grande
            grands grandes meilleur meilleure petit petite petits petites homme hommes femme femmes
            enfants maison travail travaux ans ainsi cependant lors afin auprès chaque plusieurs
            certains certaines quelque quelques aucun aucune vraiment seulement surtout également
            notamment voici voilà bientôt trouver prendre mettre donner venir passer demander parler
            ville maire mairie eau climat rapport conseil mondial mondiale sommet sujets sujet
            informations liste inscription inscrire lieu aura auront tient mars mai deux trois
            quatre cinq six sept huit neuf dix vingt cent mille premier première dernier dernière
            deuxième troisième suivant suivants suivante suivantes calendrier formation formations
            cours membres adhérents agenda métropole métropoles métropolitain métropolitaine
            citoyens droits durable changement publique publiques public publics gestion nom quoi
            chercher cherche recevoir reçois alerte alertes nouveautés mises jour désolé excusez
            génial parfait accord bonne bon bonnes bons journée soirée plaît plait avoir aurait
            serait seront sera sommes êtes suis étais été peux pourrais pourriez voudriez faites
            fais allons allez vont viens vient venez connaître quelles d'accord également beaucoup
            ateliers atelier séminaire séminaires conférence conférences colloque date dates prévoir
            programme programmes rendez jusqu lorsque puisque quoique parce sociale sociales
            urbaine urbaines inégalités barcelone gouvernance relance relancer ki koi
        """,
        1.5: """
            fait faire dit dire voir vu venir vient prendre pris mettre mis donner donné aller allé
            partir parti passer passé trouver trouvé rester resté devenir devenu sembler semble
            tenir croire crois pense penser parlé aimer aime connaître connaît arriver arrivé
            laisser laissé entendre appeler appelle demandé montrer comprendre compris attendre
            attend écrire lire vivre suivre ouvrir perdre permettre rendre répondre sortir sentir
            reste allons devait doivent pouvait pourrait peuvent veulent voulait fallait avait
            avaient auraient monde jour enfant mot mots rue famille ami amis amie père mère fils
            fille frère soeur sœur terre mer ciel soleil nuit matin soir heure heures semaines
            guerre argent livre histoire début partie côté moyen raison loi lois droit état société
            problème problèmes exemple besoin cas effet ensemble système rôle niveau prix valeur
            marché produit produits qualité santé école université étude études recherche
            développement environnement économie politique département commune quartier habitants
            population personnes personne ministre président députés député élections élu élus haut
            bas gros beau belle vrai vraie faux fausse seul seule tel telle plein pleine européen
            européenne nombreux nombreuses différents différentes actuel actuelle ancien ancienne
            entière facile difficile heureux mal souvent parfois plutôt environ presque peut surtout
            ailleurs partout dessus dessous dedans dehors autour loin près tard tôt vite pourtant
            aujourd'hui hui quelqu'un quelque chose personne chacun chacune lequel laquelle lesquels
            auquel duquel celles-ci celui-ci ceux-ci vers chez parmi durant malgré sauf hors dès
            jusqu'à jusque lorsque quoique tandis puisque ainsi donc cependant toutefois néanmoins
            pourquoi comment combien quand où ensuite aussitôt désormais ete etait etre tres deja
            apres meme francais evenements evenement
        """,
        1.0: """
            me ok nombre question questions y en que si tu son va nos une un la de se te me on pays
            pour ton plus dire car as an entre mes fin or but sort
        """,
    },
}

# Word endings for words that are not in the lists, one per line: the ending, the shortest
# word it applies to, then language and weight pairs. The longest matching ending counts.
ENDINGS = """
    ción 5 es 2        cion 5 es 2        ciones 7 es 2      mente 7 es 1
    dad 6 es 1         dades 7 es 1.5     ando 6 es 1.5      iendo 7 es 1.5
    ados 6 es 1        adas 6 es 1        idos 6 es 1        idas 6 es 1
    ado 5 es 0.7       ada 5 es 0.7       ido 5 es 0.7       ida 5 es 0.7
    aba 5 es 1         aban 6 es 1        ía 4 es 1          ías 5 es 1
    oso 5 es 1         osa 5 es 1         osos 6 es 1        osas 6 es 1
    eza 5 es 1         ismo 6 es 1.5      ismos 7 es 1.5     tud 5 es 1.5
    mos 5 es 1         ero 5 es 0.7       era 5 es 0.5       eros 6 es 0.7
    eras 6 es 0.7      ano 5 es 0.5       anos 6 es 0.7      anas 6 es 0.7
    os 4 es 1          o 4 es 0.7         a 4 es 0.3         ar 4 es 0.7
    ir 4 es 0.7 fr 0.7
    eau 4 fr 2         eaux 5 fr 2        aux 5 fr 1.5       eux 5 fr 1.5
    euse 6 fr 1.5      euses 7 fr 1.5     aient 6 fr 2       ait 5 fr 1
    ais 5 fr 1         oir 5 fr 1         oire 6 fr 1        oires 7 fr 1
    ée 4 fr 1          ées 5 fr 1         é 4 fr 0.7         és 5 fr 0.5
    ique 6 fr 0.5      iques 7 fr 1       eur 5 fr 0.5       eurs 6 fr 1
    ette 6 fr 1        ettes 7 fr 1       isme 6 fr 1.5      ismes 7 fr 1.5
    onner 7 fr 2       iser 6 fr 1        ifier 7 fr 1       ont 5 fr 1
    eil 5 fr 1.5       eille 6 fr 1.5     aille 6 fr 1.5     ouille 7 fr 1.5
    oi 4 fr 1          eu 4 fr 1          ou 4 fr 0.7        ement 7 fr 0.5 en 0.5
    ing 5 en 1.5       ings 6 en 1.5      ness 6 en 2        ship 7 en 1.5
    ful 6 en 1.5       less 7 en 1.5      ly 5 en 1          ity 6 en 1.5
    ities 7 en 1.5     ght 5 en 2         ies 5 en 1         ed 5 en 1
    ous 5 en 1         ward 6 en 1.5      wards 7 en 1.5     ism 5 en 1.5
    ty 4 en 1          cy 4 en 1          ry 4 en 0.7        ize 5 en 1
    ized 6 en 1        ss 4 en 1          nk 4 en 1          ld 4 en 1
    dge 4 en 1.5       tch 4 en 1.5
"""

# The length of the longest ending in ENDINGS: longer ones are never looked up.
LONGEST_ENDING = 6

# Letter groups typical of one language, for words that are not in the lists:
# (letters, language, weight). At most one counts per word, besides its ending.
INFIXES: tuple[tuple[str, str, float], ...] = (
    ("w", "en", 1.0),
    ("th", "en", 0.7),
    ("sh", "en", 0.7),
    ("ck", "en", 1.0),
    ("gh", "en", 1.0),
    ("ee", "en", 0.7),
    ("oo", "en", 0.7),
    ("k", "en", 0.7),
    ("oeu", "fr", 1.5),
    ("œu", "fr", 1.5),
)
INFIX_STARTS: tuple[tuple[str, str, float], ...] = (("ll", "es", 1.5),)

# Decisive characters: character -> (language, weight). é is shared by Spanish and French
# and counts for neither.
CHAR_WEIGHTS: dict[str, tuple[str, float]] = {
    **dict.fromkeys("ñ¿¡", ("es", 3.0)),
    **dict.fromkeys("áíóú", ("es", 2.0)),
    **dict.fromkeys("çœèêàùûëïîôâ«»", ("fr", 2.0)),
}

# Names from the work plan that read like words in some language; more can be given to the
# resolver. Matched case-insensitively as whole words, spaces optional inside.
PLAN_NAMES: tuple[str, ...] = (
    "mega",
    "metroairports",
    "metro airports",
    "women4climate",
    "women 4 climate",
    "urban 20",
    "u20",
    "local2030",
    "local 2030",
    "gold v",
    "uclg",
    "cglu",
    "c40",
    "w4c",
    "metropolis",
    # Names the plan keeps in English in all three languages.
    "surplus food network",
    "surplus food",
    "sustainable cities collaboratory",
    "sustainable cities",
    "metropolitan day",
    "smart city expo",
    "gender keys",
    "hlpf",
    "ptp",
    # Places in the plan's titles, written the same in every language: no evidence either.
    "guangzhou",
    "chicago",
    "barcelona",
    "malaga",
)


# Explicit choices --------------------------------------------------------------------

LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "es": ("spanish", "espanol", "castellano", "espagnol"),
    "en": ("english", "ingles", "anglais", "inglese"),
    "fr": ("french", "frances", "francais"),
}
# Codes count only after a language keyword ("/language fr", "idioma: es") or alone.
LANGUAGE_CODES: dict[str, tuple[str, ...]] = {
    "es": ("es", "esp", "spa"),
    "en": ("en", "eng"),
    "fr": ("fr", "fra", "fre"),
}
# Words that may come before or after a request ("english please"), as an alternation of
# accent-less, lower-case words for the patterns below.
POLITE = (
    r"please|pls|plz|por favor|porfa|porfavor|svp|stp|s il vous plait|s il te plait|"
    r"merci|gracias|thanks|thank you|hola|hello|hi|hey|bonjour|salut|ok|okay|vale|"
    r"now|ahora|maintenant|desde ahora|from now on|a partir de ahora|dorenavant|"
    r"desormais|only|solo|solamente|seulement|uniquement|"
    r"si puedes|if you can|if possible|si possible|si es posible|thx|oui|yes"
)
# The phrasings of a request, matched against the whole folded message: {name} stands for
# the language's names, {code} for its names and codes.
CHOICE_PATTERNS: tuple[str, ...] = (
    # /language fr, language: es, idioma español, langue = français, lang en
    r"(?:set |change |switch )?(?:the )?(?:language|lang|idioma|lengua|langue)"
    r"(?: to| a| en| pour| para| =)? {code}",
    # in English, en français, en español
    r"(?:in|en|to|a) {name}",
    # English, Español, fr (a button label or a bare answer to "which language?")
    r"{code}",
    # speak English, habla español, parle français, respond in Spanish…
    r"(?:can you |could you |do you |would you |puedes |podrias |podes |"
    r"tu peux |vous pouvez |pourriez vous |pourrais tu |peux tu |pouvez vous |"
    r"i want you to |i d like you to |quiero que |je veux que tu |je voudrais que vous |"
    r"you |tu |vous |usted )?"
    r"(?:speak|talk|write|answer|reply|respond|switch|change|use|"
    r"habla|hablame|hablar|hablas|hablemos|escribe|escribeme|escribir|responde|"
    r"respondeme|responder|contesta|contestame|contestar|cambia|cambiar|usa|usar|"
    r"parle|parlez|parler|parles|parlons|ecris|ecrivez|ecrire|reponds|repondez|"
    r"repondre|passe|passez|passer|change|changez|changer|utilise|utilisez)"
    r"(?: to me| with me| me| moi| nous| vous| tu| usted| conmigo| en el| al| a la| le)?"
    r"(?: in| en| to| a| al| pour| para| el)? {name}",
    # I prefer English, prefiero español, je préfère le français
    r"(?:i prefer|i d prefer|i would prefer|i d like|i want|prefiero|preferirio|"
    r"quiero|je prefere|je voudrais|je veux|j aimerais|j prefere)"
    r"(?: in| en| el| le| l| a| to)? {name}",
)
