"""Load the pulse survey's statements: two or three per practice, in plain words.

As in 0002, the content lives here so the migration keeps producing the same rows; running
it again updates them in place, matched by key.
"""

from django.db import migrations

# (practice slug, key, asked of, about, English, Spanish)
STATEMENTS = [
    (
        "beneficiaries-as-changemakers",
        "people-served-shape-decisions",
        "everyone",
        "",
        "The people this partnership serves help decide what we do.",
        "Las personas a las que sirve esta alianza ayudan a decidir lo que hacemos.",
    ),
    (
        "beneficiaries-as-changemakers",
        "comments-get-answers",
        "everyone",
        "",
        "When residents say something, they get an answer.",
        "Cuando los vecinos dicen algo, reciben una respuesta.",
    ),
    (
        "beneficiaries-as-changemakers",
        "support-to-take-part",
        "everyone",
        "",
        "Residents get the training and support they need to take part as equals.",
        "Los vecinos reciben la formación y el apoyo que necesitan para participar como iguales.",
    ),
    (
        "shared-agency",
        "same-goal",
        "everyone",
        "",
        "All partners would describe our goal in the same words.",
        "Todos los socios describirían nuestro objetivo con las mismas palabras.",
    ),
    (
        "shared-agency",
        "clear-roles",
        "everyone",
        "",
        "It is clear who does what, and each partner does what it is good at.",
        "Está claro quién hace qué, y cada socio hace lo que mejor sabe hacer.",
    ),
    (
        "build-bridges",
        "right-people-involved",
        "everyone",
        "",
        "The people and organizations who can help us are part of this work.",
        "Las personas y organizaciones que pueden ayudarnos forman parte de este trabajo.",
    ),
    (
        "build-bridges",
        "doors-opened",
        "everyone",
        "",
        "Partners open doors for each other inside their own organizations.",
        "Los socios se abren puertas unos a otros dentro de sus propias organizaciones.",
    ),
    (
        "always-a-lab",
        "learn-from-evidence",
        "everyone",
        "",
        "We look at the evidence together and change course when it tells us to.",
        "Miramos juntos la evidencia y cambiamos de rumbo cuando nos lo indica.",
    ),
    (
        "always-a-lab",
        "safe-to-try",
        "everyone",
        "",
        "It is safe to try something new here, even if it might not work.",
        "Aquí se puede probar algo nuevo sin miedo, aunque quizá no funcione.",
    ),
    (
        "use-all-tools",
        "more-than-money",
        "everyone",
        "",
        "The city helps with more than money: rules, data, buying power, its voice.",
        "La ciudad ayuda con algo más que dinero: normas, datos, compras públicas, su voz.",
    ),
    (
        "use-all-tools",
        "right-tool",
        "everyone",
        "",
        "When we are stuck, we look for the tool that fits the problem.",
        "Cuando nos atascamos, buscamos la herramienta que encaja con el problema.",
    ),
    (
        "the-long-view",
        "meet-regularly",
        "everyone",
        "",
        "We meet regularly, also when there is no crisis.",
        "Nos reunimos con regularidad, también cuando no hay ninguna crisis.",
    ),
    (
        "the-long-view",
        "beyond-this-year",
        "everyone",
        "",
        "This partnership plans beyond this year's budget and this year's politics.",
        "Esta alianza planifica más allá del presupuesto y la política de este año.",
    ),
    (
        "honest-expectations",
        "open-about-needs",
        "everyone",
        "",
        "Partners say openly what they need, money included.",
        "Los socios dicen abiertamente lo que necesitan, también el dinero.",
    ),
    (
        "honest-expectations",
        "promises-realistic",
        "everyone",
        "",
        "What partners promise is realistic, and they say so early when plans change.",
        "Lo que prometen los socios es realista, y avisan pronto cuando los planes cambian.",
    ),
    (
        "honest-expectations",
        "entrepreneurs-kept-commitments",
        "city",
        "entrepreneurs",
        "The partner organizations kept the commitments they made to the city.",
        "Las organizaciones socias cumplieron los compromisos que asumieron con la ciudad.",
    ),
    (
        "honest-expectations",
        "city-support-at-this-stage",
        "entrepreneurs",
        "city",
        "The city gives the support we need at the stage we are at.",
        "La ciudad nos da el apoyo que necesitamos en la etapa en la que estamos.",
    ),
    (
        "honest-expectations",
        "city-kept-word-to-residents",
        "beneficiaries",
        "city",
        "The city does what it told residents it would do.",
        "La ciudad hace lo que dijo a los vecinos que haría.",
    ),
    (
        "honest-expectations",
        "entrepreneurs-kept-word-to-residents",
        "beneficiaries",
        "entrepreneurs",
        "The partner organizations do what they told residents they would do.",
        "Las organizaciones socias hacen lo que dijeron a los vecinos que harían.",
    ),
    (
        "shared-values",
        "values-we-share",
        "everyone",
        "",
        "The partners put the same things first: the people served, evidence, the long haul.",
        "Los socios ponen lo mismo en primer lugar: las personas, la evidencia, el largo plazo.",
    ),
    (
        "shared-values",
        "trust",
        "everyone",
        "",
        "I trust the other partners to act in the interest of the people we serve.",
        "Confío en que los demás socios actúan en interés de las personas a las que servimos.",
    ),
]


def load(apps, schema_editor):
    Practice = apps.get_model("playbook", "Practice")
    SurveyStatement = apps.get_model("playbook", "SurveyStatement")
    practices = {p.slug: p for p in Practice.objects.all()}
    order: dict[str, int] = {}
    for slug, key, asked_of, about, english, spanish in STATEMENTS:
        if slug not in practices:
            continue
        order[slug] = order.get(slug, 0) + 1
        SurveyStatement.objects.update_or_create(
            key=key,
            defaults={
                "practice": practices[slug],
                "order": order[slug],
                "text": english,
                "asked_of": asked_of,
                "about": about,
                "translations": {"es": {"text": spanish}},
            },
        )


def unload(apps, schema_editor):
    apps.get_model("playbook", "SurveyStatement").objects.filter(
        key__in=[row[1] for row in STATEMENTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("playbook", "0003_survey_statement")]

    operations = [migrations.RunPython(load, unload)]
