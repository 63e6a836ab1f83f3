"""Load the getting-started steps (eight for cities, seven for social enterprises) and the
case stories, in English and Spanish.

As in 0002, the content lives here so this migration keeps producing the same rows
whatever the app's code becomes; running it again updates the rows in place by slug.
"""

from django.db import migrations

CITY_STEPS = [
    {
        "slug": "city-what-have-you-learned",
        "title": "Take stock of what you learned",
        "description": (
            "Read the practices and the stories with colleagues. Which of them could change how "
            "your city makes decisions and runs its services?"
        ),
        "es": {
            "title": "Haga balance de lo aprendido",
            "description": (
                "Lea las prácticas y las historias con sus colegas. ¿Cuáles podrían cambiar la forma "
                "en que su ciudad decide y presta sus servicios?"
            ),
        },
    },
    {
        "slug": "city-point-of-contact",
        "signal": "point_of_contact",
        "title": "Name a point of contact",
        "description": (
            "Give social entrepreneurs one approachable, trusted person to talk to, who also helps "
            "colleagues inside city hall put these ways of working into practice."
        ),
        "es": {
            "title": "Nombre un punto de contacto",
            "description": (
                "Ofrezca a los emprendedores sociales una persona cercana y de confianza con quien "
                "hablar, que además ayude a sus colegas del ayuntamiento a aplicar estas formas de "
                "trabajar."
            ),
        },
    },
    {
        "slug": "city-find-out-whats-going-on",
        "title": "Find out what is already going on",
        "description": (
            "Gather the experiences of staff who already work with social entrepreneurs, to find "
            "the pioneers in your own administration and learn from them."
        ),
        "es": {
            "title": "Averigüe qué se está haciendo ya",
            "description": (
                "Reúna las experiencias del personal que ya trabaja con emprendedores sociales, para "
                "encontrar a los pioneros de su propia administración y aprender de ellos."
            ),
        },
    },
    {
        "slug": "city-yes-culture",
        "title": "Build a culture of yes",
        "description": (
            "Ask whether your leadership can make “yes, this is how we could work together” the "
            "first answer a social entrepreneur hears."
        ),
        "es": {
            "title": "Construya una cultura del sí",
            "description": (
                "Pregúntese si su equipo directivo puede hacer que «sí, así podríamos trabajar "
                "juntos» sea la primera respuesta que escuche un emprendedor social."
            ),
        },
    },
    {
        "slug": "city-model-pathways",
        "title": "Sketch your model pathways",
        "description": (
            "Decide which endgames you plan for (better services, better outcomes, a chronic "
            "problem tackled), which stages to expect and what support the city offers at each."
        ),
        "es": {
            "title": "Esboce sus trayectorias modelo",
            "description": (
                "Decida para qué objetivos finales se prepara (mejores servicios, mejores "
                "resultados, un problema crónico abordado), qué etapas espera y qué apoyo ofrece la "
                "ciudad en cada una."
            ),
        },
    },
    {
        "slug": "city-at-its-best",
        "title": "Picture your city at its best",
        "description": (
            "Use the stories as a shortcut: at each step of them, what would your city have done "
            "at its best?"
        ),
        "es": {
            "title": "Imagine su ciudad en su mejor versión",
            "description": (
                "Use las historias como atajo: en cada uno de sus pasos, ¿qué habría hecho su ciudad "
                "en su mejor versión?"
            ),
        },
    },
    {
        "slug": "city-share-the-learnings",
        "title": "Share what you learn",
        "description": (
            "Spread what you learn about social entrepreneurs across the city's leadership, and "
            "keep apart a social business (a company giving part of its profit to a cause) from a "
            "social entrepreneur (an organization set up to solve a social problem)."
        ),
        "es": {
            "title": "Comparta lo aprendido",
            "description": (
                "Difunda lo que aprenda sobre los emprendedores sociales entre los responsables de "
                "la ciudad, y distinga un negocio social (una empresa que dona parte de sus "
                "beneficios a una causa) de un emprendedor social (una organización creada para "
                "resolver un problema social)."
            ),
        },
    },
    {
        "slug": "city-convene-and-publish",
        "signal": "statement_published",
        "title": "Convene social entrepreneurs and publish a statement",
        "description": (
            "Write with local social entrepreneurs how the city means to work with them: your "
            "definition of social entrepreneurship, why you build relationships, and practical "
            "guidance any official can follow. Then make it public."
        ),
        "es": {
            "title": "Convoque a los emprendedores sociales y publique una declaración",
            "description": (
                "Escriba con los emprendedores sociales locales cómo quiere trabajar la ciudad con "
                "ellos: su definición de emprendimiento social, por qué construye relaciones y "
                "pautas prácticas que cualquier funcionario pueda seguir. Después hágala pública."
            ),
        },
    },
]

