"""Who lives in the demo world: its organizations, its people and their one password."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Membership, Organization

PASSWORD = "tandem-demo-2026"

ADMIN = Membership.Role.ADMIN
MEMBER = Membership.Role.MEMBER
SE = Organization.Kind.SOCIAL_ENTERPRISE
GROUP = Organization.Kind.COMMUNITY_GROUP


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    kind: str
    country: str
    languages: str
    description: str


@dataclass(frozen=True)
class PersonSpec:
    email: str
    name: str
    role: str
    organization: str | None = None
    membership: str = MEMBER
    language: str = "en"
    superuser: bool = False


ORGANIZATIONS = [
    OrgSpec(
        "city-of-riverton",
        "City of Riverton",
        Organization.Kind.CITY,
        "US",
        "en,es",
        "A mid-sized river city whose mayor's office runs a partnerships team.",
    ),
    OrgSpec(
        "ciudad-de-valle-alto",
        "Ciudad de Valle Alto",
        Organization.Kind.CITY,
        "MX",
        "es",
        "Gobierno municipal de una ciudad en crecimiento en el altiplano.",
    ),
    OrgSpec(
        "open-door-collective",
        "Open Door Collective",
        SE,
        "US",
        "en",
        "Street outreach and housing navigation, with a shared list of everyone who is homeless.",
    ),
    OrgSpec(
        "welcome-bridge-network",
        "Welcome Bridge Network",
        SE,
        "US",
        "en,es",
        "Brings newcomers and long-time residents together and helps the city welcome both.",
    ),
    OrgSpec(
        "harvest-table-kitchens",
        "Harvest Table Kitchens",
        SE,
        "US",
        "en",
        "A social kitchen that turns surplus food into shared meals.",
    ),
    OrgSpec(
        "northside-youth-works",
        "Northside Youth Works",
        SE,
        "US",
        "en",
        "Paid first jobs and mentoring for young people leaving foster care.",
    ),
    OrgSpec(
        "riverside-tenants-association",
        "Riverside Tenants' Association",
        GROUP,
        "US",
        "en",
        "Tenants of the Riverside estates, organised since the 1990s.",
    ),
    OrgSpec(
        "riverbend-community-foundation",
        "Riverbend Community Foundation",
        Organization.Kind.FUNDER,
        "US",
        "en",
        "A local foundation that funds what residents and the city build together.",
    ),
    OrgSpec(
        "cooperativa-reciclamos-juntas",
        "Cooperativa Reciclamos Juntas",
        SE,
        "MX",
        "es",
        "Cooperativa de recicladoras que recupera materiales en las colonias de Valle Alto.",
    ),
    OrgSpec(
        "cuna-segura",
        "Cuna Segura",
        SE,
        "MX",
        "es",
        "Repara y mantiene incubadoras y forma al personal de neonatología.",
    ),
    OrgSpec(
        "red-de-parteras-comunitarias",
        "Red de Parteras Comunitarias",
        GROUP,
        "MX",
        "es",
        "Parteras y promotoras de salud de las colonias del oriente.",
    ),
    OrgSpec(
        "colectivo-vecinal-las-lomas",
        "Colectivo Vecinal Las Lomas",
        GROUP,
        "MX",
        "es",
        "Vecinas y vecinos de la colonia Las Lomas.",
    ),
    OrgSpec(
        "bright-lantern-ventures",
        "Bright Lantern Ventures",
        SE,
        "US",
        "en",
        "Solar lighting for night markets. Not part of any partnership here.",
    ),
]

PEOPLE = [
    PersonSpec("admin@tandem.example", "Sam Okafor", "Site staff (superuser)", superuser=True),
    PersonSpec(
        "contact@riverton.example",
        "Rosa Delgado",
        "City point of contact, Riverton",
        "city-of-riverton",
    ),
    PersonSpec(
        "admin@riverton.example",
        "Adam Whitfield",
        "City administrator, Riverton",
        "city-of-riverton",
        ADMIN,
    ),
    PersonSpec(
        "contacto@vallealto.example",
        "Lucía Hernández",
        "City point of contact and administrator, Valle Alto",
        "ciudad-de-valle-alto",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "enlace@vallealto.example",
        "Tomás Ruiz",
        "City staff, Valle Alto",
        "ciudad-de-valle-alto",
        MEMBER,
        "es",
    ),
    PersonSpec(
        "founder@harvest.example",
        "Eli Moreno",
        "Entrepreneur, Harvest Table Kitchens",
        "harvest-table-kitchens",
        ADMIN,
    ),
    PersonSpec(
        "founder@opendoor.example",
        "Grace Kim",
        "Entrepreneur, Open Door Collective",
        "open-door-collective",
        ADMIN,
    ),
    PersonSpec(
        "director@welcomebridge.example",
        "Amir Haddad",
        "Entrepreneur, Welcome Bridge Network",
        "welcome-bridge-network",
        ADMIN,
    ),
    PersonSpec(
        "founder@youthworks.example",
        "Jordan Price",
        "Entrepreneur, Northside Youth Works",
        "northside-youth-works",
        ADMIN,
    ),
    PersonSpec(
        "lider@reciclamos.example",
        "Marisol Vega",
        "Entrepreneur, Cooperativa Reciclamos Juntas",
        "cooperativa-reciclamos-juntas",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "directora@cunasegura.example",
        "Elena Cruz",
        "Entrepreneur, Cuna Segura",
        "cuna-segura",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "member@tenants.example",
        "Dee Washington",
        "Community group member, Riverside Tenants' Association",
        "riverside-tenants-association",
        ADMIN,
    ),
    PersonSpec(
        "partera@parteras.example",
        "Juana Pérez",
        "Community group member, Red de Parteras Comunitarias",
        "red-de-parteras-comunitarias",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "vecina@laslomas.example",
        "Rosa Jiménez",
        "Community group administrator, Colectivo Vecinal Las Lomas",
        "colectivo-vecinal-las-lomas",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "grants@riverbend.example",
        "Naomi Fischer",
        "Funder, Riverbend Community Foundation",
        "riverbend-community-foundation",
        ADMIN,
    ),
    PersonSpec("resident@riverton.example", "Marcus Bell", "Beneficiary (advisor), Riverton"),
    PersonSpec(
        "vecina@vallealto.example",
        "Rosa María López",
        "Beneficiary (co-planner), Valle Alto",
        language="es",
    ),
    PersonSpec(
        "mama@vallealto.example",
        "Carmen Ortiz",
        "Beneficiary (reviewer), Valle Alto",
        language="es",
    ),
    PersonSpec(
        "someone@elsewhere.example",
        "Olivia Stone",
        "Outsider: in no partnership",
        "bright-lantern-ventures",
        ADMIN,
    ),
]
