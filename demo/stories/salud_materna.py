"""Valle Alto: maternal health with the community midwives."""

from __future__ import annotations

from demo.replay import Story, World
from demo.stories.shorthand import (
    ADOPT,
    AGENCY,
    BEN,
    DONE,
    IN_PROGRESS,
    TOOLS,
    UP,
    V_STAFF,
    VALLE_ALTO,
)
from partnerships.models import Lever, Participant, Partnership


def story(w: World) -> Story:
    partera = "partera@parteras.example"
    s = Story(
        w,
        city=VALLE_ALTO,
        lead="red-de-parteras-comunitarias",
        contact=V_STAFF,
        title="Salud materna en las colonias del oriente",
        goal="Que tres de cada cuatro embarazadas del oriente tengan cuatro o más consultas "
        "prenatales.",
        problem="Las mujeres de las colonias del oriente no acuden a sus consultas prenatales.",
        lead_role="Acompaña a las embarazadas y organiza los círculos de madres.",
        pathway="improve-outcomes",
        stage="agree-the-outcome",
        start=-82,
        cadence=Partnership.Cadence.FORTNIGHTLY,
        status=Partnership.Status.EXPLORING,
        checkin_notes=[
            ("Revisamos a quién acompaña cada partera.", "Sumar dos colonias al mapa."),
            ("Escuchamos lo que dijeron los círculos de madres.", "Probar consulta en sábado."),
        ],
        missed=2,
    )
    s.partner(
        -70,
        "cuna-segura",
        "Comparte datos del hospital y forma a las parteras en señales de alarma.",
    )
    s.indicator(
        -75,
        partera,
        name="Embarazadas con cuatro o más consultas prenatales",
        unit="%",
        direction=UP,
        baseline="42",
        target="75",
        target_day=365,
        source="Registro de la Red de Parteras",
        series=[(-70, "42"), (-40, "44"), (-10, "47")],
    )
    s.plan(
        -75,
        partera,
        [
            ("Lo que queremos", "Embarazos acompañados y consultas a tiempo."),
            ("Quién hace qué", "Las parteras acompañan; el municipio acerca las consultas."),
        ],
        "Primera versión.",
    )
    s.participant(-60, "mama@vallealto.example", Participant.Role.REVIEWER)
    s.experiment(
        -60,
        partera,
        title="Círculos de madres",
        hypothesis="Las madres dicen en grupo lo que no dicen en consulta.",
        tried="Reuniones mensuales de embarazadas y madres en cuatro colonias.",
        close=(-25, "Salieron las verdaderas barreras: horario, distancia y lengua.", ADOPT),
    )
    s.responsibility(
        -55,
        partera,
        "red-de-parteras-comunitarias",
        "Organizar círculos de madres en cuatro colonias",
        due=-25,
        update=(-25, DONE),
    )
    s.progress(
        -50,
        partera,
        "red-de-parteras-comunitarias",
        "Primeros círculos de madres: 46 mujeres en cuatro colonias.",
        [BEN],
        [Lever.COMMUNICATION],
    )
    s.stage(-30, "reframe-with-residents", "Replanteamos la necesidad con las madres.")
    s.reframe(
        -28,
        partera,
        "Las consultas prenatales están lejos, en horario de trabajo y sin nadie que hable la "
        "lengua de muchas madres. Las mujeres sí se cuidan: buscan a las parteras, que el "
        "sistema no reconoce.",
        "En los círculos de madres, las mujeres explicaron que pierden un día de trabajo por "
        "consulta y que la partera es quien las acompaña de verdad.",
    )
    s.plan(
        -20,
        partera,
        [
            ("Lo que queremos", "Embarazos acompañados y consultas a tiempo, cerca de casa."),
            (
                "Quién hace qué",
                "Las parteras acompañan y convocan; el municipio abre un consultorio los "
                "sábados; Cuna Segura forma en señales de alarma.",
            ),
        ],
        "Tras los círculos de madres: consultas en el centro comunitario los sábados.",
    )
    s.need(
        -15,
        partera,
        "red-de-parteras-comunitarias",
        amount="90000",
        currency="MXN",
        period="Próximos seis meses",
        purpose="Transporte y apoyo económico para las parteras de la red.",
    )
    s.responsibility(
        -12,
        V_STAFF,
        VALLE_ALTO,
        "Conseguir un consultorio los sábados en el centro comunitario",
        due=14,
        update=(-10, IN_PROGRESS),
    )
    s.progress(
        -12,
        V_STAFF,
        VALLE_ALTO,
        "Salud municipal comparte los datos de consultas por colonia con la red.",
        [AGENCY, TOOLS],
        [Lever.DATA],
    )
    s.experiment(
        -8,
        partera,
        title="Consulta prenatal en sábado",
        hypothesis="Con consulta en sábado y cerca de casa, más mujeres completan sus consultas.",
        tried="Un médico y una partera atienden los sábados en el centro comunitario.",
        ends=60,
    )
    return s
