"""The words and phrases that say what a member wants, in es/en/fr.

Each cue is one regular expression over the message's folded, expanded words joined by single
spaces ("what s on in june", "q hay de nuevo" → "que hay de nuevo"). They are data: to teach
the bot a new way of asking, add it here (and a line to the evaluation data).
"""

from __future__ import annotations

import re

__all__ = ["CUES", "CUE_WORDS", "LANGUAGE_NAMES", "Cue", "found"]


def _cue(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


Cue = re.Pattern[str]

CUES: dict[str, Cue] = {
    "unsubscribe": _cue(
        r"unsubscribe\w*",
        r"unsuscri\w*",
        r"desuscri\w*",
        r"desubscri\w*",
        r"desabonn?\w*",
        r"desinscri\w*",
        r"unfollow\w*",
        r"dejar? de seguir",
        r"deja de seguir",
        r"ne plus suivre",
        r"(?:stop|quit|cease) (?:sending|messaging|texting|writing|following|notifying|"
        r"the|my|all|those|these|them|it|\w+ (?:updates|reminders|messages|alerts))",
        r"stop (?:\w+ )?(?:updates|reminders|messages|notifications|alerts|news)",
        r"no more (?:\w+ ){0,2}(?:messages|updates|reminders|notifications|alerts|digest"
        r"|newsletter|summary|recap|emails)",
        r"(?:don t|do not|dont) (?:want|need) (?:\w+ ){0,3}(?:updates|messages|reminders|"
        r"notifications|alerts)(?: \w+)? (?:anymore|any more)",
        r"(?:don t|do not) (?:want|wish) to (?:follow|receive|get)",
        r"(?:don t|do not|no longer) (?:want|need) (?:the |my |any |those |these |more )?"
        r"(?:digest|newsletter|weekly digest|updates|reminders|messages|notifications|alerts)",
        r"no (?:quiero|necesito) (?:el|los|las|mas|ese|esos) (?:resumen|boletin|avisos|"
        r"recordatorios|mensajes|notificaciones|alertas)",
        r"(?:je ne veux|veux) (?:plus|pas) (?:le|la|les|du|de|des) (?:resume|digest|rappels|"
        r"messages|notifications|alertes|newsletter|recap|bulletin)",
        r"(?:ne )?(?:souhaite|voudrais|desire|veux) plus (?:suivre|recevoir|etre|avoir)",
        r"no (?:quiero|deseo) (?:recibir|seguir|que me (?:envies|mandes|escribas))",
        r"(?:no me|deja de|dejen de|para de) (?:envies|mandes|enviar|mandar|escribir)\w*",
        r"ya no (?:quiero|me interesa|deseo)",
        r"(?:dame|darme|dar|doy|den) de baja",
        r"de baja",
        r"quita\w*",
        r"borra\w* (?:de|la|el|mi)",
        r"cancela\w* (?:mi|la|las|el|los) suscrip\w*",
        r"cancela\w* (?:lo del|el|la|los|las|mi|mis) (?:resumen|boletin|avisos|alertas"
        r"|recordatorios|newsletter)",
        r"arret\w* (?:de|d|les|tes|vos|mes|l|la|le)",
        r"(?:je ne veux|veux) plus (?:suivre|recevoir|etre|rien|de (?:messages|notifications|"
        r"rappels|mails))",
        r"plus de (?:messages|notifications|rappels|alertes|mails|resume|resumes|digest|recap"
        r"|newsletter|bulletin)",
        r"ya no (?:me )?(?:manden|mandes|envien|envies|mandan|escriban)",
        r"annul\w* (?:mon|mes|l) abonnement\w*",
        r"supprim\w* (?:mon|mes) abonnement\w*",
        r"cancel (?:my|the|all) (?:subscriptions?|updates|reminders)",
        r"leave me alone",
        r"(?:remove|take) me (?:off|from|out of)",
        r"(?:sacame|quitame|borrame) de",
        r"(?:retire[zs]?|enleve[zs]?|supprime[zs]?) moi (?:de|des|du)",
        r"stop it",
        r"^stop$",
    ),
    "subscriptions": _cue(
        r"my (?:current |active )?(?:subscriptions|subs|alerts|follows)",
        r"mis (?:suscripciones|alertas)",
        r"mes abonnements",
        r"mis subscripciones",
        r"(?:what|which|wat) .{0,40}(?:am i|i m|i am) (?:currently |now )?"
        r"(?:subscribed|following|signed up|getting)",
        r"(?:a|en) que (?:cosas )?(?:estoy|sigo) (?:suscrit\w*|subscrit\w*|apuntad\w*)",
        r"que (?:\w+ ){0,3}(?:estoy siguiendo|sigo)",
        r"(?:a quoi|ce que) je suis (?:actuellement|en ce moment|deja)",
        r"a quoi (?:je suis|suis je) (?:\w+ )?abonn\w*",
        r"je suis (?:\w+ )?abonn\w* a quoi",
        r"(?:que|qu) est ce que je suis",
        r"(?:quels?|quelles?) (?:sont )?mes abonnements",
        r"je suis abonn\w* a quoi",
        r"a quoi (?:je suis|suis je) (?:\w+ )?inscri\w*",
        r"(?:que|q|cuales|cuantas) (?:alertas|suscripciones|avisos|notificaciones) tengo",
        r"(?:alerts|subscriptions|updates|reminders) (?:i ve|i have|i m|i am|i d) "
        r"(?:\w+ )?(?:signed up|subscribed|registered|set up|asked)",
        r"list (?:the |my |all )?(?:alerts|subscriptions|follows)",
        r"(?:quelles|quels) (?:alertes|notifications|rappels) (?:j ai|ai je)",
        r"(?:quels|mes) suivis",
        r"(?:which|what) (?:subscriptions|alerts|subs|updates) (?:do|have|did) i",
        r"(?:everything|all|what|the things) (?:i m|i am) (?:currently |now )?(?:following"
        r"|subscribed to)",
        r"(?:which|what) (?:\w+ ){0,4}(?:i signed up|i subscribed|i m subscribed|i am subscribed"
        r"|i m following|i am following|i follow)",
        r"a quoi je (?:me )?suis (?:\w+ )?(?:abonn|inscri)\w*",
        r"(?:j ai|ai je) (?:deja |encore )?(?:des|un|quels?|quelques) (?:abonnements?|alertes)",
        r"(?:do|have) i (?:have|got) (?:any )?(?:active )?(?:subscriptions|subs|alerts)",
        r"tengo (?:alguna |algunas |ya )?(?:suscripcion\w*|alertas?)",
    ),
    "subscribe": _cue(
        r"subscri\w*",
        r"suscrib\w*",
        r"suscri\w*",
        r"subscrib\w*",
        r"abonn?\w*",
        r"inscri\w*",
        r"apunta\w*",
        r"anota\w*me",
        r"follow\w*",
        r"(?<!je )(?<!j )suis (?:tout|tous|toutes|les|le|la|ce|cet|cette|ca|moi)",
        r"^(?:ok |oui |alors )?suis (?:le|la|les)$",
        r"seguir",
        r"suivre",
        r"sign me up",
        r"sign up",
        r"keep me (?:posted|updated|informed|in the loop)",
        r"notify me",
        r"alert me",
        r"remind me",
        r"ping me",
        r"(?:send|give) me (?:\w+ )?(?:updates|reminders|news|alerts|notifications)",
        r"(?:can|could|may) (?:i|we) (?:get|receive|have) (?:the |a |your )?(?:weekly |monthly )?"
        r"(?:digest|summary|newsletter|recap|roundup|updates|reminders)",
        r"(?:mandame|mandanos|enviame|envianos|mandenme|envienme) (?:el |los |un |las )?"
        r"(?:resumen|boletin|avisos|recordatorios|novedades|alertas)",
        r"(?:send|email|mail) me (?:a |the )?(?:weekly |monthly )?(?:digest|summary|recap|roundup"
        r"|newsletter)",
        r"(?:add|put) me (?:to|on|in) (?:the |your )?(?:\w+ )?(?:digest|list|mailing|newsletter"
        r"|updates|alerts|roundup|recap|summary|email|reminders)",
        r"(?:je )?(?:veux|voudrais|souhaite|souhaiterais|aimerais) (?:recevoir |avoir )?"
        r"(?:le |la |les |des )?(?:recap|resume|digest|newsletter|rappels|alertes|notifications"
        r"|nouvelles)",
        r"(?:je )?(?:souhaite|souhaiterais|voudrais|aimerais) (?:recevoir|suivre|etre informe\w*)",
        r"(?:quisiera|quiero|me gustaria|deseo) (?:recibir|seguir|estar al tanto)",
        r"i d (?:like|love) to (?:receive|get|follow)",
        r"(?:i want|i d like|i would like|want) (?:the )?(?:updates|reminders|news|alerts)",
        r"updates (?:on|about|for)",
        r"reminders (?:for|about|of)",
        r"avis\w*me",
        r"avisa\w*",
        r"avisen\w*",
        r"notifica\w*me",
        r"recuerda\w*me",
        r"recordatorios? de",
        r"mant\w*n\w* (?:informad\w*|al (?:tanto|dia))",
        r"tenme al (?:tanto|dia)",
        r"quiero (?:recibir|estar al tanto|enterarme)",
        r"(?:previens|prevenez|informe[zs]?) moi",
        r"tien[ts]? moi (?:au courant|informe\w*)",
        r"tenez moi (?:au courant|informe\w*)",
        r"je veux (?:recevoir|etre (?:tenu|informe))",
        r"(?:envoie|envoyez) moi",
        r"rappel\w* moi",
        r"sigue(?:me)? (?:todo|todos|todas|los|las|el|la|ese|esa|eso)",
        r"(?:seguil|siguel|agregal|anotal|sumal)(?:o|a|os|as)",
    ),
    "undo": _cue(
        r"undo",
        r"deshaz\w*",
        r"deshacer",
        r"deshace\w*",
        r"anula\w*",
        r"annul\w*",
        r"revert\w*",
        r"cancel (?:that|this|it)",
        r"cancela (?:eso|esto|lo)",
        r"cancelalo",
        r"take (?:it|that) back",
        r"scratch that",
        r"oops",
        r"my bad",
        r"not what i meant",
        r"me equivoque",
        r"reviens en arriere",
        r"defais\w*",
    ),
    "count": _cue(
        r"how many",
        r"how much (?:pilot|project|event|theme)\w*",
        r"number of",
        r"cuant[oa]s?",
        r"numero de",
        r"cantidad de",
        r"combien",
        r"nombre (?:de|d)",
        r"total (?:de|of)",
    ),
    # The words alone: they give way to a question ("help me find the congress").
    "help_word": _cue(
        r"help",
        r"ayuda\w*",
        r"aide",
        r"aidez moi",
        r"aide moi",
        r"commands",
        r"comandos",
        r"commandes",
        r"instructions",
        r"instrucciones",
        r"^menu$",
        r"^start$",
        r"^options$",
    ),
    # Phrases: what they ask is help, whatever else the message names.
    "help": _cue(
        r"what (?:can|do) (?:you|u) do",
        r"what (?:are you|r u) (?:for|able to do)",
        r"que (?:puedes|sabes|podes|pueden) hacer",
        r"para que (?:sirves|sirve esto)",
        r"(?:que|qu) est ce que (?:tu peux|vous pouvez|tu sais|vous savez) faire",
        r"que (?:peux|pouvez|sais) (?:tu|vous) faire",
        r"(?:tu|vous) (?:sers|servez) a quoi",
        r"(?:tu|vous) (?:sais|savez|peux|pouvez) faire quoi",
        r"(?:tu|vous) (?:fais|faites) quoi (?:exactement|au juste|comme bot)",
        r"how (?:does|do) (?:this|it|you) work",
        r"how (?:do|can) i use (?:this|it|you)",
        r"how to use (?:this|it|you)",
        r"como (?:funciona|se usa|te uso|lo uso|usarte)",
        r"comment (?:ca|cela|tu) (?:marche|fonctionne)s?",
        r"comment (?:t |vous )?utiliser",
        r"mode d emploi",
        r"(?:what|which) (?:questions|things) can i ask",
        r"que (?:cosas |preguntas |tipo de cosas )?(?:puedo|le puedo|te puedo) preguntar\w*",
        r"how (?:does|do) (?:this|the) (?:bot|thing|chat|service|app) work",
        r"(?:what|which) (?:kind|kinds|sort|sorts|type|types) of (?:questions|things) (?:can|could|"
        r"should) i",
        r"(?:quel|quels|quelle|quelles) (?:genre|type|sorte)s? de questions",
        r"(?:que|q) (?:tipo|clase) de (?:preguntas|cosas)",
        r"que puedo hacer (?:aca|aqui|con (?:esto|este bot|vos|usted|ustedes))",
        r"what can i do (?:here|with (?:this|you|it))",
        r"qu est ce que je peux faire (?:ici|avec (?:toi|vous|ce bot))",
        r"(?:que|quoi) (?:puis je|je peux) (?:te |vous )?demander",
        r"(?:je peux|on peut|puis je) (?:te |vous )?demander quoi",
    ),
    "identity": _cue(
        r"who (?:are|r) (?:you|u)",
        r"what (?:are|r) (?:you|u)(?! doing| up to| planning| working| organi[sz]ing)",
        r"what (?:exactly )?is this (?:bot|thing|chat|service)",
        r"who (?:am i|m i) (?:talking|speaking|chatting) (?:to|with)",
        r"who is this",
        r"(?:is this|are you|is it) (?:some kind of |some sort of |just |a |an )*"
        r"(?:automated|virtual|ai|bot|robot|chatbot|assistant|program|real person|human)",
        r"who (?:runs|made|built|created|is behind|s behind|owns) (?:this|you|it)",
        r"(?:are|r) (?:you|u) (?:a |an )?(?:bot|robot|human|real|person|machine|ai|chatbot)",
        r"quien (?:eres|sos|es usted)",
        r"con quien (?:estoy |hablo|estoy hablando|hablamos)",
        r"sos (?:un |una )?(?:bot|robot|humano|persona|maquina|ia|chatbot|real)",
        r"que (?:eres|sos)",
        r"eres (?:un |una )?(?:bot|robot|"
        r"humano|persona|maquina|ia|chatbot|real)",
        r"(?:esto|eso) es (?:un |una )?(?:bot|robot|chatbot|persona|humano|maquina)",
        r"(?:asistente|assistant) (?:automatico|automatique|virtual|virtuel)",
        r"automated assistant",
        r"(?:este|el|ce) (?:bot|robot|chatbot) (?:es|est) (?:de|a) ",
        r"de quien es (?:este|el) (?:bot|robot|chatbot)",
        r"(?:este|el|ce) (?:bot|robot|chatbot) (?:es|est) (?:oficial|officiel)",
        r"(?:am i|are we) (?:talking|speaking|chatting) (?:to|with) (?:a |an )?(?:real person|"
        r"human|bot|robot|machine|person|real human)",
        r"who (?:owns|runs) this (?:bot|thing|chat)",
        r"me (?:contesta|responde) (?:alguien|una persona|un humano)",
        r"hablando con (?:una persona|un bot|un humano|alguien|una maquina|un robot)",
        r"(?:parle|parler) (?:a|avec) (?:une personne|un bot|un humain|un robot|quelqu un)",
        r"me (?:contesta|responde|escribe) una persona",
        r"como te llamas",
        r"qui (?:es tu|etes vous|est tu|es ce)",
        r"(?:t es|tu es|vous etes|t) (?:qui|ki)(?: toi| vous)?",
        r"(?:vous etes|etes vous) (?:un |une )?(?:humain|robot|bot|vraie? personne|chatbot|ia)",
        r"(?:a|avec) qui (?:je parle|est ce que je parle|ai je affaire)",
        r"(?:je parle|on parle|parle je) a (?:une |un )?(?:vraie personne|humain|robot|machine"
        r"|programme|bot|personne|ia)",
        r"c (?:est )?quoi ce (?:bot|robot|truc|chatbot)",
        r"(?:t es|tu es|es tu) (?:un |une )?"
        r"(?:humain|robot|bot|vraie? personne|chatbot|ia)",
        r"ton nom",
        r"your name",
        r"are you real",
    ),
    "greet": _cue(
        r"hi",
        r"hello",
        r"hey",
        r"hiya",
        r"howdy",
        r"good (?:morning|afternoon|evening)",
        r"hola",
        r"buenas",
        r"buenos dias",
        r"buen dia",
        r"saludos",
        r"que tal",
        r"bonjour",
        r"salut",
        r"coucou",
        r"bonsoir",
        r"allo",
    ),
    "thanks": _cue(
        r"thanks?",
        r"thank you",
        r"cheers",
        r"much appreciated",
        r"gracias",
        r"merci",
        r"mil gracias",
        r"te lo agradezco",
        r"je vous remercie",
    ),
    "bye": _cue(
        r"bye",
        r"goodbye",
        r"that s all (?:i needed|for now|thanks|thx)",
        r"(?:c est|c) tout (?:pour moi|merci)",
        r"eso es todo",
        r"see (?:you|ya)",
        r"have a (?:good|nice|great) (?:one|day|evening)",
        r"adios",
        r"chao",
        r"chau",
        r"ciao",
        r"hasta (?:luego|pronto|manana|la proxima)",
        r"nos vemos",
        r"au revoir",
        r"a plus",
        r"a bientot",
        r"bonne (?:journee|soiree)",
        r"a la prochaine",
        r"tchao",
        r"bye bye",
        r"cya",
        r"a\+",
    ),
    # What the bot cannot do: weather, travel, bookings.
    "out_of_scope": _cue(
        r"weather",
        r"who won",
        r"(?:qui a|quien) (?:gan|gagn)\w*",
        r"(?:football|soccer|futbol|foot) (?:match|game|partido|score|resultado)",
        r"(?:the|el|le) (?:match|partido|game) (?:last|de|d hier|yesterday|tonight|anoche|ce soir)",
        r"forecast",
        r"(?:que|q) tiempo (?:hace|hara|va a hacer)",
        r"(?:el )?clima (?:en|de|para|hoy|manana)",
        r"pronostico",
        r"(?:quel|kel) temps (?:fait|fera|il fait|va t il faire)",
        r"fait (?:quel|kel) temps",
        r"meteo",
        r"exchange rate",
        r"(?:usd|eur|euro|euros|dollar|dollars|dolar|dolares) (?:to|a|en|vs|contre) (?:usd|eur"
        r"|euro|euros|dollar|dollars|dolar|dolares)",
        r"(?:score|resultat|marcador|resultado) (?:du|del|of the|de l) (?:match|partido|game)",
        r"tipo de cambio",
        r"(?:a cuanto|cuanto) (?:esta|cotiza|sale) el (?:dolar|euro)",
        r"(?:cours|taux|prix) (?:du|de l) (?:dollar|euro|bitcoin)",
        r"price of (?:the )?(?:dollar|euro|bitcoin)",
        r"cuanto (?:cuesta|cuestan|vale|valen|cobra|sale un)",
        r"how much (?:does|do|is|are) (?:a |an |the )?(?:taxi|cab|uber|flight|ticket|hotel|room)",
        r"combien (?:coute|coutent|ca coute)",
        r"taux de change",
        r"book (?:me )?(?:a |an )?(?:flight|hotel|room|table|taxi|ticket)",
        r"(?:flights?|plane tickets?|hotels?) (?:to|in|for|from)",
        r"(?:reservar?|reservame|comprar?|comprame) (?:un |una )?(?:vuelo|hotel|habitacion|pasaje"
        r"|boleto|billete|taxi|mesa)",
        r"(?:vuelos?|pasajes?|hoteles?) (?:a|para|en|de)",
        r"(?:reserve|reservez|reserver|reserve moi|achete|acheter) (?:un |une |moi un )?(?:vol"
        r"|hotel|chambre|billet|taxi|table)",
        r"(?:billets? d avion|vols?) (?:pour|vers|a|de)",
    ),
    "calendar": _cue(
        r"i?cal(?:endar)? feed",
        r"ical",
        r"ics",
        r"webcal",
        r"icalendar",
        r"outlook",
        r"google (?:cal|calendar|agenda)",
        r"apple (?:cal|calendar)",
        r"gcal",
        r"(?:add|put|import|sync|export) (?:\w+ ){0,6}(?:my |the |your )?(?:calendar|cal)",
        r"(?:iphone|android|phone|telephone|celular|celu|cel|smartphone|movil|portable|google"
        r"|apple)(?: s)? "
        r"(?:calendar|calendario|calendrier|agenda)",
        r"(?:my|mi|mon|ma) (?:own |personal )?(?:calendar|calendario|calendrier|agenda)",
        r"(?:calendar|calendario|calendrier|agenda) (?:de|of|del|du|on) (?:my |mi |mon |el |le )?"
        r"(?:phone|celular|celu|cel|movil|telephone|portable|iphone|android|smartphone)",
        r"(?:agrega\w*|agrego|agregue|anade|anadir|anado|pongo|poner|meto|meter|sincroniza\w*"
        r"|exporta\w*|importa\w*|pasar?) (?:\w+ ){0,4}"
        r"(?:calendario|agenda)",
        r"(?:ajoute\w*|synchronis\w*|export\w*|import\w*|mettre) (?:\w+ ){0,4}"
        r"(?:calendrier|agenda)",
        r"calendar link",
        r"enlace (?:del |de )?calendario",
        r"lien (?:du |de )?calendrier",
        r"^(?:my |mi |mon )?(?:calendar|calendars|calendario|calendrier|ical)$",
        r"reset (?:my )?calendar",
        r"(?:calendar|calendario|calendrier) reset",
    ),
    "timezone": _cue(
        r"time ?zone",
        r"zona horaria",
        r"huso horario",
        r"fuseau(?: horaire)?",
        r"(?:my|mi|mon) (?:local )?(?:time|hora|heure)",
        r"(?:estoy|vivo|trabajo) en (?:la )?hora de",
        r"(?:use|set|switch to|i m on|im on|i am on) (?:\w+ ){1,2}time",
        r"(?:mets|mettez|mettre|passe|passez|regle\w*) (?:moi )?(?:a |sur )?l heure de",
        r"(?:pon|ponme|cambia\w*|usa) (?:la )?hora de",
    ),
    "language": _cue(
        r"(?:answer|reply|respond|write|talk|speak|switch|change|answer me|reply me)"
        r"(?: \w+){0,2} (?:in|to) (?:spanish|english|french)",
        r"(?:in|en) (?:spanish|english|french) (?:please|pls|instead|from now)",
        r"en (?:francais|espagnol|anglais|espanol|ingles|frances|castellano) (?:svp|stp|s il vous"
        r" plait|s il te plait|por favor|porfa|xfa|please|pls)",
        r"(?:responde|respondeme|contesta|contestame|habla|hablame|escribe|escribeme|cambia)"
        r"(?:\w+)?(?: \w+){0,3} (?:en|a) (?:espanol|ingles|frances|castellano)",
        r"(?:mejor|prefiero) (?:en |el )?(?:espanol|ingles|frances|castellano)",
        r"(?:vuelve|volve|volvamos|regresa|regresemos|pasa|pasate)(?: \w+){0,2} (?:al |a |en )?"
        r"(?:espanol|ingles|frances|castellano)",
        r"(?:cambia\w*|cambie|change\w*|switch\w*|mets|mettez|modifi\w*|pon|ponme|set) "
        r"(?:el |la |de |the |my |mi |ma |your |tu |ton |votre )?(?:idioma|langue|language|lengua)",
        r"(?:puedes|podes|puede|podrias|podria) (?:seguir|continuar|hablar|escribir|responder"
        r"|explicar|decir|repetir)(?:me|lo|melo)? en (?:espanol|ingles|frances|castellano)",
        r"(?:prefiero|quiero|quisiera) que me (?:respondas|contestes|hables|escribas|responda"
        r"|conteste|hable|escriba)(?: \w+){0,2} en (?:espanol|ingles|frances|castellano)",
        r"(?:i d|i would) (?:rather|prefer|like to) (?:chat|talk|speak|write|continue|go on"
        r"|switch)(?: \w+){0,2} (?:in|to) (?:spanish|english|french)",
        r"i (?:d )?prefer (?:spanish|english|french)",
        r"(?:i prefer|let s|can we|could we) (?:chat|talk|speak|write|continue|switch|go)"
        r"(?: \w+){0,2} (?:in|to) (?:spanish|english|french)",
        r"(?:reponds|repondez|parle|parlez|ecris|ecrivez|passe|passez|repasse|repassez|reviens"
        r"|revenez|remets|remettez|remet)(?: \w+){0,3} "
        r"(?:en )?(?:espagnol|anglais|francais)",
        r"(?:tu peux|vous pouvez|peux tu|pouvez vous|pourriez vous|pourrais tu) (?:me |nous )?"
        r"(?:parler|repondre|ecrire)"
        r"(?: \w+){0,2} (?:en )?(?:espagnol|anglais|francais)",
    ),
}

# Language names as members write them, and the language each means.
LANGUAGE_NAMES = {
    "spanish": "es", "espanol": "es", "castellano": "es", "espagnol": "es",
    "english": "en", "ingles": "en", "anglais": "en",
    "french": "fr", "frances": "fr", "francais": "fr",
}  # fmt: skip


# Every word the cues spell out (stems too): never "corrected" into something else.
CUE_WORDS = frozenset(
    word for cue in CUES.values() for word in re.findall(r"[a-z]{3,}", cue.pattern)
) | frozenset(LANGUAGE_NAMES)


def found(name: str, joined: str) -> re.Match[str] | None:
    """The first place where the cue ``name`` is found in ``joined`` (words joined by spaces)."""
    return CUES[name].search(joined)
