"""Valle Alto: the waste pickers' cooperative in the city's recycling."""

from __future__ import annotations

from demo.replay import Story, World
from demo.stories.shorthand import (
    ADAPT,
    ADOPT,
    BEN,
    DONE,
    EXPECT,
    IN_PROGRESS,
    LAB,
    LONG,
    TOOLS,
    UP,
    V_CONTACT,
    V_STAFF,
    VALLE_ALTO,
    VALUES,
)
from partnerships.models import Lever, Participant


def story(w: World) -> Story:
    lider = "lider@reciclamos.example"
    s = Story(
        w,
        city=VALLE_ALTO,
        lead="cooperativa-reciclamos-juntas",
        contact=V_CONTACT,
        title="Reciclaje con las recicladoras de Valle Alto",
        goal="Recuperar el doble de material reciclable en dos años, con recicladoras "
        "reconocidas y pagadas por su trabajo.",
        problem="La recolección municipal no pasa a tiempo y la basura se acumula en las calles.",
        lead_role="Organiza a las recicladoras y opera las rutas de recuperación.",
        pathway="improve-services",
        stage="name-the-problem",
        start=-365,
        checkin_notes=[
            (
                "Revisamos las toneladas del mes y las rutas con retrasos.",
                "Ajustar la ruta del mercado a la mañana.",
            ),
            (
                "Las recicladoras contaron problemas con los camiones en dos colonias.",
                "El enlace municipal habla con los choferes esta semana.",
            ),
            (
                "Repasamos pagos pendientes por tonelada.",
                "Pagar cada quincena en lugar de cada dos meses.",
            ),
        ],
        missed=5,
    )
    s.participant(-300, "vecina@vallealto.example", Participant.Role.CO_PLANNER)
    s.stage(
        -320, "listen-to-users", "Nombramos la falla; ahora escuchamos a vecinos y recicladoras."
    )
    s.reframe(
        -300,
        lider,
        "Las recicladoras ya recuperan buena parte de lo reciclable de la ciudad, pero trabajan "
        "sin reconocimiento, sin equipo y fuera del sistema municipal. El servicio falla en "
        "parte porque las deja fuera.",
        "Al recorrer las rutas con las recicladoras vimos que recuperan más material que los "
        "camiones y que los vecinos confían más en ellas que en el servicio.",
    )
    s.progress(
        -310,
        lider,
        "cooperativa-reciclamos-juntas",
        "Recorrimos seis colonias con las recicladoras y con vecinas que separan en casa.",
        [BEN, VALUES],
        [Lever.COMMUNICATION],
    )
    s.plan(
        -280,
        lider,
        [
            ("Lo que queremos", "Más material recuperado y recicladoras con trabajo digno."),
            (
                "Quién hace qué",
                "La cooperativa organiza rutas; el municipio da credenciales y coordina sus "
                "camiones.",
            ),
            ("Cómo sabremos", "Toneladas recuperadas al mes y recicladoras con credencial."),
        ],
        "Primera versión.",
    )
    s.indicator(
        -270,
        lider,
        name="Toneladas de material recuperado al mes",
        unit="t",
        direction=UP,
        baseline="38",
        target="90",
        target_day=200,
        source="Básculas del centro de acopio",
        series=[
            (-250, "38"),
            (-220, "41"),
            (-190, "45"),
            (-160, "52"),
            (-130, "57"),
            (-100, "63"),
            (-70, "66"),
            (-40, "71"),
            (-10, "74"),
        ],
    )
    s.stage(-240, "pilot-a-better-way", "Probamos rutas compartidas con los camiones municipales.")
    s.experiment(
        -230,
        lider,
        title="Rutas compartidas con los camiones municipales",
        hypothesis="Si las recicladoras pasan antes que el camión, se recupera más y se "
        "entierra menos.",
        tried="En tres colonias, las recicladoras recorren la ruta una hora antes del camión.",
        close=(-170, "Un 30 % más de material recuperado en esas colonias.", ADOPT),
    )
    s.responsibility(
        -230,
        V_CONTACT,
        VALLE_ALTO,
        "Dar credencial municipal a las recicladoras de la cooperativa",
        due=-200,
        update=(-210, DONE),
    )
    s.responsibility(
        -230,
        lider,
        "cooperativa-reciclamos-juntas",
        "Organizar las rutas de recuperación en seis colonias",
        update=(-220, IN_PROGRESS),
    )
    s.progress(
        -210,
        V_CONTACT,
        VALLE_ALTO,
        "El cabildo aprobó el reglamento que reconoce a las recicladoras como parte del "
        "servicio de limpia.",
        [TOOLS],
        [Lever.POLICY, Lever.STANDARD],
    )
    s.indicator(
        -205,
        lider,
        name="Recicladoras con credencial y equipo de protección",
        unit="personas",
        direction=UP,
        baseline="0",
        target="120",
        target_day=150,
        source="Padrón de la cooperativa",
        series=[(-200, "35"), (-150, "62"), (-100, "80"), (-50, "94"), (-5, "101")],
    )
    s.need(
        -190,
        lider,
        "cooperativa-reciclamos-juntas",
        amount="120000",
        currency="MXN",
        period="Este año",
        purpose="Uniformes, guantes y botas para 120 recicladoras.",
        update=(-150, V_STAFF, "met", "Cubierto con el presupuesto de limpia."),
    )
    s.partner(
        -180,
        "colectivo-vecinal-las-lomas",
        "Organiza a los vecinos de Las Lomas para separar en casa.",
    )
    s.responsibility(
        -175,
        lider,
        "colectivo-vecinal-las-lomas",
        "Acompañar la separación en casa en Las Lomas",
        update=(-60, IN_PROGRESS),
    )
    s.experiment(
        -150,
        lider,
        title="Pago municipal por tonelada recuperada",
        hypothesis="Pagar por tonelada hace que recuperar sea un ingreso estable.",
        tried="El municipio paga a la cooperativa por cada tonelada pesada en báscula.",
        close=(
            -95,
            "Subió el material recuperado, pero el pago tardaba dos meses. Pasamos a pago "
            "quincenal.",
            ADAPT,
        ),
    )
    s.progress(
        -120,
        lider,
        "cooperativa-reciclamos-juntas",
        "Empezamos a pesar todo en la báscula municipal; los datos ya son de todos.",
        [LAB],
        [Lever.DATA],
    )
    s.plan(
        -100,
        lider,
        [
            ("Lo que queremos", "El doble de material recuperado, con recicladoras reconocidas."),
            (
                "Quién hace qué",
                "La cooperativa opera rutas y pesa el material; el municipio paga por tonelada "
                "cada quincena y coordina camiones; Las Lomas prueba la separación en casa.",
            ),
            ("Cómo sabremos", "Toneladas al mes, recicladoras con credencial y pagos a tiempo."),
        ],
        "Añadimos el pago por tonelada y la medición mensual con básculas de la ciudad.",
    )
    s.responsibility(
        -95,
        V_STAFF,
        VALLE_ALTO,
        "Instalar una segunda báscula en el centro de acopio",
        due=30,
    )
    s.stage(-90, "measure-the-difference", "El piloto funciona; medimos la diferencia.")
    s.need(
        -80,
        lider,
        "cooperativa-reciclamos-juntas",
        amount="450000",
        currency="MXN",
        period="Próximos 18 meses",
        purpose="Un centro de acopio techado con báscula.",
        update=(
            -60,
            V_CONTACT,
            "partly_met",
            "El municipio aporta el terreno y la báscula; falta la construcción.",
        ),
    )
    s.experiment(
        -40,
        lider,
        title="Separación en casa en Las Lomas",
        hypothesis="Con material separado en casa, cada ruta recupera más en menos tiempo.",
        tried="Bolsas de dos colores y visitas de vecinas promotoras en Las Lomas.",
        ends=50,
    )
    s.progress(
        -20,
        lider,
        "cooperativa-reciclamos-juntas",
        "Dijimos con claridad que sin el centro de acopio no llegamos a 90 toneladas este año.",
        [LONG, EXPECT],
        [Lever.FUNDING],
    )
    return s