ENTREPRENEUR_STEPS = [
    {
        "slug": "se-what-have-you-learned",
        "title": "Take stock of what you learned",
        "description": (
            "What do you take away from the practices and the stories, and how could they move "
            "your mission forward?"
        ),
        "es": {
            "title": "Haga balance de lo aprendido",
            "description": (
                "¿Qué se lleva de las prácticas y las historias, y cómo podrían hacer avanzar su "
                "misión?"
            ),
        },
    },
    {
        "slug": "se-develop-your-offer",
        "title": "Write your offer",
        "description": (
            "Prepare your opening message to city officials: that you are a social entrepreneur "
            "and not a supplier, the value you bring without promising too much, and an invitation "
            "to build a relationship."
        ),
        "es": {
            "title": "Redacte su propuesta",
            "description": (
                "Prepare su mensaje de presentación para el personal municipal: que es un "
                "emprendedor social y no un proveedor, el valor que aporta sin prometer de más, y "
                "una invitación a construir una relación."
            ),
        },
    },
    {
        "slug": "se-reframe-perceptions",
        "title": "Rethink how you see government",
        "description": (
            "Check whether you treat the city only as a buyer or a funder, and find words that "
            "credit its own resources, experience and journeys of change."
        ),
        "es": {
            "title": "Replantee cómo ve al gobierno",
            "description": (
                "Compruebe si trata a la ciudad solo como compradora o financiadora, y busque "
                "palabras que reconozcan sus propios recursos, su experiencia y sus procesos de "
                "cambio."
            ),
        },
    },
    {
        "slug": "se-open-about-money",
        "signal": "need_stated",
        "title": "Be open about money",
        "description": (
            "Once a partnership is on the table, say plainly what you need to sustain your role. "
            "Power and resources are unequal: being upfront is what makes the partnership last."
        ),
        "es": {
            "title": "Hable con franqueza del dinero",
            "description": (
                "Cuando haya una alianza sobre la mesa, diga claramente qué necesita para sostener "
                "su papel. El poder y los recursos son desiguales: la franqueza es lo que hace que "
                "la alianza dure."
            ),
        },
    },
    {
        "slug": "se-invite-beneficiaries",
        "signal": "beneficiary_invited",
        "title": "Bring the people you serve along",
        "description": (
            "Make the people you serve part of your conversations with officials. Nothing keeps a "
            "conversation on real outcomes better."
        ),
        "es": {
            "title": "Haga partícipes a las personas a las que sirve",
            "description": (
                "Incluya a las personas a las que sirve en sus conversaciones con el personal "
                "municipal. Nada mantiene mejor una conversación centrada en resultados reales."
            ),
        },
    },
    {
        "slug": "se-lobby-together",
        "title": "Speak with one voice",
        "description": (
            "Join other social entrepreneurs of your community, in a local chapter of a national "
            "network or a group of your own, for mutual support and a common voice with the city."
        ),
        "es": {
            "title": "Hablen con una sola voz",
            "description": (
                "Únase a otros emprendedores sociales de su comunidad, en una sección local de una "
                "red nacional o en un grupo propio, para apoyarse y tener una voz común ante la "
                "ciudad."
            ),
        },
    },
    {
        "slug": "se-it-takes-time",
        "title": "Give trust time",
        "description": (
            "However proven your work, personal trust with officials takes years. Meanwhile, build "
            "relationships with community leaders the city already trusts."
        ),
        "es": {
            "title": "Dé tiempo a la confianza",
            "description": (
                "Por probado que esté su trabajo, la confianza personal con el personal municipal "
                "tarda años. Mientras tanto, construya relaciones con líderes de la comunidad en "
                "quienes la ciudad ya confía."
            ),
        },
    },
]

