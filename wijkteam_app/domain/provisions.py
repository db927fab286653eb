"""What can be deployed for a goal: the sociale kaart and the iWmo/iJw code lists.

The **sociale kaart** is the local catalogue of provisions (voorzieningen) with their level in
Almere's light-to-heavy order (brief §6): algemeen (no indication), collectief (individual
allocation, collective delivery), individueel licht, individueel zwaar, andere instantie.
Level 1 of that order, "oplossingen in eigen kring", is the network, not a provision.

The **code lists** hold the units (eenheid), frequencies and products used in professional
support, so a toewijzing (WMO301/JW301) later needs no retyping (brief §8). Product codes
shipped with the app are local codes (`Product.local`); categories, units and frequencies use
the iStandaarden values.

Both are parsed here from already-decoded JSON (`parse_sociale_kaart`, `parse_code_lists`);
reading files is `wijkteam_app.catalogs`. Broken data raises `CatalogDataError` naming the
place, in English (for whoever maintains the files).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

FORMAT_VERSION = 1


class CatalogDataError(ValueError):
    """A sociale kaart or code list that cannot be used; the message says where and why."""


class ProvisionLevel(enum.StrEnum):
    ALGEMEEN = "algemeen"
    COLLECTIEF = "collectief"
    INDIVIDUEEL_LICHT = "individueel_licht"
    INDIVIDUEEL_ZWAAR = "individueel_zwaar"
    ANDERE_INSTANTIE = "andere_instantie"

    @property
    def rank(self) -> int:
        """Position in the light-to-heavy order (brief §6), 2..6; 1 is the own network."""
        return LEVEL_ORDER.index(self) + 2

    @property
    def voorliggend(self) -> bool:
        """General and collective provisions come before maatwerk (eigen kracht order)."""
        return self in (ProvisionLevel.ALGEMEEN, ProvisionLevel.COLLECTIEF)


LEVEL_ORDER: tuple[ProvisionLevel, ...] = (
    ProvisionLevel.ALGEMEEN,
    ProvisionLevel.COLLECTIEF,
    ProvisionLevel.INDIVIDUEEL_LICHT,
    ProvisionLevel.INDIVIDUEEL_ZWAAR,
    ProvisionLevel.ANDERE_INSTANTIE,
)


@dataclass(frozen=True, slots=True)
class Provision:
    id: str
    name: str
    provider: str
    level: ProvisionLevel
    wijken: tuple[str, ...] = ()  # empty: serves every wijk
    cost_cents: int | None = None  # None: free or unknown
    within_mandate: bool = True  # a wijkwerker may deploy it without a toets
    product_code: str | None = None  # for individual provisions: the code-list product
    description: str = ""
    contact: str = ""  # how to reach the provider (phone, address, website)

    def serves(self, wijk: str) -> bool:
        return not self.wijken or wijk.casefold() in {w.casefold() for w in self.wijken}


def provisions_for_wijk(provisions: Iterable[Provision], wijk: str) -> tuple[Provision, ...]:
    """The provisions serving `wijk` (those without wijken serve all), light to heavy."""
    return sort_light_to_heavy(p for p in provisions if p.serves(wijk))


def sort_light_to_heavy(provisions: Iterable[Provision]) -> tuple[Provision, ...]:
    """By level in the brief's order, then by name (stable, case-insensitive)."""
    return tuple(sorted(provisions, key=lambda p: (p.level.rank, p.name.casefold(), p.id)))


def by_level(
    provisions: Iterable[Provision],
) -> dict[ProvisionLevel, tuple[Provision, ...]]:
    """Every level in the light-to-heavy order (also empty ones), each sorted by name."""
    ordered = sort_light_to_heavy(provisions)
    return {level: tuple(p for p in ordered if p.level is level) for level in LEVEL_ORDER}


def voorliggende(provisions: Iterable[Provision]) -> tuple[Provision, ...]:
    """The provisions a plan lists under "voorliggende voorzieningen"."""
    return sort_light_to_heavy(p for p in provisions if p.level.voorliggend)


def find_provision(provisions: Iterable[Provision], provision_id: str) -> Provision:
    for provision in provisions:
        if provision.id == provision_id:
            return provision
    raise KeyError(provision_id)


# --- code lists ----------------------------------------------------------------------------


class Law(enum.StrEnum):
    WMO = "wmo"
    JEUGDWET = "jeugdwet"


@dataclass(frozen=True, slots=True)
class Code:
    """One value of a code list. `local` marks a value that is ours, not the standard's."""

    code: str
    name: str
    local: bool = False


@dataclass(frozen=True, slots=True)
class ProductCategory:
    law: Law
    code: str
    name: str
    local: bool = False


