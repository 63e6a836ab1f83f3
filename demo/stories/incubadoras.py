"""Valle Alto: incubators repaired and kept running."""

from __future__ import annotations

from demo.replay import Story, World
from demo.stories.shorthand import (
    ADAPT,
    ADOPT,
    AGENCY,
    BEN,
    BRIDGES,
    DONE,
    DOWN,
    IN_PROGRESS,
    LONG,
    TOOLS,
    UP,
    V_CONTACT,
    V_STAFF,
    VALLE_ALTO,
    VALUES,
)
from partnerships.models import Lever, Partnership


def story(w: World) -> Story:
    directora = "directora@cunasegura.example"
    s = Story(
        w,
        city=VALLE_ALTO,
        lead="cuna-segura",
        contact=V_CONTACT,
        title="Incubadoras que funcionan en el Hospital Municipal",
        goal="Que todo bebé prematuro del Hospital Municipal tenga una incubadora que funcione.",
        problem="El Hospital Municipal no tiene suficientes incubadoras.",
        lead_role="Repara las incubadoras y forma al personal de neonatología.",
        pathway="improve-services",
        stage="name-the-problem",
        start=-424,
        public_summary="La ciudad y Cuna Segura mantienen en funcionamiento las incubadoras "
        "del Hospital Municipal y forman a su personal.",
        checkin_notes=[
            ("Revisamos el inventario de incubadoras.", "Cambiar sensores de dos equipos."),
            ("Enfermería presentó el registro de temperatura.", "Mantener el registro diario."),
            ("Las parteras reportaron partos prematuros en casa.", "Crear un aviso directo."),
        ],
        missed=8,
    )
    s.plan(
        -350,
        directora,
        [
            ("Lo que queremos", "Incubadoras funcionando para todo bebé que las necesite."),
            ("Quién hace qué", "Cuna Segura repara y forma; el hospital abre sus equipos."),
            ("Cómo sabremos", "Incubadoras en funcionamiento y mortalidad neonatal."),
        ],
        "Primera versión.",
    )
    s.stage(-380, "listen-to-users", "Escuchamos a enfermería y a las madres.")
    s.reframe(
        -370,
        directora,
        "El hospital tiene incubadoras, pero la mitad no funciona porque nadie está a cargo de "
        "repararlas y el personal no tiene formación para usarlas. Comprar más no resolvería "
        "nada.",
        "Al revisar equipo por equipo con enfermería encontramos nueve incubadoras guardadas "
        "por fallas menores.",
    )
    s.progress(
        -360,
        directora,
        "cuna-segura",
        "Taller con enfermería: acordamos cuidar juntas cada equipo.",
        [VALUES, AGENCY],
        [Lever.TRAINING],
    )
    s.indicator(
        -345,
        directora,
        name="Incubadoras en funcionamiento",
        unit="unidades",
        direction=UP,
        baseline="3",
        target="12",
        target_day=60,
        source="Inventario de neonatología",
        series=[
            (-340, "3"),
            (-300, "5"),
            (-260, "7"),
            (-220, "8"),
            (-180, "10"),
            (-140, "11"),
            (-100, "11"),
            (-60, "12"),
            (-20, "12"),
        ],
    )
    s.indicator(
        -305,
        V_CONTACT,
        name="Mortalidad neonatal",
        unit="por 1.000 nacidos vivos",
        direction=DOWN,
        baseline="14.2",
        target="8",
        target_day=300,
        source="Estadísticas del hospital",
        series=[(-300, "14.2"), (-210, "12.8"), (-120, "11.1"), (-30, "10.4")],
    )
    s.stage(-300, "pilot-a-better-way", "Probamos el mantenimiento preventivo local.")
    s.experiment(
        -290,
        directora,
        title="Mantenimiento preventivo por técnicos locales",
        hypothesis="Revisar cada equipo cada mes evita las fallas que lo sacan de servicio.",
        tried="Dos técnicos de Valle Alto revisan cada incubadora el primer lunes del mes.",
        close=(-200, "Ninguna incubadora fuera de servicio por más de dos días.", ADOPT),
    )
    s.responsibility(
        -280,
        directora,
        "cuna-segura",
        "Formar a todo el personal de enfermería de neonatología",
        update=(-200, IN_PROGRESS),
    )
    s.progress(
        -240,
        V_CONTACT,
        VALLE_ALTO,
        "Compras municipales ya permite contratar el mantenimiento con proveedores locales.",
        [TOOLS],
        [Lever.PROCUREMENT],
    )
    s.partner(
        -220,
        "red-de-parteras-comunitarias",
        "Acompaña a las madres antes y después del parto y avisa de los bebés prematuros.",
    )
    s.experiment(
        -190,
        directora,
        title="Registro diario de temperatura por enfermería",
        hypothesis="Un registro diario detecta fallas antes de que afecten a un bebé.",
        tried="Hoja de registro en cada incubadora, revisada en cada cambio de turno.",
        close=(-130, "Tres fallas detectadas a tiempo en dos meses.", ADOPT),
    )
    s.stage(-180, "measure-the-difference", "Medimos la diferencia con datos del hospital.")
    s.responsibility(
        -170,
        V_CONTACT,
        VALLE_ALTO,
        "Crear una partida fija de mantenimiento de equipo neonatal",
        due=-90,
        update=(-100, DONE),
    )
    s.need(
        -160,
        directora,
        "cuna-segura",
        amount="350000",
        currency="MXN",
        period="Próximo año",
        purpose="Refacciones y un técnico de tiempo completo.",
        update=(-100, V_CONTACT, "met", "Incluido en la nueva partida de mantenimiento."),
    )
    s.plan(
        -150,
        directora,
        [
            ("Lo que queremos", "Incubadoras funcionando para todo bebé que las necesite."),
            (
                "Quién hace qué",
                "Cuna Segura forma y supervisa; técnicos locales dan mantenimiento cada mes; "
                "enfermería registra la temperatura cada día; las parteras avisan de partos "
                "prematuros.",
            ),
            ("Cómo sabremos", "Incubadoras en funcionamiento, fallas detectadas y mortalidad."),
        ],
        "Mantenimiento preventivo a cargo de técnicos locales y registro diario de temperatura.",
    )
    s.progress(
        -150,
        "partera@parteras.example",
        "red-de-parteras-comunitarias",
        "Las parteras ya avisan por teléfono a neonatología cuando un parto se adelanta.",
        [BEN, BRIDGES],
        [Lever.COMMUNICATION],
    )
    s.experiment(
        -100,
        directora,
        title="Aviso directo de las parteras a neonatología",
        hypothesis="Con aviso previo, la incubadora está lista cuando llega el bebé.",
        tried="Un número directo de neonatología para las parteras de la red.",
        close=(-40, "Funciona de día; de noche nadie contestaba. Agregamos guardia.", ADAPT),
    )
    s.stage(-60, "make-it-standard", "El hospital adopta el protocolo como propio.")
    s.progress(
        -55,
        directora,
        "cuna-segura",
        "El protocolo de mantenimiento entra al manual del hospital.",
        [LONG],
        [Lever.STANDARD],
    )
    s.responsibility(
        -55,
        V_STAFF,
        VALLE_ALTO,
        "Incluir el protocolo en el manual del hospital",
        due=45,
    )
    s.status(-50, Partnership.Status.SCALING)
    s.experiment(
        -20,
        directora,
        title="Incubadoras de transporte en las ambulancias",
        hypothesis="Los bebés trasladados desde las colonias llegan más estables.",
        tried="Dos ambulancias equipadas con incubadora de transporte.",
        ends=70,
    )
    s.need(
        -15,
        directora,
        "cuna-segura",
        amount="280000",
        currency="MXN",
        period="Próximos 12 meses",
        purpose="Dos incubadoras de transporte para ambulancias.",
    )
    return s
