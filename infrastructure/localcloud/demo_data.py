"""Deterministic demo data for a French regional B2B subcontracting convention (fr/en).

Pure: no I/O, no clock. Everything derives from a seed and an explicit ``now``, so two calls with the same
arguments return equal payloads. Contact data is fictitious by construction: e-mails live under reserved
example domains and phone numbers come from the ranges regulators set aside for fiction.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from faker import Faker

Payload = dict[str, Any]

DEFAULT_SEED = 2027
DEFAULT_COMPANY_COUNT = 200
BUYER = "buyer"
SUPPLIER = "supplier"
RESERVED_EMAIL_DOMAINS = ("example.com", "example.fr", "example.org", "example.net")

# ARCEP's blocks reserved for fiction (France: 01 99 00 .., 02 61 91 .., ...) and Ofcom's drama ranges
# (UK: 07700 900 ..., 020 7946 0...): never assigned to anyone. The prefix is followed by random digits.
_FICTION_PHONE_PREFIXES: dict[str, tuple[str, ...]] = {
    "FR": ("+3319900", "+3326191", "+3335301", "+3346571", "+3353649", "+3363998", "+3397742"),
    "GB": ("+447700900", "+442079460"),
}
_E164_LENGTH = {"FR": 12, "GB": 13}


@dataclass(frozen=True)
class TaxonomyNode:
    code: str
    fr: str
    en: str
    children: tuple[TaxonomyNode, ...] = ()


# code | fr | en — the parent of a node is the code without its last ".XXX" segment.
_TAXONOMY_TABLE = """
MEC | Mécanique | Mechanics
MEC.USI | Usinage | Machining
MEC.USI.FR5 | Fraisage 5 axes | 5-axis milling
MEC.USI.TOU | Tournage CN | CNC turning
MEC.USI.REC | Rectification | Grinding
MEC.TOL | Tôlerie | Sheet metal work
MEC.TOL.LAS | Découpe laser | Laser cutting
MEC.TOL.PLI | Pliage | Press-brake bending
MEC.TOL.EMB | Emboutissage | Deep drawing and stamping
MEC.ASS | Assemblage mécanique | Mechanical assembly
MEC.ASS.SOU | Soudage | Welding
MEC.ASS.RIV | Rivetage | Riveting
MEC.ASS.SEN | Montage de sous-ensembles | Sub-assembly
ELE | Électronique | Electronics
ELE.CAR | Assemblage de cartes | PCB assembly
ELE.CAR.CMS | Report CMS | Surface-mount assembly
ELE.CAR.TRA | Composants traversants | Through-hole assembly
ELE.CAR.VER | Vernissage de protection | Conformal coating
ELE.CAB | Câblage | Cabling
ELE.CAB.FAI | Faisceaux électriques | Wire harnesses
ELE.CAB.ARM | Câblage d'armoires | Control cabinet wiring
ELE.CAB.CON | Connectique | Connectors
ELE.EMB | Systèmes embarqués | Embedded systems
ELE.EMB.LOG | Logiciel embarqué | Firmware
ELE.EMB.CON | Conception électronique | Hardware design
ELE.EMB.TST | Test et validation | Test and validation
PLA | Plasturgie et composites | Plastics and composites
PLA.INJ | Injection | Injection moulding
PLA.INJ.THE | Injection thermoplastique | Thermoplastic injection
PLA.INJ.SUR | Surmoulage | Overmoulding
PLA.INJ.BIM | Injection bi-matière | Two-shot moulding
PLA.COM | Composites | Composites
PLA.COM.CAR | Fibre de carbone | Carbon fibre
PLA.COM.RTM | Moulage RTM | Resin transfer moulding
PLA.COM.ENR | Enroulement filamentaire | Filament winding
PLA.EXT | Extrusion et thermoformage | Extrusion and thermoforming
PLA.EXT.PRO | Extrusion de profilés | Profile extrusion
PLA.EXT.THE | Thermoformage | Thermoforming
PLA.EXT.SOU | Extrusion-soufflage | Blow moulding
SUR | Traitement de surface | Surface treatment
SUR.REV | Revêtements | Coatings
SUR.REV.POU | Peinture poudre | Powder coating
SUR.REV.LIQ | Peinture liquide | Wet painting
SUR.REV.PVD | Dépôt PVD | PVD coating
SUR.ELC | Traitements électrochimiques | Electrochemical treatment
SUR.ELC.ANO | Anodisation | Anodising
SUR.ELC.ZIN | Zingage | Zinc plating
SUR.ELC.CHR | Chromage | Chrome plating
SUR.THE | Traitements thermiques | Heat treatment
SUR.THE.TRE | Trempe | Hardening
SUR.THE.NIT | Nitruration | Nitriding
SUR.THE.REC | Recuit | Annealing
FON | Fonderie et forge | Foundry and forging
FON.MOU | Fonderie | Casting
FON.MOU.SAB | Moulage sable | Sand casting
FON.MOU.PRE | Fonderie sous pression | Die casting
FON.MOU.CIR | Fonderie à cire perdue | Investment casting
FON.FOR | Forge | Forging
FON.FOR.CHA | Forge à chaud | Hot forging
FON.FOR.FRO | Frappe à froid | Cold heading
FON.FOR.LAM | Laminage circulaire | Ring rolling
FON.POU | Métallurgie des poudres | Powder metallurgy
FON.POU.FRI | Frittage | Sintering
FON.POU.MIM | Moulage par injection de métal | Metal injection moulding
FON.POU.ADD | Fabrication additive métallique | Metal additive manufacturing
AUT | Automatismes et robotique | Automation and robotics
AUT.ROB | Robotique industrielle | Industrial robotics
AUT.ROB.INT | Intégration de robots | Robot integration
AUT.ROB.COB | Cobotique | Collaborative robots
AUT.ROB.VIS | Vision industrielle | Machine vision
AUT.MSP | Machines spéciales | Special-purpose machines
AUT.MSP.CON | Conception de machines | Machine design
AUT.MSP.LIG | Lignes d'assemblage | Assembly lines
AUT.MSP.BAN | Bancs d'essai | Test benches
AUT.INF | Informatique industrielle | Industrial IT
AUT.INF.API | Programmation d'automates | PLC programming
AUT.INF.SUP | Supervision | SCADA
AUT.INF.MES | Pilotage de production (MES) | Manufacturing execution systems
SER | Services à l'industrie | Industrial services
SER.MAI | Maintenance | Maintenance
SER.MAI.PRE | Maintenance préventive | Preventive maintenance
SER.MAI.PRD | Maintenance prédictive | Predictive maintenance
SER.MAI.RET | Rétrofit | Retrofit
SER.ING | Ingénierie | Engineering
SER.ING.BET | Bureau d'études | Design office
SER.ING.SIM | Simulation numérique | Numerical simulation
SER.ING.IND | Industrialisation | Industrialisation
SER.MET | Métrologie et essais | Metrology and testing
SER.MET.3DM | Mesure tridimensionnelle | Coordinate measurement
SER.MET.CND | Contrôle non destructif | Non-destructive testing
SER.MET.LAB | Essais en laboratoire | Laboratory testing
LOG | Logistique et emballage | Logistics and packaging
LOG.EMB | Emballage | Packaging
LOG.EMB.IND | Emballage industriel | Industrial packaging
LOG.EMB.BOI | Caisserie bois | Wooden crates
LOG.EMB.PRO | Calage et protection | Protective packaging
LOG.TRA | Transport | Transport
LOG.TRA.ROU | Transport routier | Road freight
LOG.TRA.EXC | Convois exceptionnels | Oversize loads
LOG.TRA.EXP | Messagerie express | Express delivery
LOG.ENT | Entreposage | Warehousing
LOG.ENT.STO | Stockage | Storage
LOG.ENT.KIT | Préparation de kits | Kitting
LOG.ENT.INV | Logistique inverse | Reverse logistics
"""


def _parse_taxonomy(table: str) -> tuple[TaxonomyNode, ...]:
    rows = [tuple(cell.strip() for cell in line.split("|")) for line in table.strip().splitlines()]

    def children_of(parent: str) -> tuple[TaxonomyNode, ...]:
        depth = parent.count(".") + 1 if parent else 0
        return tuple(
            TaxonomyNode(code, fr, en, children_of(code))
            for code, fr, en in rows
            if code.count(".") == depth and (not parent or code.startswith(parent + "."))
        )

    return children_of("")


SECTORS: tuple[TaxonomyNode, ...] = _parse_taxonomy(_TAXONOMY_TABLE)


def iter_taxonomy(nodes: tuple[TaxonomyNode, ...] = SECTORS) -> list[TaxonomyNode]:
    """Every node, depth first."""
    found: list[TaxonomyNode] = []
    for node in nodes:
        found.append(node)
        found.extend(iter_taxonomy(node.children))
    return found


def leaf_codes() -> list[str]:
    return [node.code for node in iter_taxonomy() if not node.children]


def taxonomy_labels() -> dict[str, TaxonomyNode]:
    return {node.code: node for node in iter_taxonomy()}


@dataclass(frozen=True)
class DemoParticipant:
    first_name: str
    last_name: str
    email: str
    phone: str
    job_title: str
    locale: str


@dataclass(frozen=True)
class DemoCompany:
    index: int
    type_code: str
    name: str
    country: str
    locale: str
    siret: str | None
    vat_number: str
    website: str
    size: str
    iso9001: bool
    iso9001_certificate: str | None
    needs: tuple[str, ...]
    offers: tuple[str, ...]
    description: dict[str, str]
    participants: tuple[DemoParticipant, ...]

    @property
    def sectors(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.needs + self.offers))


COMPANY_SIZES: tuple[tuple[str, str, str], ...] = (
    ("1-9", "1 à 9 salariés", "1 to 9 employees"),
    ("10-49", "10 à 49 salariés", "10 to 49 employees"),
    ("50-249", "50 à 249 salariés", "50 to 249 employees"),
    ("250-4999", "250 à 4 999 salariés", "250 to 4,999 employees"),
    ("5000+", "5 000 salariés et plus", "5,000 employees or more"),
)
# Trade words per sector, so a supplier's name matches what it offers.
_SECTOR_TRADE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "MEC": (("Usinage", "Mécanique de précision", "Tôlerie"), ("Precision Engineering", "Machining")),
    "ELE": (("Électronique", "Câblage", "Systèmes électroniques"), ("Electronics", "Cable Assemblies")),
    "PLA": (("Plastiques", "Composites", "Plasturgie"), ("Plastics", "Composites", "Mouldings")),
    "SUR": (("Traitements de surface", "Revêtements", "Thermolyse"), ("Coatings", "Surface Finishing")),
    "FON": (("Fonderie", "Forges", "Frittage"), ("Castings", "Forgings")),
    "AUT": (("Automatismes", "Robotique", "Machines spéciales"), ("Automation", "Robotics")),
    "SER": (("Ingénierie", "Maintenance industrielle", "Métrologie"), ("Engineering Services", "Metrology")),
    "LOG": (("Emballages", "Logistique", "Transports"), ("Packaging", "Logistics")),
}
_FR_BUYER_WORDS = ("Industries", "Groupe", "Aéro", "Ferroviaire", "Énergie", "Systèmes", "Équipements")
_FR_PLACES = (
    "du Forez",
    "du Bugey",
    "du Dauphiné",
    "de Savoie",
    "du Velay",
    "de la Vallée de l'Arve",
    "du Jura",
    "des Monts du Lyonnais",
    "du Vercors",
    "de l'Ain",
    "du Beaujolais",
    "de la Loire",
    "du Pilat",
)
_FR_LEGAL_FORMS = ("SAS", "SARL", "SA", "SASU")
_EN_BUYER_WORDS = ("Aerospace", "Rail Systems", "Energy", "Industries", "Defence Systems", "Marine")
_EN_PLACES = ("Midlands", "Pennine", "Severn", "Tyneside", "Wessex", "Cotswold", "Humber", "Clyde")
# (masculine, feminine) in French; English titles are the same for everyone.
_FR_JOBS: dict[str, tuple[tuple[str, str], ...]] = {
    BUYER: (
        ("Acheteur industriel", "Acheteuse industrielle"),
        ("Responsable achats", "Responsable achats"),
        ("Directeur des achats", "Directrice des achats"),
    ),
    SUPPLIER: (
        ("Directeur commercial", "Directrice commerciale"),
        ("Chargé d'affaires", "Chargée d'affaires"),
        ("Gérant", "Gérante"),
    ),
}
_EN_JOBS: dict[str, tuple[str, ...]] = {
    BUYER: ("Procurement Manager", "Commodity Buyer", "Head of Purchasing", "Sourcing Engineer"),
    SUPPLIER: ("Sales Director", "Business Development Manager", "Managing Director", "Key Account Manager"),
}


def _ascii_slug(text: str, separator: str = "-") -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, folded.lower()).strip(separator)


def _luhn_complete(digits: str) -> str:
    """Append the digit that makes ``digits`` Luhn-valid (the SIREN/SIRET checksum)."""
    for check in "0123456789":
        candidate = digits + check
        total = 0
        for position, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable: one check digit always fits")


def _siret(rng: random.Random) -> str:
    siren = _luhn_complete(f"{rng.randrange(10**7, 10**8):08d}")
    # The SIRET checksum covers all 14 digits; the NIC's last digit carries it.
    return _luhn_complete(siren + f"{rng.randrange(1, 10**4):04d}")


def _fr_vat_from_siren(siren: str) -> str:
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def _vat_number(rng: random.Random, siret: str | None) -> str:
    if siret is not None:
        return _fr_vat_from_siren(siret[:9])
    return f"GB{rng.randrange(10**8, 10**9)}"


def _fiction_phone(rng: random.Random, country: str) -> str:
    prefix = rng.choice(_FICTION_PHONE_PREFIXES[country])
    free_digits = _E164_LENGTH[country] - len(prefix)
    return f"{prefix}{rng.randrange(10**free_digits):0{free_digits}d}"


def _company_name(fake: Faker, rng: random.Random, type_code: str, sector: str, french: bool) -> str:
    surname = fake.last_name()
    fr_trades, en_trades = _SECTOR_TRADE[sector]
    if french:
        word = rng.choice(_FR_BUYER_WORDS if type_code == BUYER else fr_trades)
        patterns = (
            f"{word} {surname} {rng.choice(_FR_LEGAL_FORMS)}",
            f"{word} {rng.choice(_FR_PLACES)}",
            f"{surname} et Fils {rng.choice(_FR_LEGAL_FORMS)}",
        )
    else:
        word = rng.choice(_EN_BUYER_WORDS if type_code == BUYER else en_trades)
        patterns = (
            f"{surname} {word} Ltd",
            f"{rng.choice(_EN_PLACES)} {word} Ltd",
            f"{surname} & {fake.last_name()} {word} plc",
        )
    return rng.choice(patterns)


def _pick_leaves(rng: random.Random, home: str, low: int, high: int) -> tuple[str, ...]:
    # Companies cluster in one sector with an occasional neighbour, as real sheets do.
    leaves = leaf_codes()
    local = [code for code in leaves if code.startswith(home + ".")]
    chosen = rng.sample(local, rng.randint(low, min(high, len(local))))
    if rng.random() < 0.3:
        chosen.append(rng.choice([code for code in leaves if code not in chosen]))
    return tuple(chosen)


def _description(company_type: str, codes: tuple[str, ...], size_code: str, founded: int) -> dict[str, str]:
    nodes = taxonomy_labels()
    fr_items = ", ".join(nodes[code].fr.lower() for code in codes)
    en_items = ", ".join(nodes[code].en.lower() for code in codes)
    if company_type == BUYER:
        return {
            "fr": f"Nous recherchons des sous-traitants en {fr_items} pour nos programmes {founded + 40}.",
            "en": f"We are looking for subcontractors in {en_items} for our {founded + 40} programmes.",
        }
    return {
        "fr": f"Depuis {founded}, nous proposons : {fr_items}. Effectif : {size_code} salariés.",
        "en": f"Since {founded} we have offered {en_items}. Headcount: {size_code} employees.",
    }


def _participants(
    fake: Faker, rng: random.Random, type_code: str, french: bool, domain: str, country: str
) -> tuple[DemoParticipant, ...]:
    people: list[DemoParticipant] = []
    used_locals: set[str] = set()
    for _ in range(rng.choices((1, 2, 3), weights=(55, 35, 10))[0]):
        feminine = rng.random() < 0.4
        first = fake.first_name_female() if feminine else fake.first_name_male()
        last = fake.last_name()
        local = _ascii_slug(f"{first}.{last}", ".")
        while local in used_locals:
            local += str(len(used_locals))
        used_locals.add(local)
        if french:
            job = rng.choice(_FR_JOBS[type_code])[1 if feminine else 0]
        else:
            job = rng.choice(_EN_JOBS[type_code])
        people.append(
            DemoParticipant(
                first_name=first,
                last_name=last,
                email=f"{local}@{domain}",
                phone=_fiction_phone(rng, country),
                job_title=job,
                locale="fr" if french else "en",
            )
        )
    return tuple(people)


def generate_companies(
    seed: int = DEFAULT_SEED, count: int = DEFAULT_COMPANY_COUNT, domain_label: str | None = None
) -> list[DemoCompany]:
    """``count`` companies, about a third buyers, three quarters French; same seed, same companies.

    ``domain_label`` adds a sub-domain to every address (``x.<label>.example.fr``) so several runs can
    share one local cloud without their participants' e-mails colliding.
    """
    rng = random.Random(seed)
    fake_fr, fake_en = Faker("fr_FR"), Faker("en_GB")
    fake_fr.seed_instance(seed)
    fake_en.seed_instance(seed + 1)
    companies: list[DemoCompany] = []
    used_slugs: set[str] = set()
    for index in range(count):
        type_code = BUYER if rng.random() < 0.3 else SUPPLIER
        french = rng.random() < 0.75
        fake = fake_fr if french else fake_en
        # Only FR and GB: they are the countries with phone ranges reserved for fiction.
        country = "FR" if french else "GB"
        sector = rng.choice(SECTORS).code
        name = _company_name(fake, rng, type_code, sector, french)
        slug = _ascii_slug(name)
        while slug in used_slugs:
            slug = f"{slug}-{index}"
        used_slugs.add(slug)
        domain = ".".join(
            part for part in (slug, domain_label, "example.fr" if french else "example.com") if part
        )
        siret = _siret(rng) if country == "FR" else None
        size = rng.choices([code for code, _, _ in COMPANY_SIZES], weights=(25, 35, 25, 12, 3))[0]
        iso9001 = rng.random() < 0.6
        needs = _pick_leaves(rng, sector, 2, 4) if type_code == BUYER else ()
        offers = _pick_leaves(rng, sector, 1, 4) if type_code == SUPPLIER else ()
        companies.append(
            DemoCompany(
                index=index,
                type_code=type_code,
                name=name,
                country=country,
                locale="fr" if french else "en",
                siret=siret,
                vat_number=_vat_number(rng, siret),
                website=f"https://www.{domain}",
                size=size,
                iso9001=iso9001,
                iso9001_certificate=f"FR{rng.randrange(10**5, 10**6)}-QMS" if iso9001 else None,
                needs=needs,
                offers=offers,
                description=_description(type_code, needs or offers, size, rng.randint(1952, 2018)),
                participants=_participants(fake, rng, type_code, french, domain, country),
            )
        )
    return companies


# --- API payloads (docs/API.md) ---------------------------------------------------------------------

EVENT_TIME_ZONE = "Europe/Paris"
_PARIS = ZoneInfo(EVENT_TIME_ZONE)


def _local(moment: datetime) -> str:
    """ISO 8601 with the Paris offset, as an organiser would type it."""
    return moment.astimezone(_PARIS).replace(microsecond=0).isoformat()


def _at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.astimezone(_PARIS).replace(hour=hour, minute=minute, second=0, microsecond=0)


def event_payload(now: datetime, status: str = "draft") -> Payload:
    """A two-day convention three months ahead; registration opened yesterday."""
    opening_day = _at(now + timedelta(days=90), 8, 30)
    return {
        "name": {
            "fr": "Rencontres de la Sous-traitance Industrielle Auvergne-Rhône-Alpes",
            "en": "Auvergne-Rhône-Alpes Industrial Subcontracting Meetings",
        },
        "starts_at": _local(opening_day),
        "ends_at": _local(_at(opening_day + timedelta(days=1), 18)),
        "time_zone": EVENT_TIME_ZONE,
        "locales": ["fr", "en"],
        "currency": "EUR",
        "vat_mode": "excl",
        "status": status,
        "key_dates": {
            "registration_opens_at": _local(_at(now - timedelta(days=1), 9)),
            "registration_closes_at": _local(_at(opening_day - timedelta(days=10), 23, 59)),
            "catalogue_opens_at": _local(_at(now - timedelta(days=1), 9)),  # open as registrations come
            "requests_deadline_at": _local(_at(opening_day - timedelta(days=21), 23, 59)),
            "answers_deadline_at": _local(_at(opening_day - timedelta(days=14), 23, 59)),
            "agenda_published_at": _local(_at(opening_day - timedelta(days=7), 9)),
            "sms_activation_at": _local(_at(opening_day - timedelta(days=1), 8)),
        },
    }


def participation_type_payloads() -> list[Payload]:
    """Buyers and suppliers see each other, never their own kind (buyers do not want competitors'
    sourcing plans exposed, suppliers do not want to be browsed by rivals); both may ask for meetings,
    buyers decide what they accept."""
    return [
        {
            "code": BUYER,
            "labels": {"fr": "Donneur d'ordres", "en": "Buyer"},
            "can_see": [SUPPLIER],
            "can_request": [SUPPLIER],
            "open_for_registration": True,
        },
        {
            "code": SUPPLIER,
            "labels": {"fr": "Fournisseur", "en": "Supplier"},
            "can_see": [BUYER],
            "can_request": [BUYER],
            "open_for_registration": True,
        },
    ]


def taxonomy_payload() -> Payload:
    return {
        "nodes": [
            {
                "code": node.code,
                "parent": node.code.rpartition(".")[0] or None,
                "labels": {"fr": node.fr, "en": node.en},
            }
            for node in iter_taxonomy()
        ]
    }


def _labels(fr: str, en: str) -> Payload:
    return {"fr": fr, "en": en}


def form_payload() -> Payload:
    """Company-level fields first (participant fields may depend on them, not the reverse)."""
    return {
        "fields": [
            {
                "key": "siret",
                "type": "text",
                "level": "company",
                "required": False,
                "max_length": 14,
                "labels": _labels("SIRET (entreprises françaises)", "SIRET (French companies)"),
            },
            {
                "key": "vat_number",
                "type": "text",
                "level": "company",
                "required": True,
                "max_length": 20,
                "labels": _labels("Numéro de TVA intracommunautaire", "VAT number"),
            },
            {
                "key": "sectors",
                "type": "taxonomy",
                "level": "company",
                "required": True,
                "multiple": True,
                "labels": _labels("Secteurs d'activité", "Business sectors"),
            },
            {
                "key": "company_size",
                "type": "select",
                "level": "company",
                "required": True,
                "labels": _labels("Effectif", "Company size"),
                "options": [{"value": code, "labels": _labels(fr, en)} for code, fr, en in COMPANY_SIZES],
            },
            {
                "key": "iso9001",
                "type": "yes_no",
                "level": "company",
                "required": True,
                "labels": _labels("Êtes-vous certifié ISO 9001 ?", "Are you ISO 9001 certified?"),
            },
            {
                "key": "iso9001_certificate",
                "type": "text",
                "level": "company",
                "required": True,
                "max_length": 40,
                "show_if": {"field": "iso9001", "equals": True},
                "labels": _labels("Numéro du certificat ISO 9001", "ISO 9001 certificate number"),
            },
            {
                "key": "presentation",
                "type": "text",
                "level": "company",
                "required": False,
                "max_length": 2000,
                "labels": _labels("Présentation de l'entreprise", "Company presentation"),
            },
            {
                "key": "gdpr_consent",
                "type": "consent",
                "level": "participant",
                "required": True,
                "labels": _labels(
                    "J'accepte le traitement de mes données pour organiser les rendez-vous d'affaires.",
                    "I agree that my data are processed to organise the business meetings.",
                ),
            },
            {
                "key": "newsletter",
                "type": "consent",
                "level": "participant",
                "required": False,
                "labels": _labels(
                    "Je souhaite recevoir les actualités de l'organisateur.",
                    "I would like to receive news from the organiser.",
                ),
            },
        ]
    }


def registration_payload(company: DemoCompany) -> Payload:
    answers: Payload = {
        "vat_number": company.vat_number,
        "sectors": list(company.sectors),
        "company_size": company.size,
        "iso9001": company.iso9001,
        "presentation": company.description[company.locale],
    }
    if company.siret is not None:
        answers["siret"] = company.siret
    if company.iso9001_certificate is not None:
        answers["iso9001_certificate"] = company.iso9001_certificate
    return {
        "type": company.type_code,
        "locale": company.locale,
        "company": {
            "name": company.name,
            "country": company.country,
            "website": company.website,
            "answers": answers,
        },
        "participants": [
            {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "phone": person.phone,
                "job_title": person.job_title,
                "locale": person.locale,
                "answers": {"gdpr_consent": True, "newsletter": position == 0},
            }
            for position, person in enumerate(company.participants)
        ],
    }


def profile_payload(company: DemoCompany, event_id: str | None = None) -> Payload:
    payload: Payload = {
        "needs": list(company.needs),
        "offers": list(company.offers),
        "description": dict(company.description),
    }
    if event_id is not None:
        payload["event_id"] = event_id
    return payload


REFUSAL_REASONS: tuple[str, ...] = (
    "Activité hors du périmètre du salon (négoce sans production).",
    "Numéro de TVA non vérifiable : merci de nous recontacter.",
    "Inscription en double avec une fiche déjà validée.",
)


@dataclass(frozen=True)
class DemoDataset:
    event: Payload
    types: list[Payload]
    taxonomy: Payload
    form: Payload
    companies: list[DemoCompany]


def build_dataset(
    now: datetime,
    seed: int = DEFAULT_SEED,
    companies: int = DEFAULT_COMPANY_COUNT,
    domain_label: str | None = None,
) -> DemoDataset:
    return DemoDataset(
        event=event_payload(now),
        types=participation_type_payloads(),
        taxonomy=taxonomy_payload(),
        form=form_payload(),
        companies=generate_companies(seed, companies, domain_label),
    )