@dataclass(frozen=True, slots=True)
class Product:
    code: str
    name: str
    law: Law
    category_code: str
    local: bool = True
    default_unit: str | None = None
    default_frequency: str | None = None


@dataclass(frozen=True, slots=True)
class CodeLists:
    source: str
    version: str
    units: tuple[Code, ...]
    frequencies: tuple[Code, ...]
    categories: tuple[ProductCategory, ...]
    products: tuple[Product, ...]
    delivery_forms: tuple[Code, ...] = ()  # leveringsvorm: zorg in natura, pgb

    def unit(self, code: str) -> Code:
        return _find(self.units, code)

    def frequency(self, code: str) -> Code:
        return _find(self.frequencies, code)

    def delivery_form(self, code: str) -> Code:
        return _find(self.delivery_forms, code)

    def product(self, code: str) -> Product:
        for product in self.products:
            if product.code == code:
                return product
        raise KeyError(code)

    def category(self, law: Law, code: str) -> ProductCategory:
        for category in self.categories:
            if category.law is law and category.code == code:
                return category
        raise KeyError((law, code))

    def products_for(self, law: Law | None = None) -> tuple[Product, ...]:
        return tuple(p for p in self.products if law is None or p.law is law)

    @property
    def unit_codes(self) -> frozenset[str]:
        return frozenset(u.code for u in self.units)

    @property
    def frequency_codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.frequencies)

    @property
    def product_codes(self) -> frozenset[str]:
        return frozenset(p.code for p in self.products)

    @property
    def youth_product_codes(self) -> frozenset[str]:
        return frozenset(p.code for p in self.products if p.law is Law.JEUGDWET)


def _find(codes: Iterable[Code], code: str) -> Code:
    for entry in codes:
        if entry.code == code:
            return entry
    raise KeyError(code)


# --- parsing -------------------------------------------------------------------------------


