"""Numbers as people read them, the same on every page, export and API answer."""


def percent(part: int | None, whole: int | None) -> int | None:
    """`part` of `whole` as a whole percentage, rounded half up as people round by hand
    (2 of 12 is 16.67%: 17%; 1 of 8 is 12.5%: 13%). None when `whole` is 0, or when either
    figure is not known (None): there is no percentage to show, not 0% or 100%.

    In integers, so that no float lands a hair below a half (Python's `round` also rounds
    halves to even: round(12.5) is 12)."""
    if not whole or part is None:
        return None
    if part < 0 or whole < 0:
        raise ValueError("percent() counts things: part and whole must not be negative")
    return (200 * part + whole) // (2 * whole)