STORIES = [
    {
        "slug": "waste-pickers-peru",
        "place": "Peru",
        "title": "Waste pickers and a national recycling law",
        "practices": [
            "beneficiaries-as-changemakers",
            "build-bridges",
            "use-all-tools",
            "the-long-view",
        ],
        "pathways": ["tackle-a-chronic-problem"],
        "summary": (
            "An engineer set out to fix a town's waste collection and ended up, with the waste "
            "pickers themselves, changing how a whole country treats their work."
        ),
        "body": (
            "It began as a practical problem: rubbish that a municipality did not collect well. "
            "The social entrepreneur behind it approached it like the engineer she was, but soon "
            "saw that the people doing the work, informal waste pickers, were treated without "
            "dignity.\n\n"
            "Rather than accuse anyone, she built bridges: first with the municipality, then the "
            "national government, later business leaders. Over years she helped waste pickers "
            "move out of informality into sustainable businesses, with training and organizational "
            "support so they could negotiate on their own behalf.\n\n"
            "When local adoption needed firmer ground, the partners used a tool few expect: a "
            "national law recognising recyclers' work, which municipalities could then put into "
            "practice. Having worked in local government before helped her earn the first trust."
        ),
        "es": {
            "place": "Perú",
            "title": "Recicladores y una ley nacional de reciclaje",
            "summary": (
                "Una ingeniera quiso arreglar la recogida de residuos de una ciudad y acabó, junto a "
                "los propios recicladores, cambiando cómo todo un país valora su trabajo."
            ),
            "body": (
                "Empezó como un problema práctico: una basura que el municipio no recogía bien. La "
                "emprendedora social lo abordó como la ingeniera que era, pero pronto vio que "
                "quienes hacían el trabajo, recicladores informales, eran tratados sin dignidad.\n\n"
                "En lugar de acusar a nadie, tendió puentes: primero con el municipio, después con "
                "el gobierno nacional y más tarde con líderes empresariales. Durante años ayudó a "
                "los recicladores a salir de la informalidad y crear negocios sostenibles, con "
                "formación y apoyo organizativo para que pudieran negociar por sí mismos.\n\n"
                "Cuando la adopción local necesitó una base más firme, los socios usaron una "
                "herramienta inesperada: una ley nacional que reconoce el trabajo de los "
                "recicladores y que los municipios pudieron aplicar. Haber trabajado antes en el "
                "gobierno local le ayudó a ganarse la primera confianza."
            ),
        },
    },
    {
        "slug": "maternal-child-health-mumbai",
        "place": "Mumbai, India",
        "title": "Maternal and child health in Mumbai",
        "practices": ["shared-agency", "build-bridges", "always-a-lab", "the-long-view"],
        "pathways": ["improve-outcomes"],
        "summary": (
            "A paediatrician replaced faulty incubators, then worked with the city for years, "
            "testing what improves the health of mothers and children in informal settlements."
        ),
        "body": (
            "The work started in a public teaching hospital, with incubators that did more harm "
            "than good. The paediatrician who replaced them brought a scientist's habits to "
            "social problems: she tested interventions with controlled trials before asking "
            "anyone to adopt them.\n\n"
            "The partnership between her organization and the city government was a simple "
            "two-way one with a clear division of labour: the organization ran experiments in "
            "the community and kept the evidence, the city brought its health services and its "
            "reach.\n\n"
            "She never blamed the government, in public or in private. That restraint, and years "
            "of working inside the public system, gave her the trust a long partnership needs."
        ),
        "es": {
            "place": "Bombay, India",
            "title": "Salud materno-infantil en Bombay",
            "summary": (
                "Una pediatra sustituyó incubadoras defectuosas y después trabajó con la ciudad "
                "durante años, probando qué mejora la salud de madres e hijos en los asentamientos "
                "informales."
            ),
            "body": (
                "El trabajo empezó en un hospital público universitario, con incubadoras que hacían "
                "más daño que bien. La pediatra que las sustituyó llevó hábitos científicos a los "
                "problemas sociales: probaba las intervenciones con ensayos controlados antes de "
                "pedir a nadie que las adoptara.\n\n"
                "La alianza entre su organización y el gobierno de la ciudad era sencilla, de dos "
                "partes y con un reparto claro de tareas: la organización hacía experimentos en la "
                "comunidad y reunía la evidencia; la ciudad aportaba sus servicios de salud y su "
                "alcance.\n\n"
                "Nunca culpó al gobierno, ni en público ni en privado. Esa contención, y años de "
                "trabajo dentro del sistema público, le dieron la confianza que necesita una "
                "alianza larga."
            ),
        },
    },
    {
        "slug": "ending-homelessness-by-name",
        "place": "United States",
        "title": "Ending homelessness, one name at a time",
        "practices": ["shared-agency", "always-a-lab", "use-all-tools", "honest-expectations"],
        "pathways": ["tackle-a-chronic-problem"],
        "summary": (
            "Communities that know every person without a home by name, and measure every week, "
            "work towards a shared goal of zero."
        ),
        "body": (
            "The social entrepreneur started by running supported housing. Her work then stepped "
            "up, twice, to a new level: a national campaign to house a hundred thousand people, "
            "then a method for whole communities to end homelessness for good.\n\n"
            "At its heart is a list with the name of every person who is homeless, kept accurate "
            "and triaged, so that partners can see each week whether the number goes down. Many "
            "local organizations run the experiments together, and the method asks more of a "
            "community as it progresses, while control stays firmly local.\n\n"
            "Nobody promised to end homelessness in a city overnight. Trust came from decades of "
            "reputation and evidence."
        ),
        "es": {
            "place": "Estados Unidos",
            "title": "Acabar con el sinhogarismo, nombre a nombre",
            "summary": (
                "Comunidades que conocen por su nombre a cada persona sin hogar, y miden cada "
                "semana, trabajan hacia un objetivo común: cero."
            ),
            "body": (
                "La emprendedora social empezó gestionando viviendas con apoyo. Después su trabajo "
                "dio dos saltos: una campaña nacional para alojar a cien mil personas y, más tarde, "
                "un método para que comunidades enteras acaben con el sinhogarismo de forma "
                "duradera.\n\n"
                "En el centro hay una lista con el nombre de cada persona sin hogar, precisa y "
                "priorizada, para que los socios vean cada semana si la cifra baja. Muchas "
                "organizaciones locales llevan a cabo juntas los experimentos, y el método exige "
                "más a la comunidad a medida que avanza, mientras el control sigue siendo local.\n\n"
                "Nadie prometió acabar con el sinhogarismo de una ciudad de la noche a la mañana. La "
                "confianza llegó tras décadas de reputación y de evidencia."
            ),
        },
    },
    {
        "slug": "welcoming-immigrants",
        "place": "Nashville and beyond",
        "title": "Welcoming immigrants",
        "practices": ["shared-agency", "always-a-lab", "honest-expectations", "shared-values"],
        "pathways": ["improve-outcomes"],
        "summary": (
            "Faced with hostility towards newcomers, a social entrepreneur brought neighbours "
            "together, and later helped cities agree on a shared standard for welcoming."
        ),
        "body": (
            "It started as a response to a wave of anti-immigrant feeling in one city. Instead of "
            "a campaign, the social entrepreneur brought long-time residents and newcomers "
            "together, and showed up with humility and a willingness to learn rather than a "
            "promise.\n\n"
            "The city government joined later and, with its mandate and resources, took a central "
            "role in delivery. Councils of dozens of local stakeholders define policies and act as "
            "ambassadors for a change of culture.\n\n"
            "A year of research with experts and stakeholders produced a shared standard of what "
            "welcoming means, and a certification cities can work towards. Where the government's "
            "trust was not there yet, relationships with community leaders it already trusted "
            "opened the door."
        ),
        "es": {
            "place": "Nashville y otras ciudades",
            "title": "Dar la bienvenida a las personas inmigrantes",
            "summary": (
                "Ante la hostilidad hacia los recién llegados, un emprendedor social reunió a los "
                "vecinos y después ayudó a las ciudades a acordar un estándar común de acogida."
            ),
            "body": (
                "Empezó como respuesta a una ola de rechazo a los inmigrantes en una ciudad. En "
                "lugar de una campaña, el emprendedor social reunió a vecinos de siempre y recién "
                "llegados, y se presentó con humildad y ganas de aprender, no con una promesa.\n\n"
                "El gobierno municipal se sumó después y, con su mandato y sus recursos, asumió un "
                "papel central en la ejecución. Consejos de decenas de actores locales definen "
                "políticas y actúan como embajadores de un cambio de cultura.\n\n"
                "Un año de investigación con expertos y actores locales dio lugar a un estándar "
                "común de lo que significa acoger, y a una certificación a la que las ciudades "
                "pueden aspirar. Donde aún faltaba la confianza del gobierno, las relaciones con "
                "líderes comunitarios en quienes ya confiaba abrieron la puerta."
            ),
        },
    },
    {
        "slug": "community-meals-uk",
        "place": "Sefton and Wigan, United Kingdom",
        "title": "Community meals in UK councils",
        "practices": [
            "beneficiaries-as-changemakers",
            "build-bridges",
            "use-all-tools",
            "shared-values",
        ],
        "pathways": ["improve-services"],
        "summary": (
            "Councils that kept asking residents what they needed found that a community meal is "
            "as much about company as it is about food."
        ),
        "body": (
            "A council set out to provide meals and kept going back to residents to ask what they "
            "really needed. The answer changed the service: the meals mattered as much for the "
            "social contact they brought as for the food.\n\n"
            "These councils ask the voluntary sector for help, and their policies tell every "
            "employee to treat residents and organizations as equals. They plan with all "
            "community services, partners and assets in view, an approach known as commissioning, "
            "and one of them sets its goals with residents and those who serve them every week.\n\n"
            "They say openly that they look for partners who are not only capable but share their "
            "values."
        ),
        "es": {
            "place": "Sefton y Wigan, Reino Unido",
            "title": "Comidas comunitarias en ayuntamientos británicos",
            "summary": (
                "Ayuntamientos que no dejaron de preguntar a los vecinos qué necesitaban "
                "descubrieron que una comida comunitaria trata tanto de compañía como de comida."
            ),
            "body": (
                "Un ayuntamiento se propuso servir comidas y volvió una y otra vez a preguntar a los "
                "vecinos qué necesitaban de verdad. La respuesta cambió el servicio: las comidas "
                "importaban tanto por el contacto social como por la comida.\n\n"
                "Estos ayuntamientos piden ayuda al sector voluntario, y sus políticas indican a "
                "cada empleado que trate a vecinos y organizaciones como iguales. Planifican "
                "teniendo en cuenta todos los servicios, socios y recursos de la comunidad, un "
                "enfoque llamado de contratación por resultados, y uno de ellos fija sus objetivos "
                "cada semana con los vecinos y con quienes les atienden.\n\n"
                "Dicen abiertamente que buscan socios que no solo sean capaces, sino que compartan "
                "sus valores."
            ),
        },
    },
    {
        "slug": "families-leading-change",
        "place": "Brownsville, New York",
        "title": "Families leading change in a neighbourhood",
        "practices": ["beneficiaries-as-changemakers", "always-a-lab", "the-long-view"],
        "pathways": ["improve-outcomes"],
        "summary": (
            "In one neighbourhood, families do not just receive services: they lead the "
            "change, with the training to find their way through complex systems."
        ),
        "body": (
            "Few examples give the people served as much power as this one. Families of the "
            "neighbourhood take part in planning and lead the work, and they receive training and "
            "organizational support to navigate the systems that shape their lives.\n\n"
            "New ideas are incubated as bold experiments. The work starts at a slower pace than "
            "elsewhere, on purpose: it is the pace at which trust can be built."
        ),
        "es": {
            "place": "Brownsville, Nueva York",
            "title": "Familias que lideran el cambio en su barrio",
            "summary": (
                "En un barrio, las familias no solo reciben servicios: lideran el cambio, con la "
                "formación necesaria para orientarse en sistemas complejos."
            ),
            "body": (
                "Pocos ejemplos dan tanto poder a las personas atendidas como este. Las familias "
                "del barrio participan en la planificación y lideran el trabajo, y reciben "
                "formación y apoyo organizativo para orientarse en los sistemas que marcan su "
                "vida.\n\n"
                "Las ideas nuevas se incuban como experimentos audaces. El trabajo empieza a un "
                "ritmo más lento que en otros lugares, a propósito: es el ritmo al que se construye "
                "la confianza."
            ),
        },
    },
]

