"""Word lists: the bot's own vocabulary (what a misspelling may be put back to), the common
words of the three languages (never "corrected"), and the words of each slot of a reading
(kinds, statuses, "when", "where", references).

Words are folded (lower case, no accents), as :func:`bot.core.text.fold` writes them.
"""

from __future__ import annotations

__all__ = [
    "ASK_WHEN",
    "ASK_WHERE",
    "COMMON",
    "DOMAIN",
    "EVENT_WORDS",
    "KIND_WORDS",
    "NEUTRAL",
    "NEXT_WORDS",
    "NO",
    "PROJECT_WORDS",
    "SECTION_WORDS",
    "STATUS_WORDS",
    "THEME_WORDS",
    "WHOLE",
    "YES",
    "YESNO_WORDS",
    "YESNO_WORDS_BY_KIND",
]


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


EVENT_WORDS = _set(
    """
    event events evento eventos evenement evenements agenda calendar calendario calendrier
    activities actividades activites meetings reuniones reunions conferences
    conferencias forums foros dates fechas programme programa schedule cronograma rendez
    happening happens happen pasa pasara ocurre ocurrira passe prevu prevue prevus prevues actions
    acciones
    previsto prevista previstos previstas planned scheduled programado programados
    """
)
NEXT_WORDS = _set(
    """
    next upcoming coming soon proximo proxima proximos proximas proximamente siguiente
    siguientes prochain prochaine prochains prochaines prochainement bientot pronto venir suite
    """
)
PROJECT_WORDS = _set(
    "project projects proyecto proyectos projet projets pilot pilots piloto pilotos pilote pilotes"
)
THEME_WORDS = _set(
    "theme themes tema temas thematique thematiques topic topics tematica tematicas sujets"
)
SECTION_WORDS = _set(
    "section sections seccion secciones area areas apartado apartados partie parties chapter "
    "chapters capitulo capitulos"
)
# A kind of item named in the message, and the kind it means.
KIND_WORDS = {
    **{w: "pilot_project" for w in PROJECT_WORDS},
    **{w: "event" for w in _set("event events evento eventos evenement evenements")},
    **{w: "theme" for w in THEME_WORDS},
    **{w: "section" for w in SECTION_WORDS},
    **{w: "action" for w in _set("action actions accion acciones")},
}
# Words that say which projects: closing, ongoing or starting.
STATUS_WORDS = {
    "closing": _set(
        """
        closing close closes closed ending end ends ended finishing finish finishes finished
        concluding conclude concludes wrapping terminan termina terminen terminar terminaran
        acaban acaba finalizan finaliza finalizar cierran cierra cerrar cierre clausura
        clausuran concluyen terminent termine terminer finissent finit cloture cloturent
        clotures achevent acheve finales closure terminent ferment fermer fermeront
        """
    ),
    "ongoing": _set(
        """
        ongoing progress running current currently continuing continue continues active
        underway marcha curso continuan continua activos activo actuales siguen
        cours actuels actuel continuent
        """
    ),
    "starting": _set(
        """
        starting start starts started new begin begins beginning launching launch launched
        kicking empiezan empieza empezar empezaran comienzan comienza comenzar comienzo
        nuevos nuevo nuevas nueva inician inicia iniciar arrancan arranca commencent commence
        commencer debutent debute demarrent demarre demarrer nouveaux nouveau nouvelles
        nouvelle lancement lancent
        """
    ),
}
ASK_WHEN = _set("when cuando quand date dates fecha fechas dia jour mois mes month periode epoca")
ASK_WHERE = _set("where donde lugar venue sitio ubicacion location endroit")
YES = _set(
    """
    yes yeah yep yup sure ok okay please do go ahead si claro dale vale porfa oui ouais
    bien sur volontiers d accord carrement absolument absolutely definitely correct exacto
    exactement perfect perfecto parfait great genial super vas allez vamos adelante hazlo
    """
)
NO = _set("no nope nah non not nada never jamais nunca pas")

