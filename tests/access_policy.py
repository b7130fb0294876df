"""The written access policy (docs/access-policy.yaml), read for the tests and rendered as
docs/access-policy.md.

Deliberately independent of the service: nothing here imports recovery.*.rules or the scope
engine, so the matrix's expected answers never come from the code they check.

Render the document: `python -m tests.access_policy > docs/access-policy.md`."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

POLICY_FILE = Path(__file__).resolve().parent.parent / "docs" / "access-policy.yaml"
DOCUMENT_FILE = POLICY_FILE.with_suffix(".md")
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
SIDES = ("prison", "probation", "both")
UNIT_KINDS = ("nation", "prison_group", "establishment", "probation_region", "pdu", "office")


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class RolePolicy:
    name: str
    label: str
    side: str
    held_at: tuple[str, ...]
    summary: str

    def sees_side(self, side: str) -> bool:
        return self.side == "both" or self.side == side


@dataclass(frozen=True)
class PagePolicy:
    name: str
    what: str
    methods: tuple[str, ...]
    who_by_method: dict[str, frozenset[str]]

    def who(self, method: str) -> frozenset[str]:
        return self.who_by_method.get(method.upper(), frozenset())


@dataclass(frozen=True)
class Policy:
    roles: dict[str, RolePolicy]
    pages: dict[str, PagePolicy]
    groups: dict[str, tuple[str, ...]]
    decisions: tuple[str, ...]
    public: dict[str, str]

    def allows(self, page: str, method: str, role: str) -> bool:
        """May `role` use `page` with `method` (at a unit within their scope)?"""
        return role in self.pages[page].who(method)


def _expand(names, roles: dict, groups: dict, where: str) -> frozenset[str]:
    result: set[str] = set()
    for name in names or []:
        if name in roles:
            result.add(name)
        elif name in groups:
            result.update(groups[name])
        else:
            raise PolicyError(f"{where}: '{name}' is neither a role nor a group")
    return frozenset(result)


def parse(data: dict) -> Policy:
    raw_roles = data.get("roles") or {}
    roles = {}
    for name, entry in raw_roles.items():
        if entry.get("side") not in SIDES:
            raise PolicyError(f"role {name}: side must be one of {SIDES}")
        held_at = tuple(entry.get("held_at") or ())
        if not held_at or set(held_at) - set(UNIT_KINDS):
            raise PolicyError(f"role {name}: held_at must name kinds of unit from {UNIT_KINDS}")
        roles[name] = RolePolicy(
            name=name,
            label=entry["label"],
            side=entry["side"],
            held_at=held_at,
            summary=" ".join(str(entry.get("summary", "")).split()),
        )
    groups = {}
    for name, members in (data.get("groups") or {}).items():
        unknown = set(members) - set(roles)
        if unknown:
            raise PolicyError(f"group {name}: unknown roles {sorted(unknown)}")
        groups[name] = tuple(members)
    pages = {}
    for name, entry in (data.get("pages") or {}).items():
        methods = tuple(m.upper() for m in entry.get("methods") or ())
        if not methods or set(methods) - set(METHODS):
            raise PolicyError(f"page {name}: methods must be some of {METHODS}")
        who = entry.get("who")
        if isinstance(who, dict):
            by_method = {
                m.upper(): _expand(w, roles, groups, f"page {name}") for m, w in who.items()
            }
            if set(by_method) != set(methods):
                raise PolicyError(f"page {name}: `who` must name each of its methods {methods}")
        else:
            everyone = _expand(who, roles, groups, f"page {name}")
            by_method = {m: everyone for m in methods}
        pages[name] = PagePolicy(
            name=name, what=str(entry["what"]), methods=methods, who_by_method=by_method
        )
    decisions = tuple(" ".join(str(d).split()) for d in data.get("decisions") or ())
    public = {str(k): str(v) for k, v in (data.get("public") or {}).items()}
    return Policy(roles=roles, pages=pages, groups=groups, decisions=decisions, public=public)


@cache
def load() -> Policy:
    return parse(yaml.safe_load(POLICY_FILE.read_text(encoding="utf-8")))


# --- The document ----------------------------------------------------------------------------

SIDE_WORDS = {"prison": "Prison", "probation": "Probation", "both": "Both (oversight)"}
ABBREVIATIONS = {
    "establishment_editor": "Ed",
    "governor": "Gov",
    "trade_union_rep": "TU",
    "pgd": "PGD",
    "central_panel": "Panel",
    "framework_author": "Auth",
    "pdu_head": "PDU",
    "probation_region": "PReg",
    "probation_centre": "PCen",
    "viewer": "View",
    "administrator": "Admin",
}


def render(policy: Policy | None = None) -> str:
    policy = policy or load()
    role_names = list(policy.roles)
    lines = [
        "# Access policy",
        "",
        "<!-- Rendered from docs/access-policy.yaml by `python -m tests.access_policy > "
        "docs/access-policy.md`; do not edit by hand. -->",
        "",
        "Who may see and do what in Recover regimes safely, role by role. This is the policy the "
        "service is tested against: `tests/test_permission_matrix.py` takes every expected "
        "answer from `docs/access-policy.yaml`, never from the code it checks.",
        "",
        "- A role is held **at** an organisation unit, and everything it allows applies at that "
        "unit and the units beneath it, never elsewhere.",
        "- Each role works on one **side**: prison (prisons and youth custody) or probation; "
        "oversight roles see both. Nobody sees the other side's organisations or people.",
        "- A page that names an object answers **404** to anyone who may not use it there (its "
        "existence is not disclosed); a page that names none answers **403**, and its rows are "
        "limited to the person's scope.",
        "",
        "## Roles",
        "",
        "| role | short | side | held at | may |",
        "|---|---|---|---|---|",
    ]
    for name in role_names:
        role = policy.roles[name]
        held = ", ".join(k.replace("_", " ") for k in role.held_at)
        lines.append(
            f"| {role.label} | {ABBREVIATIONS.get(name, name)} | {SIDE_WORDS[role.side]} | "
            f"{held} | {role.summary} |"
        )
    lines += [
        "",
        "## Pages and API endpoints",
        "",
        "✓ the role may use the page with that method, at units within its scope; a blank: "
        "refused.",
        "",
        "| page | what | method | "
        + " | ".join(ABBREVIATIONS.get(n, n) for n in role_names)
        + " |",
        "|---|---|---|" + "---|" * len(role_names),
    ]
    for name in sorted(policy.pages):
        page = policy.pages[name]
        for method in page.methods:
            marks = " | ".join("✓" if r in page.who(method) else "" for r in role_names)
            label = name.replace("|", "\\|")
            lines.append(f"| `{label}` | {page.what} | {method} | {marks} |")
    lines += ["", "## Open to anyone, without signing in", ""]
    lines += [f"- `{name}`: {what}" for name, what in sorted(policy.public.items())]
    lines += ["", "## Decisions", ""]
    lines += [f"- {decision}" for decision in policy.decisions]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