STEP_FIELDS = ("title", "description")
STORY_FIELDS = ("title", "place", "summary", "body")


def load_content(apps, schema_editor):
    Step = apps.get_model("playbook", "GettingStartedStep")
    Story = apps.get_model("playbook", "Story")
    Practice = apps.get_model("playbook", "Practice")
    ModelPathway = apps.get_model("playbook", "ModelPathway")
    for audience, steps in (("city", CITY_STEPS), ("entrepreneur", ENTREPRENEUR_STEPS)):
        for number, item in enumerate(steps, start=1):
            Step.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "audience": audience,
                    "number": number,
                    "signal": item.get("signal", ""),
                    **{name: item[name] for name in STEP_FIELDS},
                    "translations": {"es": {name: item["es"][name] for name in STEP_FIELDS}},
                },
            )
    for order, item in enumerate(STORIES, start=1):
        story, _ = Story.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "order": order,
                **{name: item[name] for name in STORY_FIELDS},
                "translations": {"es": {name: item["es"][name] for name in STORY_FIELDS}},
            },
        )
        story.practices.set(Practice.objects.filter(slug__in=item["practices"]))
        story.pathways.set(ModelPathway.objects.filter(slug__in=item["pathways"]))


def unload_content(apps, schema_editor):
    apps.get_model("playbook", "GettingStartedStep").objects.all().delete()
    apps.get_model("playbook", "Story").objects.filter(
        slug__in=[s["slug"] for s in STORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("playbook", "0005_steps_and_stories"),
    ]

    operations = [
        migrations.RunPython(load_content, unload_content),
    ]
