"""The time zones the App Home's picker offers, by region (a static select holds at most 100
options): where Metropolis members are, each zone once; the member's own zone is added when
it is not among them."""

from __future__ import annotations

__all__ = ["REGIONS", "zone_groups"]

REGIONS: dict[str, tuple[str, ...]] = {
    "Europe": (
        "Europe/Lisbon", "Europe/London", "Europe/Madrid", "Europe/Paris", "Europe/Brussels",
        "Europe/Amsterdam", "Europe/Berlin", "Europe/Rome", "Europe/Zurich", "Europe/Vienna",
        "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Europe/Bucharest",
        "Europe/Istanbul", "Europe/Kyiv", "Europe/Moscow", "Atlantic/Canary",
    ),
    "Africa": (
        "Africa/Casablanca", "Africa/Dakar", "Africa/Abidjan", "Africa/Lagos", "Africa/Tunis",
        "Africa/Cairo", "Africa/Kinshasa", "Africa/Nairobi", "Africa/Addis_Ababa",
        "Africa/Johannesburg", "Africa/Maputo",
    ),
    "Americas": (
        "America/Argentina/Buenos_Aires", "America/Sao_Paulo", "America/Montevideo",
        "America/Santiago", "America/La_Paz", "America/Lima", "America/Bogota",
        "America/Caracas", "America/Panama", "America/Guatemala", "America/Mexico_City",
        "America/Havana", "America/Santo_Domingo", "America/New_York", "America/Toronto",
        "America/Montreal", "America/Chicago", "America/Denver", "America/Los_Angeles",
    ),
    "Asia": (
        "Asia/Dubai", "Asia/Tehran", "Asia/Karachi", "Asia/Kolkata", "Asia/Dhaka",
        "Asia/Bangkok", "Asia/Jakarta", "Asia/Ho_Chi_Minh", "Asia/Shanghai", "Asia/Hong_Kong",
        "Asia/Singapore", "Asia/Manila", "Asia/Seoul", "Asia/Tokyo", "Asia/Almaty",
        "Asia/Tashkent", "Asia/Jerusalem", "Asia/Beirut", "Asia/Riyadh",
    ),
    "Oceania": ("Australia/Perth", "Australia/Sydney", "Pacific/Auckland"),
    "UTC": ("UTC",),
}  # fmt: skip


# The first part of a zone's name → the group it is listed under.
_GROUP_OF = {
    "Europe": "Europe", "Atlantic": "Europe", "Africa": "Africa", "America": "Americas",
    "Asia": "Asia", "Australia": "Oceania", "Pacific": "Oceania",
}  # fmt: skip


def zone_groups(current: str | None) -> dict[str, tuple[str, ...]]:
    """:data:`REGIONS`, with ``current`` added under its region (or ``Other``) if missing."""
    groups = dict(REGIONS)
    if current and not any(current in zones for zones in groups.values()):
        key = _GROUP_OF.get(current.split("/", 1)[0], "Other")
        groups[key] = (*groups.get(key, ()), current)
    return groups
