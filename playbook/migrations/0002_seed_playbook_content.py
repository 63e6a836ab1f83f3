"""Load the playbook content: the eight practices and the three model pathways.

The content lives in this module on purpose: a migration must keep producing
the same rows even after the app's code moves on. Running it again updates the
rows in place (matched by slug), so a fixed typo can ship as a new migration
that reuses the same loader pattern.
"""

from django.db import migrations

PRACTICES = [
    {
        "number": 1,
        "slug": "beneficiaries-as-changemakers",
        "name": "Beneficiaries as Changemakers",
        "short_description": (
            "The people a partnership serves are experts in their own lives, so they help lead "
            "the work instead of only receiving it. They take part in planning, in shaping "
            "solutions and in judging whether things are getting better. Real power goes together "
            "with training and support, so they can plan, negotiate and read evidence as equals."
        ),
        "guiding_questions": [
            "Who among the people we serve has a real say in our decisions, and where do they have none?",
            "Do residents help plan and review results, or are they only asked once things are decided?",
            "What training or support would help them negotiate and read our evidence as equals?",
            "What have we changed because of what the people we serve told us?",
        ],
        "es": {
            "name": "Beneficiarios como agentes de cambio",
            "short_description": (
                "Las personas a las que sirve una alianza son expertas en su propia vida, por eso "
                "ayudan a liderar el trabajo en lugar de solo recibirlo. Participan en la "
                "planificación, en el diseño de las soluciones y en valorar si las cosas mejoran. "
                "El poder real va de la mano de formación y apoyo, para que puedan planificar, "
                "negociar y leer la evidencia como iguales."
            ),
            "guiding_questions": [
                "¿Quiénes de las personas a las que servimos tienen voz real en nuestras decisiones, y dónde no la tienen?",
                "¿Los vecinos ayudan a planificar y a revisar resultados, o solo se les pregunta cuando todo está decidido?",
                "¿Qué formación o apoyo les ayudaría a negociar y a leer nuestra evidencia como iguales?",
                "¿Qué hemos cambiado gracias a lo que nos dijeron las personas a las que servimos?",
            ],
        },
    },
    {
        "number": 2,
        "slug": "shared-agency",
        "name": "Shared Agency",
        "short_description": (
            "Partners work as equals around a common goal, not as a buyer and a supplier. Each "
            "has a clear job: the city brings its democratic mandate, its services and its reach; "
            "social entrepreneurs often bring research, community organising, experiments, "
            "training and the agility to respond fast. Together they keep exploring what works and "
            "come back to the shared goal at a steady rhythm."
        ),
        "guiding_questions": [
            "Can every partner state our shared goal in the same words?",
            "Is it clear who does what, and does the division of labour play to each partner's strengths?",
            "Do we meet often enough to work towards the goal together, not just to report to each other?",
            "Who keeps the mission going when one partner falls behind?",
        ],
        "es": {
            "name": "Agencia compartida",
            "short_description": (
                "Los socios trabajan como iguales en torno a un objetivo común, no como comprador "
                "y proveedor. Cada uno tiene una tarea clara: la ciudad aporta su mandato "
                "democrático, sus servicios y su alcance; los emprendedores sociales suelen aportar "
                "investigación, organización comunitaria, experimentos, formación y la agilidad para "
                "reaccionar rápido. Juntos siguen explorando qué funciona y vuelven al objetivo "
                "común a un ritmo constante."
            ),
            "guiding_questions": [
                "¿Puede cada socio expresar nuestro objetivo común con las mismas palabras?",
                "¿Está claro quién hace qué, y el reparto de tareas aprovecha los puntos fuertes de cada socio?",
                "¿Nos reunimos con la frecuencia suficiente para avanzar juntos, y no solo para informarnos?",
                "¿Quién mantiene viva la misión cuando uno de los socios se queda atrás?",
            ],
        },
    },
    {
        "number": 3,
        "slug": "build-bridges",
        "name": "Build Bridges",
        "short_description": (
            "Strong partnerships resist the urge to hand out blame or to force a quick win through "
            "public pressure. They invest in trust, keep inviting new partners in, from other "
            "levels of government to local businesses, and treat each other as creative, long-term "
            "allies. The city is more than a customer, and the entrepreneur is more than a "
            "contractor."
        ),
        "guiding_questions": [
            "When something goes wrong, do we look for a fix together or for someone to blame?",
            "Who is missing from the table, and whom could we invite in next?",
            "Does the city treat the entrepreneur as a partner with a mission, or as a supplier?",
            "Does the entrepreneur see the city as a creative partner, or only as a buyer of services?",
        ],
        "es": {
            "name": "Tender puentes",
            "short_description": (
                "Las alianzas sólidas resisten la tentación de repartir culpas o de forzar un logro "
                "rápido con presión pública. Invierten en confianza, siguen sumando socios, desde "
                "otros niveles de gobierno hasta empresas locales, y se tratan como aliados "
                "creativos a largo plazo. La ciudad es más que un cliente y el emprendedor es más "
                "que un contratista."
            ),
            "guiding_questions": [
                "Cuando algo sale mal, ¿buscamos juntos una solución o a alguien a quien culpar?",
                "¿Quién falta en la mesa y a quién podríamos invitar a continuación?",
                "¿La ciudad trata al emprendedor como un socio con una misión o como un proveedor?",
                "¿El emprendedor ve a la ciudad como un socio creativo o solo como un comprador de servicios?",
            ],
        },
    },
    {
        "number": 4,
        "slug": "always-a-lab",
        "name": "Always a Lab",
        "short_description": (
            "No partner is wedded to one solution. The partnership experiments all the time, "
            "gathers and shares data (from the city, from the community, or pooled together) and "
            "checks whether each intervention does what it set out to do. The pace can differ: "
            "some work is measured week by week, other work moves slowly on purpose to build trust."
        ),
        "guiding_questions": [
            "Which of our assumptions are we testing right now, and how will we know the answer?",
            "Do all partners see the same data, and is it complete enough to act on?",
            "When did we last stop or change something because the evidence told us to?",
            "Is our pace right for this work: fast enough to learn, slow enough to build trust?",
        ],
        "es": {
            "name": "Siempre un laboratorio",
            "short_description": (
                "Ningún socio se aferra a una única solución. La alianza experimenta todo el "
                "tiempo, recoge y comparte datos (de la ciudad, de la comunidad o puestos en común) "
                "y comprueba si cada intervención logra lo que se propuso. El ritmo puede variar: "
                "parte del trabajo se mide semana a semana y otra parte avanza despacio a propósito, "
                "para construir confianza."
            ),
            "guiding_questions": [
                "¿Qué supuestos estamos poniendo a prueba ahora mismo y cómo sabremos la respuesta?",
                "¿Ven todos los socios los mismos datos, y son lo bastante completos para actuar?",
                "¿Cuándo fue la última vez que paramos o cambiamos algo porque la evidencia lo indicaba?",
                "¿Es adecuado nuestro ritmo: lo bastante rápido para aprender y lo bastante lento para generar confianza?",
            ],
        },
    },
    {
        "number": 5,
        "slug": "use-all-tools",
        "name": "Use All Tools",
        "short_description": (
            "Scaling is not only one solution being adopted more widely. Partnerships draw on "
            "every lever within reach (experiments, standards, regular check-ins, laws and "
            "policies, campaigns, and all the services and assets of a community) and pick the "
            "right moment for each. Impact often steps up a level when the partners take up a new "
            "tool."
        ),
        "guiding_questions": [
            "Which tools are we using today, and which levers of the city or the community have we left untouched?",
            "Could a standard, a policy or a change in how services are commissioned do more than another pilot?",
            "Are we still treating one product as the solution when the outcome is what matters?",
            "Is now the right moment to step up to a new tool?",
        ],
        "es": {
            "name": "Usar todas las herramientas",
            "short_description": (
                "Escalar no es solo que una solución se adopte más ampliamente. Las alianzas "
                "recurren a todas las palancas a su alcance (experimentos, estándares, reuniones "
                "de seguimiento periódicas, leyes y políticas, campañas y todos los servicios y "
                "recursos de una comunidad) y eligen el momento adecuado para cada una. El impacto "
                "suele dar un salto cuando los socios adoptan una herramienta nueva."
            ),
            "guiding_questions": [
                "¿Qué herramientas usamos hoy y qué palancas de la ciudad o de la comunidad no hemos tocado?",
                "¿Podría un estándar, una política o un cambio en cómo se contratan los servicios lograr más que otro piloto?",
                "¿Seguimos tratando un producto como la solución cuando lo que importa es el resultado?",
                "¿Es este el momento de dar el salto a una herramienta nueva?",
            ],
        },
    },
    {
        "number": 6,
        "slug": "the-long-view",
        "name": "The Long View",
        "short_description": (
            "Social change is slow: too timid and it changes nothing, too bold and it cannot be "
            "done. Partners accept the real pace of change, let a picture of the endgame grow out "
            "of their daily work, and talk openly about how each of them can sustain their role "
            "over the years. Trust is built day by day and planned for as a shared investment."
        ),
        "guiding_questions": [
            "Have we agreed on a realistic timescale for the change we want?",
            "How will each partner, the social entrepreneur in particular, sustain its role for that long?",
            "What do we do every week or month that builds trust between us?",
            "Is our picture of the endgame growing out of what we learn in practice?",
        ],
        "es": {
            "name": "Mirada a largo plazo",
            "short_description": (
                "El cambio social es lento: si es demasiado tímido no cambia nada, y si es "
                "demasiado ambicioso no se puede lograr. Los socios aceptan el ritmo real del "
                "cambio, dejan que la visión del objetivo final surja del trabajo diario y hablan "
                "abiertamente de cómo cada uno puede sostener su papel durante años. La confianza "
                "se construye día a día y se planifica como una inversión compartida."
            ),
            "guiding_questions": [
                "¿Hemos acordado un plazo realista para el cambio que queremos?",
                "¿Cómo sostendrá cada socio, en especial el emprendedor social, su papel durante tanto tiempo?",
                "¿Qué hacemos cada semana o cada mes que genere confianza entre nosotros?",
                "¿Nuestra visión del objetivo final surge de lo que aprendemos en la práctica?",
            ],
        },
    },
    {
        "number": 7,
        "slug": "honest-expectations",
        "name": "Honest Expectations",
        "short_description": (
            "False expectations are the most common reason partnerships between cities and social "
            "entrepreneurs fail. Instead of a pitch that promises success and waits for a yes or "
            "no, partners arrive with humility and a will to do and learn, knowing they are at the "
            "start of a journey that may take ten years or more. They are open about the unequal "
            "resources on each side and make the partnership's survival everyone's concern."
        ),
        "guiding_questions": [
            "Has anyone promised more than this partnership can deliver, and have we said so openly?",
            "Do we treat our meetings as a shared journey, or as a pitch waiting for a yes or no?",
            "Are we honest about the money, time and people each partner can really commit?",
            "Whose concern is it if one partner can no longer sustain its part?",
        ],
        "es": {
            "name": "Expectativas honestas",
            "short_description": (
                "Las falsas expectativas son la razón más común por la que fracasan las alianzas "
                "entre ciudades y emprendedores sociales. En lugar de una presentación que promete "
                "el éxito y espera un sí o un no, los socios llegan con humildad y ganas de hacer y "
                "aprender, sabiendo que están al comienzo de un camino que puede durar diez años o "
                "más. Hablan con franqueza de los recursos desiguales de cada parte y hacen de la "
                "continuidad de la alianza una preocupación de todos."
            ),
            "guiding_questions": [
                "¿Alguien ha prometido más de lo que esta alianza puede cumplir, y lo hemos dicho abiertamente?",
                "¿Vivimos nuestras reuniones como un camino compartido o como una presentación que espera un sí o un no?",
                "¿Somos honestos sobre el dinero, el tiempo y las personas que cada socio puede comprometer de verdad?",
                "¿De quién es la preocupación si un socio ya no puede sostener su parte?",
            ],
        },
    },
    {
        "number": 8,
        "slug": "shared-values",
        "name": "Shared Values",
        "short_description": (
            "Partners choose each other not only because they are capable but because they share "
            "values: listening, building trust, solving problems together, respecting evidence and "
            "staying for the long haul. Above all they share a focus on outcomes and on the needs "
            "of the people served. Good partnerships turn these values into something concrete, "
            "such as a standard, a law or a reporting routine that everyone keeps."
        ),
        "guiding_questions": [
            "Which values do we share, and have we written them down together?",
            "Is the focus on outcomes for the people we serve visible in how we decide?",
            "What routine, rule or standard turns our values into practice rather than words?",
            "Would the people we serve recognise our values in how we work with them?",
        ],
        "es": {
            "name": "Valores compartidos",
            "short_description": (
                "Los socios se eligen no solo porque son capaces, sino porque comparten valores: "
                "escuchar, generar confianza, resolver problemas juntos, respetar la evidencia y "
                "comprometerse a largo plazo. Sobre todo comparten el foco en los resultados y en "
                "las necesidades de las personas a las que sirven. Las buenas alianzas convierten "
                "estos valores en algo concreto, como un estándar, una ley o una rutina de "
                "informes que todos cumplen."
            ),
            "guiding_questions": [
                "¿Qué valores compartimos y los hemos puesto por escrito juntos?",
                "¿Se nota en cómo decidimos el foco en los resultados para las personas a las que servimos?",
                "¿Qué rutina, norma o estándar convierte nuestros valores en práctica y no en palabras?",
                "¿Reconocerían nuestros valores las personas a las que servimos en nuestra forma de trabajar con ellas?",
            ],
        },
    },
]