# The bot's own vocabulary: what a misspelt word may be put back to.
DOMAIN = (
    EVENT_WORDS
    | NEXT_WORDS
    | PROJECT_WORDS
    | THEME_WORDS
    | frozenset().union(*STATUS_WORDS.values())
    | _set(
        """
        subscribe subscription subscriptions unsubscribe suscribir suscribeme suscribirme
        suscripcion suscripciones desuscribir desuscribeme desuscribirme abonner abonne
        abonnement abonnements desabonner desabonne inscris inscrire follow following seguir
        suivre updates reminders reminder recordatorio recordatorios rappel rappels
        notifications notificaciones alertas alertes messages mensajes digest weekly semanal
        resumen hebdomadaire newsletter boletin calendar calendario calendrier help ayuda aide
        thanks gracias merci hello hola bonjour salut please favor plait information
        informacion informations about sobre where donde when cuando quand what which where
        how many cuantos cuantas combien january february march april june july august
        september october november december enero febrero marzo abril mayo junio julio agosto
        septiembre octubre noviembre diciembre janvier fevrier mars avril juin juillet aout
        septembre octobre novembre decembre spring summer autumn winter primavera verano otono
        invierno printemps hiver automne month months week weeks year mes meses semana semanas
        ano mois semaine semaines annee quarter trimestre happening happen pasa prevu planned
        previsto tell dime cuentame parle explain undo deshaz annule everything todo tout
        still already todavia ya encore deja toujours finished terminado termino fini
        cancelled cancelado annule postponed aplazado reporte language idioma langue spanish
        english french espanol ingles frances espagnol anglais francais timezone
        """
    )
)

# Common words of the three languages: known, so never "corrected" into a domain word.
COMMON = _set(
    """
    a al an and are as at be but by can could de del des do does did du el en es est et for
    from has have he her his i if in into is it its je la las le les lo los me mi mis moi my
    no not of on or our para pas per por pour que qui se she si so some son sur te the their
    them then there these they this those to tu un una une uno us was we were what when who
    why will with would y you your yo ya
    also alguna algun algo aqui ahi alli aussi autre avec ayer bien bon bueno cada casa cela
    ces cet cette chez ciudad cosa cosas dans deja desde despues donc ella elle ellos encore
    entre eso esta este esto estos estoy fait faire fue gente hay hoy ici il ils jour lui mais
    mas meme mucho muy nada nos nous otra otro ou peu peut plus pourquoi puede quand quien
    rien sans sera sin sont sous tambien tan tant tiene todo tous tout tres trop usted vous
    veux quiero want need like know think make get give take see look find send show thing
    things stuff people city cities ville villes mayor alcalde maire work trabajo travail
    time tiempo temps today week good great nice thanks ok okay
    weather tiempo meteo hotel taxi flight vuelo vol restaurant covid football futbol
    up down out off over just still really very much many lot lots bit
    am been being had having may might must shall should got going gone come comes came
    go goes went say said see saw seen look looking find found think thought know knew
    use used using try trying tried ask asked asking read hear heard wonder wondering
    sorry hi hey yes yeah nope well so anyway btw thing guys team colleague boss office
    meeting email mail phone number here there where now then soon later today tonight
    ser estar estoy esta estas estan estamos soy eres somos son fue fui era eran sera seria
    tengo tienes tiene tenemos tienen tenia hay habia habra hace hacen hizo hago hacer
    puedo puedes puede podemos pueden podria podrias quiero quieres quiere queremos
    necesito necesitas necesita veo ves ve vemos ven vi visto sale salen salio saber se sabe
    digo dice dicen dijo decir voy vas va vamos van ir viene vienen vino llega llegan
    creo cree crees parece pasar paso pasado pasa queda quedan quedo dar doy da dan dime
    mucho mucha muchos muchas poco poca pocos nada nadie alguien algo todo siempre nunca
    tambien solo ya aun todavia muy mas menos bien mal bueno buena nuevo nueva nuevos
    ahora luego despues antes hoy manana ayer aqui alli donde cuando como porque pues
    entonces pero sino aunque mientras durante hasta desde sobre entre contra sin segun
    mi mis tu tus su sus nuestro nuestra vuestro ellos ellas nosotros usted ustedes le les
    gente cosa cosas vez veces dia dias ano anos semana mes equipo oficina ciudad jefe
    etre suis es est sommes etes sont etait ete sera serait avoir ai as avons avez ont
    avait aura aurait faire fais fait faisons font faut peux peut pouvons peuvent pourrait
    veux veut voulons veulent voudrais vois voit voir vu sais sait savoir dis dit dire
    vais va allons vont aller viens vient venir prend prendre mets mettre trouve trouver
    pense penser crois croire passe passer reste rester manque rate rater jai jsuis
    beaucoup peu trop tres bien mal bon bonne nouveau nouvelle tout tous toute toutes rien
    personne quelqu quelque chose toujours jamais deja encore aussi seulement juste
    maintenant apres avant aujourd hui demain hier ici la ou quand comment pourquoi parce
    mais donc alors car pendant depuis vers chez sans sous sur entre contre selon
    mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs eux elles nous vous
    gens truc trucs fois jour jours an ans annee semaine mois equipe bureau ville chef
    """
)
# Words that say "all of it" rather than naming something: "calendario completo", "full list".
WHOLE = _set(
    """
    full complete completo completa completos completas complet complete complets entire entero
    entera entier entiere whole ensemble list lista liste listado overview resumen apercu
    glance programme program programa total totalidad
    """
)