def _obj(value: object, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise CatalogDataError(f"{where}: expected an object")
    return value


def _items(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise CatalogDataError(f"{where}: expected a list")
    return value


def _text(obj: Mapping[str, Any], key: str, where: str, *, empty_ok: bool = False) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or (not empty_ok and not value.strip()):
        raise CatalogDataError(f"{where}.{key}: expected text")
    return value


def _opt_text(obj: Mapping[str, Any], key: str, where: str) -> str | None:
    return None if obj.get(key) is None else _text(obj, key, where)


def _flag(obj: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = obj.get(key, default)
    if not isinstance(value, bool):
        raise CatalogDataError(f"{where}.{key}: expected true or false")
    return value


def _check_format(data: Mapping[str, Any], what: str) -> None:
    value = data.get("format")
    if isinstance(value, bool) or value != FORMAT_VERSION:
        raise CatalogDataError(f"{what}: format {value!r} is not supported")


def _unknown_keys(obj: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(obj) - allowed)
    if unknown:
        raise CatalogDataError(f"{where}: unknown field(s) {', '.join(unknown)}")


_PROVISION_KEYS = {
    "id", "name", "provider", "level", "wijken", "cost_cents", "within_mandate",
    "product_code", "description", "contact",
}


def parse_sociale_kaart(data: object) -> tuple[Provision, ...]:
    """``{"format": 1, "municipality": str, "source": str, "provisions": [...]}``.

    Each provision: id, name, provider, level (one of `ProvisionLevel`), wijken (list,
    optional), cost_cents (int or null), within_mandate (bool, default true), product_code
    (optional), description (optional), contact (optional). Ids must be unique. The same
    schema is the sync protocol's ``SocialeKaartFile``/``SocialeKaartItem``, which the
    municipal server loads and publishes (a test keeps the two in step).
    """
    root = _obj(data, "sociale kaart")
    _check_format(root, "sociale kaart")
    result: list[Provision] = []
    seen: set[str] = set()
    for i, raw in enumerate(_items(root.get("provisions"), "provisions")):
        where = f"provisions[{i}]"
        obj = _obj(raw, where)
        _unknown_keys(obj, _PROVISION_KEYS, where)
        try:
            level = ProvisionLevel(str(obj.get("level")))
        except ValueError:
            raise CatalogDataError(f"{where}.level: unknown level {obj.get('level')!r}") from None
        wijken = obj.get("wijken", [])
        if not isinstance(wijken, list) or not all(isinstance(w, str) for w in wijken):
            raise CatalogDataError(f"{where}.wijken: expected a list of names")
        cost = obj.get("cost_cents")
        if cost is not None and (isinstance(cost, bool) or not isinstance(cost, int) or cost < 0):
            raise CatalogDataError(f"{where}.cost_cents: expected a whole number >= 0 or null")
        provision = Provision(
            id=_text(obj, "id", where),
            name=_text(obj, "name", where),
            provider=_text(obj, "provider", where),
            level=level,
            wijken=tuple(wijken),
            cost_cents=cost,
            within_mandate=_flag(obj, "within_mandate", where, True),
            product_code=_opt_text(obj, "product_code", where),
            description=_text(obj, "description", where, empty_ok=True)
            if "description" in obj else "",
            contact=_text(obj, "contact", where, empty_ok=True) if "contact" in obj else "",
        )
        if provision.id in seen:
            raise CatalogDataError(f"{where}.id: {provision.id!r} occurs twice")
        seen.add(provision.id)
        result.append(provision)
    return tuple(result)


def _codes(value: object, where: str) -> tuple[Code, ...]:
    result: list[Code] = []
    for i, raw in enumerate(_items(value, where)):
        obj = _obj(raw, f"{where}[{i}]")
        _unknown_keys(obj, {"code", "name", "local"}, f"{where}[{i}]")
        result.append(Code(
            _text(obj, "code", f"{where}[{i}]"),
            _text(obj, "name", f"{where}[{i}]"),
            _flag(obj, "local", f"{where}[{i}]", False),
        ))
    _unique((c.code for c in result), where)
    return tuple(result)


def _unique(codes: Iterable[object], where: str) -> None:
    seen: set[object] = set()
    for code in codes:
        if code in seen:
            raise CatalogDataError(f"{where}: code {code!r} occurs twice")
        seen.add(code)


def _law(obj: Mapping[str, Any], where: str) -> Law:
    try:
        return Law(str(obj.get("law")))
    except ValueError:
        raise CatalogDataError(f"{where}.law: expected wmo or jeugdwet") from None


def parse_code_lists(data: object) -> CodeLists:
    """``{"format": 1, "source": str, "version": str, "units": [{code, name, local?}],
    "frequencies": [...], "categories": [{law, code, name, local?}],
    "products": [{code, name, law, category, local?, default_unit?, default_frequency?}],
    "delivery_forms": [{code, name, local?}] (optional)}``.

    Products must point at a known category of their law; default unit and frequency, when
    given, must be known codes. Keys starting with ``_`` are comments and ignored.
    """
    root = _obj(data, "code lists")
    _check_format(root, "code lists")
    units = _codes(root.get("units"), "units")
    frequencies = _codes(root.get("frequencies"), "frequencies")
    delivery_forms = _codes(root.get("delivery_forms", []), "delivery_forms")
    categories: list[ProductCategory] = []
    for i, raw in enumerate(_items(root.get("categories"), "categories")):
        where = f"categories[{i}]"
        obj = _obj(raw, where)
        _unknown_keys(obj, {"law", "code", "name", "local"}, where)
        categories.append(ProductCategory(
            _law(obj, where), _text(obj, "code", where), _text(obj, "name", where),
            _flag(obj, "local", where, False),
        ))
    _unique(((c.law, c.code) for c in categories), "categories")
    known_categories = {(c.law, c.code) for c in categories}
    unit_codes = {u.code for u in units}
    frequency_codes = {f.code for f in frequencies}
    products: list[Product] = []
    for i, raw in enumerate(_items(root.get("products"), "products")):
        where = f"products[{i}]"
        obj = _obj(raw, where)
        _unknown_keys(obj, {"code", "name", "law", "category", "local", "default_unit",
                            "default_frequency"}, where)
        product = Product(
            code=_text(obj, "code", where),
            name=_text(obj, "name", where),
            law=_law(obj, where),
            category_code=_text(obj, "category", where),
            local=_flag(obj, "local", where, True),
            default_unit=_opt_text(obj, "default_unit", where),
            default_frequency=_opt_text(obj, "default_frequency", where),
        )
        if (product.law, product.category_code) not in known_categories:
            raise CatalogDataError(f"{where}.category: unknown category {product.category_code!r}")
        if product.default_unit is not None and product.default_unit not in unit_codes:
            raise CatalogDataError(f"{where}.default_unit: unknown unit {product.default_unit!r}")
        if product.default_frequency is not None and (
            product.default_frequency not in frequency_codes
        ):
            raise CatalogDataError(
                f"{where}.default_frequency: unknown frequency {product.default_frequency!r}"
            )
        products.append(product)
    _unique((p.code for p in products), "products")
    return CodeLists(
        source=_text(root, "source", "code lists"),
        version=_text(root, "version", "code lists"),
        units=units,
        frequencies=frequencies,
        categories=tuple(categories),
        products=tuple(products),
        delivery_forms=delivery_forms,
    )