PATHWAYS = [
    {
        "order": 1,
        "slug": "improve-services",
        "endgame": "improve_services",
        "name": "Improve services",
        "description": (
            "For a partnership that sets out to make one public service work better for the people "
            "who use it: how waste is collected, how a hospital cares for newborns, how residents "
            "get help. It starts from a concrete fault, learns from the people affected, pilots "
            "changes with the city's own teams and ends when the better way is simply how the "
            "service runs."
        ),
        "es": {
            "name": "Mejorar servicios",
            "description": (
                "Para una alianza que se propone que un servicio público funcione mejor para quienes "
                "lo usan: cómo se recogen los residuos, cómo un hospital atiende a los recién "
                "nacidos, cómo reciben ayuda los vecinos. Parte de un fallo concreto, aprende de las "
                "personas afectadas, prueba cambios con los equipos de la propia ciudad y termina "
                "cuando la mejor manera es, sin más, como funciona el servicio."
            ),
        },
        "stages": [
            {
                "slug": "name-the-problem",
                "name": "Name the problem",
                "what_to_expect": (
                    "The partners agree on one specific service problem and describe it in plain "
                    "words, with the facts they have. The first idea for a fix is written down as "
                    "an assumption to test, not a promise."
                ),
                "city_support": (
                    "A named point of contact, access to the managers and front-line staff of the "
                    "service, and the data the city already holds about it."
                ),
                "es": {
                    "name": "Nombrar el problema",
                    "what_to_expect": (
                        "Los socios acuerdan un problema concreto del servicio y lo describen con "
                        "palabras sencillas y los datos que tienen. La primera idea de solución se "
                        "anota como un supuesto que hay que comprobar, no como una promesa."
                    ),
                    "city_support": (
                        "Una persona de contacto designada, acceso a los responsables y al personal "
                        "de primera línea del servicio, y los datos que la ciudad ya tiene sobre él."
                    ),
                },
            },
            {
                "slug": "listen-to-users",
                "name": "Listen to the people who use it",
                "what_to_expect": (
                    "Partners go back to residents and front-line workers to learn what they "
                    "really need and why the service falls short. The problem is often reframed "
                    "here: what looked like a technical fault turns out to be about behaviour, "
                    "trust or dignity."
                ),
                "city_support": (
                    "Introductions to service users and staff, paid time for staff to take part, "
                    "and a readiness to hear criticism without defending the way things are."
                ),
                "es": {
                    "name": "Escuchar a quienes lo usan",
                    "what_to_expect": (
                        "Los socios vuelven a los vecinos y al personal de primera línea para saber "
                        "qué necesitan de verdad y por qué el servicio se queda corto. Aquí el "
                        "problema suele replantearse: lo que parecía un fallo técnico resulta ser "
                        "una cuestión de comportamiento, de confianza o de dignidad."
                    ),
                    "city_support": (
                        "Presentaciones a usuarios y personal del servicio, tiempo de trabajo para "
                        "que el personal participe y disposición a escuchar críticas sin defender "
                        "cómo se hacen las cosas."
                    ),
                },
            },
            {
                "slug": "pilot-a-better-way",
                "name": "Pilot a better way",
                "what_to_expect": (
                    "A small pilot with an end date tests a change in one district or with one "
                    "team. Before it starts, everyone knows what will be measured and what would "
                    "count as success."
                ),
                "city_support": (
                    "Permission to work differently within the existing rules, a site or team to "
                    "host the pilot, and quick answers when an obstacle comes up."
                ),
                "es": {
                    "name": "Probar una manera mejor",
                    "what_to_expect": (
                        "Un piloto pequeño y con fecha de fin prueba un cambio en un barrio o con un "
                        "equipo. Antes de empezar, todos saben qué se va a medir y qué se "
                        "consideraría un éxito."
                    ),
                    "city_support": (
                        "Permiso para trabajar de otra manera dentro de las normas vigentes, un "
                        "lugar o equipo que acoja el piloto y respuestas rápidas cuando surge un "
                        "obstáculo."
                    ),
                },
            },
            {
                "slug": "measure-the-difference",
                "name": "Measure the difference",
                "what_to_expect": (
                    "The partners compare results with the starting point and with what users say. "
                    "Some changes are dropped or reworked; that is part of the job, not a failure."
                ),
                "city_support": (
                    "Help collecting and sharing service data, and an honest review with the people "
                    "responsible for the service."
                ),
                "es": {
                    "name": "Medir la diferencia",
                    "what_to_expect": (
                        "Los socios comparan los resultados con el punto de partida y con lo que "
                        "dicen los usuarios. Algunos cambios se descartan o se rehacen; eso forma "
                        "parte del trabajo, no es un fracaso."
                    ),
                    "city_support": (
                        "Ayuda para recoger y compartir los datos del servicio y una revisión "
                        "honesta con las personas responsables del mismo."
                    ),
                },
            },
            {
                "slug": "make-it-standard",
                "name": "Make it standard practice",
                "what_to_expect": (
                    "What worked becomes part of how the service runs: in procedures, contracts, "
                    "budgets and training. The partnership keeps watching quality as the change "
                    "reaches the whole city."
                ),
                "city_support": (
                    "Updated procedures and procurement, a budget line for the improved service, "
                    "and training for the staff who will run it."
                ),
                "es": {
                    "name": "Convertirlo en práctica habitual",
                    "what_to_expect": (
                        "Lo que funcionó pasa a formar parte de cómo opera el servicio: en los "
                        "procedimientos, los contratos, los presupuestos y la formación. La alianza "
                        "sigue vigilando la calidad a medida que el cambio llega a toda la ciudad."
                    ),
                    "city_support": (
                        "Procedimientos y compras públicas actualizados, una partida presupuestaria "
                        "para el servicio mejorado y formación para el personal que lo llevará."
                    ),
                },
            },
        ],
    },
    {
        "order": 2,
        "slug": "improve-outcomes",
        "endgame": "improve_outcomes",
        "name": "Improve outcomes",
        "description": (
            "For a partnership that aims at a better result in people's lives, such as health, "
            "less loneliness or a good start in life, rather than at one service. Partners agree "
            "on the outcome, learn with residents what stands in the way, test several "
            "interventions, and end by planning the services and assets of the whole community "
            "around that outcome."
        ),
        "es": {
            "name": "Mejorar resultados",
            "description": (
                "Para una alianza que busca un resultado mejor en la vida de las personas, como la "
                "salud, menos soledad o un buen comienzo en la vida, más que un servicio concreto. "
                "Los socios acuerdan el resultado, aprenden con los vecinos qué se interpone, "
                "prueban varias intervenciones y terminan planificando los servicios y recursos de "
                "toda la comunidad en torno a ese resultado."
            ),
        },
        "stages": [
            {
                "slug": "agree-the-outcome",
                "name": "Agree on the outcome",
                "what_to_expect": (
                    "Partners choose the change in people's lives they want to see and how they "
                    "will know it is happening. They start with one group or neighbourhood rather "
                    "than the whole city."
                ),
                "city_support": (
                    "A clear mandate from city leadership, the data the city has on the outcome, "
                    "and a point of contact who can bring the right departments together."
                ),
                "es": {
                    "name": "Acordar el resultado",
                    "what_to_expect": (
                        "Los socios eligen el cambio que quieren ver en la vida de las personas y "
                        "cómo sabrán que está ocurriendo. Empiezan con un grupo o un barrio, no con "
                        "toda la ciudad."
                    ),
                    "city_support": (
                        "Un mandato claro de la dirección municipal, los datos que la ciudad tiene "
                        "sobre ese resultado y una persona de contacto capaz de reunir a los "
                        "departamentos adecuados."
                    ),
                },
            },
            {
                "slug": "reframe-with-residents",
                "name": "Reframe the need with residents",
                "what_to_expect": (
                    "Residents help describe what really stands between them and the outcome. The "
                    "need is often wider than it first looked: a meals service can turn out to be "
                    "as much about company as about food."
                ),
                "city_support": (
                    "Places and time to meet residents, practical help so they can take part "
                    "(travel, childcare, interpreting), and openness to a new framing."
                ),
                "es": {
                    "name": "Replantear la necesidad con los vecinos",
                    "what_to_expect": (
                        "Los vecinos ayudan a describir qué se interpone de verdad entre ellos y el "
                        "resultado. La necesidad suele ser más amplia de lo que parecía: un servicio "
                        "de comidas puede tratarse tanto de compañía como de alimentación."
                    ),
                    "city_support": (
                        "Lugares y tiempo para reunirse con los vecinos, ayuda práctica para que "
                        "puedan participar (transporte, cuidado de niños, interpretación) y apertura "
                        "a un nuevo planteamiento."
                    ),
                },
            },
            {
                "slug": "test-interventions",
                "name": "Test interventions",
                "what_to_expect": (
                    "Several ideas are tried side by side, some led by the social entrepreneur in "
                    "the community and some by city services. Each has a hypothesis and a date to "
                    "decide whether to keep, change or stop it."
                ),
                "city_support": (
                    "Flexibility in how services are delivered during the tests, shared data, and "
                    "staff who join the regular reviews."
                ),
                "es": {
                    "name": "Probar intervenciones",
                    "what_to_expect": (
                        "Se prueban varias ideas a la vez, algunas lideradas por el emprendedor "
                        "social en la comunidad y otras por los servicios municipales. Cada una "
                        "tiene una hipótesis y una fecha para decidir si se mantiene, se cambia o "
                        "se detiene."
                    ),
                    "city_support": (
                        "Flexibilidad en la forma de prestar los servicios durante las pruebas, "
                        "datos compartidos y personal que participe en las revisiones periódicas."
                    ),
                },
            },
            {
                "slug": "build-the-evidence",
                "name": "Build the evidence",
                "what_to_expect": (
                    "The partnership gathers solid evidence on what moves the outcome, with methods "
                    "as rigorous as the question needs, up to controlled trials. Residents help "
                    "read and explain the results."
                ),
                "city_support": (
                    "Access to the city's records, help from its analysts or a university partner, "
                    "and agreement to publish the results."
                ),
                "es": {
                    "name": "Reunir la evidencia",
                    "what_to_expect": (
                        "La alianza reúne evidencia sólida sobre qué mejora el resultado, con "
                        "métodos tan rigurosos como exija la pregunta, hasta ensayos controlados. "
                        "Los vecinos ayudan a leer y explicar los resultados."
                    ),
                    "city_support": (
                        "Acceso a los registros municipales, ayuda de sus analistas o de una "
                        "universidad asociada y el compromiso de publicar los resultados."
                    ),
                },
            },
            {
                "slug": "commission-for-outcomes",
                "name": "Commission for outcomes",
                "what_to_expect": (
                    "The city plans and funds services around the outcome, bringing in community "
                    "groups, partners and local assets instead of buying a single product. The "
                    "social entrepreneur's place in that system is agreed for the long term."
                ),
                "city_support": (
                    "Commissioning based on outcomes, agreements that run for several years, and a "
                    "permanent seat for partners and residents in planning."
                ),
                "es": {
                    "name": "Contratar por resultados",
                    "what_to_expect": (
                        "La ciudad planifica y financia los servicios en torno al resultado, sumando "
                        "a grupos comunitarios, socios y recursos locales en lugar de comprar un "
                        "único producto. El papel del emprendedor social en ese sistema se acuerda "
                        "a largo plazo."
                    ),
                    "city_support": (
                        "Contratación basada en resultados, acuerdos de varios años y un lugar "
                        "permanente para socios y vecinos en la planificación."
                    ),
                },
            },
        ],
    },
    {
        "order": 3,
        "slug": "tackle-a-chronic-problem",
        "endgame": "chronic_problem",
        "name": "Tackle a chronic problem",
        "description": (
            "For a long-standing problem that no single service can solve, such as homelessness, "
            "hostility towards newcomers or work in the informal economy without rights. Partners "
            "begin with one concrete piece of it, grow a shared and daring goal, work as a lab "
            "with frequent data, and change rules and habits so the progress lasts."
        ),
        "es": {
            "name": "Abordar un problema crónico",
            "description": (
                "Para un problema arraigado que ningún servicio por sí solo puede resolver, como el "
                "sinhogarismo, la hostilidad hacia los recién llegados o el trabajo informal sin "
                "derechos. Los socios empiezan por una parte concreta, hacen crecer un objetivo "
                "común y audaz, trabajan como un laboratorio con datos frecuentes y cambian normas "
                "y costumbres para que el avance perdure."
            ),
        },
        "stages": [
            {
                "slug": "start-with-one-problem",
                "name": "Start with one concrete problem",
                "what_to_expect": (
                    "Rather than setting out to change a whole system, partners take on one "
                    "specific, visible piece of the problem. The early work builds relationships "
                    "as much as results."
                ),
                "city_support": (
                    "A point of contact, an open door to the departments involved, and a public "
                    "sign that the city is taking part."
                ),
                "es": {
                    "name": "Empezar por un problema concreto",
                    "what_to_expect": (
                        "En lugar de proponerse cambiar todo un sistema, los socios abordan una "
                        "parte concreta y visible del problema. El trabajo inicial construye "
                        "relaciones tanto como resultados."
                    ),
                    "city_support": (
                        "Una persona de contacto, puertas abiertas en los departamentos implicados y "
                        "una señal pública de que la ciudad participa."
                    ),
                },
            },
            {
                "slug": "find-root-causes",
                "name": "Find the root causes together",
                "what_to_expect": (
                    "Partners listen to the people most affected and to those who work with them, "
                    "to understand the root causes and the habits of people and institutions that "
                    "keep the problem in place. The problem gets reframed, sometimes more than once."
                ),
                "city_support": (
                    "Candid information on how the city's own systems feed the problem, and staff "
                    "who join in the listening."
                ),
                "es": {
                    "name": "Buscar juntos las causas de fondo",
                    "what_to_expect": (
                        "Los socios escuchan a las personas más afectadas y a quienes trabajan con "
                        "ellas, para entender las causas de fondo y los hábitos de personas e "
                        "instituciones que mantienen el problema. El problema se replantea, a veces "
                        "más de una vez."
                    ),
                    "city_support": (
                        "Información franca sobre cómo los propios sistemas de la ciudad alimentan "
                        "el problema y personal que participe en la escucha."
                    ),
                },
            },
            {
                "slug": "set-a-shared-goal",
                "name": "Set a shared, daring goal",
                "what_to_expect": (
                    "Out of the early work grows a goal everyone can name, such as ending "
                    "homelessness or becoming a welcoming place for newcomers. Partners agree how "
                    "progress will be counted and who does what."
                ),
                "city_support": (
                    "Political backing for the goal, a place for the city in a coalition of many "
                    "stakeholders, and a commitment that outlasts one election."
                ),
                "es": {
                    "name": "Fijar un objetivo común y audaz",
                    "what_to_expect": (
                        "Del trabajo inicial surge un objetivo que todos pueden nombrar, como acabar "
                        "con el sinhogarismo o ser un lugar acogedor para los recién llegados. Los "
                        "socios acuerdan cómo se contará el avance y quién hace qué."
                    ),
                    "city_support": (
                        "Respaldo político al objetivo, un lugar para la ciudad en una coalición de "
                        "muchos actores y un compromiso que vaya más allá de unas elecciones."
                    ),
                },
            },
            {
                "slug": "work-as-a-lab",
                "name": "Work as a lab",
                "what_to_expect": (
                    "Partners meet at a steady rhythm, often weekly, go through the data case by "
                    "case or street by street, and try new ways to speed up progress. Slower work "
                    "that builds trust runs alongside."
                ),
                "city_support": (
                    "Data shared quickly and safely, staff time for the regular reviews, and room "
                    "to change how services respond."
                ),
                "es": {
                    "name": "Trabajar como un laboratorio",
                    "what_to_expect": (
                        "Los socios se reúnen a un ritmo constante, a menudo semanal, revisan los "
                        "datos caso por caso o calle por calle y prueban nuevas formas de acelerar "
                        "el avance. En paralelo sigue un trabajo más lento que genera confianza."
                    ),
                    "city_support": (
                        "Datos compartidos con rapidez y seguridad, tiempo del personal para las "
                        "revisiones periódicas y margen para cambiar cómo responden los servicios."
                    ),
                },
            },
            {
                "slug": "change-the-rules",
                "name": "Change the rules",
                "what_to_expect": (
                    "What works is written into policy so it no longer depends on a few people: "
                    "local regulations, shared standards, funding streams and, at times, national "
                    "law."
                ),
                "city_support": (
                    "Drafting and passing local policy, budget commitments, and advocacy with "
                    "regional or national government."
                ),
                "es": {
                    "name": "Cambiar las normas",
                    "what_to_expect": (
                        "Lo que funciona se recoge en políticas para que ya no dependa de unas pocas "
                        "personas: normativa local, estándares compartidos, líneas de financiación "
                        "y, a veces, leyes nacionales."
                    ),
                    "city_support": (
                        "Redactar y aprobar políticas locales, compromisos presupuestarios e "
                        "incidencia ante el gobierno regional o nacional."
                    ),
                },
            },
            {
                "slug": "make-it-the-new-normal",
                "name": "Make it the new normal",
                "what_to_expect": (
                    "The change becomes part of the community's culture, with residents, businesses "
                    "and civic groups acting as ambassadors. Partners keep measuring so the "
                    "progress holds, and share what they learned with other cities."
                ),
                "city_support": (
                    "Public recognition of everyone's part, continued reporting, and introductions "
                    "to peer cities."
                ),
                "es": {
                    "name": "Hacerlo la nueva normalidad",
                    "what_to_expect": (
                        "El cambio pasa a formar parte de la cultura de la comunidad, con vecinos, "
                        "empresas y grupos cívicos como embajadores. Los socios siguen midiendo para "
                        "que el avance se mantenga y comparten lo aprendido con otras ciudades."
                    ),
                    "city_support": (
                        "Reconocimiento público de la aportación de cada uno, informes continuados "
                        "y contactos con ciudades homólogas."
                    ),
                },
            },
        ],
    },
]