# Words that name nothing in the plan: question words, politeness, articles, verbs of asking.
NEUTRAL = _set(
    """
    please pls por favor svp stp s il te plait merci can could would you vous usted
    i me we us nos nous yo tell say give show list dime dame muestrame montre donne
    know saber savoir want quiero veux voudrais like gustaria any anything algo quelque chose
    there hay y a il the el la los las le les un una une some alguno algunos des
    which cual cuales quel quels quelle quelles qu est ce this that esto eso ceci cela ca
    do does did are was were will sera seran serait have has tiene ont avoir
    happen happens happening pasa ocurre passe se lieu celebra celebre tient deroule cae caen
    again otra vez encore also tambien aussi then entonces alors now ahora maintenant
    hi hello hola bonjour ok okay vale d accord yes no si oui non
    all everything todo toda todos todas tout tous toutes
    cuentame cuenteme hableme explicame explain describe raconte racontez parlez dites dis
    cuentas cuentanos pasame pasanos mandame enviame envoyer envoie envoyez
    fait faire font hace hacer hacen doing does done
    topic topics metropolis work plan trabajo travail
    what whats s que quoi qui quien who how como comment about sobre sur abt on of de del du
    in en dans at a al au aux to para pour por for from desde depuis with con avec
    is es est son sont es esta estan
    information informacion informations info infos details detalles detalle
    quisiera quisieramos podria podrias pourriez pourrais pouvez peux puedes puede
    thing things cosa cosas truc trucs chose choses stuff
    more mas plus quick question pregunta rapida rapide other otro otra autre others otros
    otras autres
    hey buenas salut coucou gracias thanks
    """
)

# Yes/no questions: what is asked about ("is it still running?"), by the words that ask it.
_YESNO_TEXT = {
    "over": "over finished done ended terminado terminada termino acabo acabado acabada "
    "finalizado finalizo fini finie finis termine terminee acheve clos cerro cerrado cerrada",
    # "did it happen?": over, or with a period a question about its date ("eu lieu en mars ?").
    "happened": "happened passed paso eu passee passees",
    "running": "still running ongoing active underway continuing sigue siguen marcha activo "
    "activa vigente continua continue continues encore toujours cours actif",
    "started": "started begun empezo empezado comenzo comenzado arranco inicio commence demarre",
    "cancelled": "cancelled canceled cancelado cancelada suspendido annule annulee",
    "postponed": "postponed delayed aplazado aplazada pospuesto retrasado reporte reportee",
    "closing": "closing ending wrapping close closes ends termina terminan cierra cierran "
    "acaba finaliza clausura finit cloture terminent finissent",
    "starting": "starting start starts begins empieza comienza arranca inicia debute lance",
}
YESNO_WORDS_BY_KIND = {what: _set(words) for what, words in _YESNO_TEXT.items()}
YESNO_WORDS = frozenset().union(*YESNO_WORDS_BY_KIND.values())