def _text(value: str | list[str]) -> str:
    # Guiding questions are stored one per line, as the model documents.
    return "\n".join(value) if isinstance(value, list) else value


def _fields(item: dict, names: tuple[str, ...]) -> dict:
    return {name: _text(item[name]) for name in names}


def _translations(item: dict, names: tuple[str, ...]) -> dict:
    return {"es": _fields(item["es"], names)}


PRACTICE_FIELDS = ("name", "short_description", "guiding_questions")
PATHWAY_FIELDS = ("name", "description")
STAGE_FIELDS = ("name", "what_to_expect", "city_support")


def load_content(apps, schema_editor):
    Practice = apps.get_model("playbook", "Practice")
    ModelPathway = apps.get_model("playbook", "ModelPathway")
    Stage = apps.get_model("playbook", "Stage")

    for item in PRACTICES:
        Practice.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "number": item["number"],
                **_fields(item, PRACTICE_FIELDS),
                "translations": _translations(item, PRACTICE_FIELDS),
            },
        )

    for item in PATHWAYS:
        pathway, _ = ModelPathway.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "endgame": item["endgame"],
                "order": item["order"],
                **_fields(item, PATHWAY_FIELDS),
                "translations": _translations(item, PATHWAY_FIELDS),
            },
        )
        for order, stage in enumerate(item["stages"], start=1):
            Stage.objects.update_or_create(
                pathway=pathway,
                slug=stage["slug"],
                defaults={
                    "order": order,
                    **_fields(stage, STAGE_FIELDS),
                    "translations": _translations(stage, STAGE_FIELDS),
                },
            )


def unload_content(apps, schema_editor):
    Practice = apps.get_model("playbook", "Practice")
    ModelPathway = apps.get_model("playbook", "ModelPathway")
    # Stages go with their pathway (CASCADE). Partnerships protect the pathways
    # and stages they use, so unloading refuses rather than orphaning real work.
    ModelPathway.objects.filter(slug__in=[p["slug"] for p in PATHWAYS]).delete()
    Practice.objects.filter(slug__in=[p["slug"] for p in PRACTICES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("playbook", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load_content, unload_content),
    ]
