"""The EDM file format: one YAML file per EDM version (library/edms/*.yaml).

Reading checks everything before anything is written and reports every problem with its line
and key; writing (export) gives back a file that reads to the same content. The format:

    number: 18                        # the EDM's number
    title: YCS resettlement
    version: "1.0"                    # major.minor
    issued: 2020-07-03
    stage: 3                          # a stage number on the ladder
    element: resettlement             # a regime element code
    applies_to: [ycs_yoi, stc, sch]   # establishment types
    introduction: ...                 # optional
    areas:
      - number: "1"
        title: Start of sentence
        baselines:
          - number: "1.1"             # as printed; gaps are kept
            id: start-screening       # optional stable identifier; defaults to the number
            text: ...
            weighting: 3              # 1, 2 or 3; a desirable baseline may leave it out
            mandatory: true
            autonomy: partial         # total, partial or limited
            options: [...]            # partial only: at least two delivery options
            comments: ...             # optional
            sources: [...]            # optional

`number`, `version` and `id` are read exactly as written, so "3.10" stays "3.10" and never
becomes the number 3.1.

A draft built in the service is checked by the same rules (`check_edm_data`): its content is
held in the shape above and each change is checked as the file would be."""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import yaml

from recovery.core.errors import InvalidUpload
from recovery.core.imports import INT32, PROBLEMS_SHOWN
from recovery.core.uploads import size_text
from recovery.estate.constants import EstablishmentType
from recovery.frameworks.constants import WEIGHTINGS, Autonomy

TOP_KEYS = (
    "number",
    "title",
    "version",
    "issued",
    "stage",
    "element",
    "applies_to",
    "introduction",
    "areas",
)
TOP_REQUIRED = ("number", "title", "version", "issued", "stage", "element", "applies_to", "areas")
AREA_KEYS = ("number", "title", "baselines")
BASELINE_KEYS = (
    "number",
    "id",
    "text",
    "weighting",
    "mandatory",
    "autonomy",
    "options",
    "comments",
    "sources",
)
BASELINE_REQUIRED = ("number", "text", "mandatory", "autonomy")


def baseline_values(baseline, area) -> dict[str, Any]:
    """A baseline (from the database or a parsed file) as the file's keys, with its area (a
    number in a file, an id on a form)."""
    return {
        "area": area,
        "number": baseline.number,
        "id": baseline.identifier,
        "text": baseline.text,
        "weighting": baseline.weighting,
        "mandatory": baseline.mandatory,
        "autonomy": baseline.autonomy,
        "options": list(baseline.options),
        "comments": baseline.comments,
        "sources": list(baseline.sources),
    }


RAW_TEXT_KEYS = frozenset({"number", "version", "id"})
VERSION_PATTERN = re.compile(r"^\d{1,4}(\.\d{1,4})?$")
WHOLE_NUMBER_PATTERN = re.compile(r"^[0-9]{1,12}$")

# Bounds on what a file may make the service do. An EDM file is nested 6 deep (the EDM, its
# areas, an area, its baselines, a baseline, its options); numbers are stored in 32-bit columns.
MAX_EDM_FILE_BYTES = 512 * 1024
MAX_DEPTH = 20
LARGEST_NUMBER = INT32[1]
# The most characters each text key may hold (its database column), where it is bounded.
MAX_LENGTHS = {
    ("edm", "title"): 200,
    ("area", "number"): 20,
    ("area", "title"): 200,
    ("baseline", "number"): 20,
}
# Characters text may not hold: NUL (which PostgreSQL cannot store) and lone surrogates
# (which are not text at all); a double-quoted YAML string can spell both ("\0", "\ud800").
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
IDENTIFIER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")


# --- What a file says -------------------------------------------------------------------------


@dataclass(frozen=True)
class BaselineData:
    identifier: str
    number: str
    text: str
    weighting: int | None
    mandatory: bool
    autonomy: str
    options: tuple[str, ...] = ()
    comments: str = ""
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaData:
    number: str
    title: str
    baselines: tuple[BaselineData, ...]


@dataclass(frozen=True)
class EdmDocument:
    """One EDM version as a file describes it, already checked."""

    number: int
    title: str
    version: str
    issued: datetime.date
    stage: int
    element: str
    applies_to: tuple[str, ...]
    introduction: str
    areas: tuple[AreaData, ...]

    @property
    def baselines(self) -> list[BaselineData]:
        return [b for area in self.areas for b in area.baselines]


@dataclass(frozen=True)
class FileProblem:
    """One problem in an EDM file: the line, the key and what is wrong.

    Content checked as data rather than as a file (a draft built in the service) has no lines:
    `where` says which part it is instead: () the EDM itself, ("area", i) its i-th area,
    ("baseline", i, j) the j-th baseline of that area (counting from 0)."""

    line: int
    key: str | None
    message: str
    where: tuple = ()

    def __str__(self) -> str:
        if self.key:
            return f"Line {self.line}, key '{self.key}': {self.message}"
        return f"Line {self.line}: {self.message}"

    @property
    def sentence(self) -> str:
        """The problem as a form shows it against a field: "Enter the title", "The version
        must be a version number such as 1.0, not '1.x'"."""
        message = self.message.rstrip(".")
        name = KEY_NAMES.get(self.key or "")
        if name and message in ("this key is missing or empty", "must not be blank"):
            return f"Enter {name}"
        if name and message.startswith("must "):
            message = f"{name} {message}"
        return message[:1].upper() + message[1:]


# What each key is called in a sentence about it.
KEY_NAMES = {
    "number": "the number",
    "title": "the title",
    "version": "the version",
    "issued": "the issue date",
    "stage": "the stage",
    "element": "the regime element",
    "applies_to": "the establishment types it applies to",
    "introduction": "the introduction",
    "areas": "the areas",
    "baselines": "the baselines",
    "id": "the stable id",
    "text": "the requirement",
    "weighting": "the weighting",
    "mandatory": "whether it is mandatory",
    "autonomy": "the autonomy",
    "options": "the options",
    "comments": "the comments",
    "sources": "the sources",
}


class InvalidEdmFile(InvalidUpload):
    """An EDM file with problems: refused as a whole. Every problem is listed up to the first
    PROBLEMS_SHOWN (as every upload's); the message gives the total."""

    def __init__(self, problems: list):
        total = len(problems)
        super().__init__(list(problems[:PROBLEMS_SHOWN]), total=total)
        if total > PROBLEMS_SHOWN:
            self.message = f"{self.message} The first {PROBLEMS_SHOWN} are listed."
            self.args = (self.message,)
            self.args = (self.message,)


# --- Reading YAML with line numbers -----------------------------------------------------------


class _Mapping(dict):
    """A YAML mapping that remembers where it and each of its keys are."""

    line: int = 1
    key_lines: dict
    where: tuple = ()  # see FileProblem.where; () in a file
    edited: bool = False  # the one part being changed in the service: a clash is blamed on it

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Refused(yaml.YAMLError):
    """Something an EDM file may not do, found while reading it: reading stops there."""

    def __init__(self, mark, message: str):
        super().__init__(message)
        self.line = mark.line + 1 if mark else 1
        self.message = message


class _NotADate(str):
    """A value YAML takes for a date that does not exist (2020-02-30), kept as written."""


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, bounded: no anchors, aliases or merge keys (a few hundred bytes of
    them can expand to gigabytes), no nesting deeper than MAX_DEPTH, and values checked as they
    are built, each refusal naming its line."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                event.start_mark,
                f"aliases (*{event.anchor}) are not allowed in an EDM file: write the content "
                "out in full.",
            )
        if getattr(event, "anchor", None) is not None:
            raise _Refused(
                event.start_mark,
                f"anchors (&{event.anchor}) are not allowed in an EDM file: write the content "
                "out in full.",
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    event.start_mark,
                    f"the file is nested more than {MAX_DEPTH} levels deep; an EDM file "
                    "needs no more than 6.",
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    _check_storable(value, node)
    return value


def _check_storable(value: str, node) -> None:
    found = UNSTORABLE.search(value)
    if found:
        what = "a NUL character (\\0)" if found.group() == "\x00" else "a lone surrogate"
        raise _Refused(node.start_mark, f"the text holds {what}, which cannot be stored.")


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int:
    try:
        value = yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:  # more digits than Python will read
        value = None
    if value is None or abs(value) > LARGEST_NUMBER:
        shown = node.value if len(node.value) <= 20 else node.value[:20] + "…"
        raise _Refused(
            node.start_mark,
            f"the number {shown} is too large: "
            f"numbers must be smaller than {LARGEST_NUMBER + 1:,}.",
        )
    return value


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):  # 2020-02-30, 0000-01-01
        return _NotADate(node.value)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused(
                key_node.start_mark,
                "merge keys (<<) are not allowed in an EDM file: write the keys out in full.",
            )
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        key_line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | float | bool | None):
            loader.problems.append(FileProblem(key_line, None, "a key must be a plain word."))
            continue
        if key in mapping.key_lines:
            loader.problems.append(
                FileProblem(
                    key_line,
                    str(key),
                    f"this key appears more than once here (first on line "
                    f"{mapping.key_lines[key]}).",
                )
            )
            continue
        if key in RAW_TEXT_KEYS and isinstance(value_node, yaml.ScalarNode):
            null = value_node.tag == "tag:yaml.org,2002:null"
            value: Any = None if null else value_node.value
            _check_storable(value or "", value_node)
        else:
            value = loader.construct_object(value_node, deep=True)
        mapping[key] = value
        mapping.key_lines[key] = key_line
    return mapping


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _read_yaml(text: str) -> tuple[Any, list[FileProblem]]:
    loader = None
    try:
        loader = _Loader(text)  # checks every character first
        loader.problems = []
        return loader.get_single_data(), loader.problems
    except _Refused as error:
        return None, [FileProblem(error.line, None, error.message)]
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        code = error.character if isinstance(error.character, int) else 0xFFFD
        what = "a NUL character" if code == 0 else f"a control character (#x{code:04x})"
        return None, [FileProblem(line, None, f"the file holds {what}, which YAML does not allow.")]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        reason = error.problem or error.context or "it cannot be read"
        return None, [FileProblem(line, None, f"the file is not valid YAML ({reason}).")]
    except yaml.YAMLError as error:
        return None, [FileProblem(1, None, f"the file is not valid YAML ({error}).")]
    finally:
        if loader is not None:
            loader.dispose()


# --- Checking ---------------------------------------------------------------------------------


class _Checker:
    """The rules of the format. `complete=False` lets a draft being built in the service have no
    areas yet, or an area no baselines yet; every other rule holds all the time."""

    def __init__(self, stages: Iterable[int], elements: Iterable[str], *, complete: bool = True):
        self.stages = set(stages)
        self.elements = set(elements)
        self.complete = complete
        self.problems: list[FileProblem] = []

    def problem(self, mapping: _Mapping, key: str | None, message: str) -> None:
        line = mapping.line_of(key) if key else mapping.line
        self.problems.append(FileProblem(line, key, message, mapping.where))

    def clash(self, seen: dict, value: str, item: _Mapping, key: str, what: str) -> bool:
        """Whether `value` was already used by another part; if so, say so, against the part
        being edited if it is one of the two (else against the later one, as a reader expects).
        Remembers `value` when it is new."""
        if value not in seen:
            if value:
                seen[value] = (item, key)
            return False
        first, first_key = seen[value]
        blamed, blamed_key, other, other_key = (
            (first, first_key, item, key) if first.edited else (item, key, first, first_key)
        )
        where = f" (first on line {other.line_of(other_key)})" if other.line else ""
        self.problem(blamed, blamed_key, f"{what} {value} is used more than once{where}.")
        return True

    def keys(self, mapping: _Mapping, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        for key in mapping:
            if key not in allowed:
                self.problem(
                    mapping,
                    str(key),
                    f"unknown key; the keys allowed here are {', '.join(allowed)}.",
                )
        for key in required:
            if mapping.get(key) is None:
                self.problem(mapping, key, "this key is missing or empty.")

    def text(self, mapping: _Mapping, key: str, *, required: bool = True, part: str = "") -> str:
        value = mapping.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(mapping, key, "must be text.")
            return ""
        value = str(value).strip()
        if required and not value:
            self.problem(mapping, key, "must not be blank.")
        limit = MAX_LENGTHS.get((part, key))
        if limit and len(value) > limit:
            self.problem(mapping, key, f"must be {limit} characters or fewer.")
        return value

    def whole_number(self, mapping: _Mapping, key: str) -> int | None:
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, str) and WHOLE_NUMBER_PATTERN.match(value):
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            shown = value if not isinstance(value, str) or len(value) <= 20 else value[:20] + "…"
            self.problem(mapping, key, f"must be a whole number of 1 or more, not {shown!r}.")
            return None
        if value > LARGEST_NUMBER:
            self.problem(
                mapping, key, f"must be a whole number smaller than {LARGEST_NUMBER + 1:,}."
            )
            return None
        return value

    def text_list(self, mapping: _Mapping, key: str) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.problem(mapping, key, "must be a list of text items.")
            return ()
        return tuple(item.strip() for item in value)

    def document(self, data: Any) -> EdmDocument | None:
        if not isinstance(data, _Mapping):
            self.problems.append(
                FileProblem(
                    1,
                    None,
                    "the file must be a set of keys: number, title, version, "
                    "issued, stage, element, applies_to, introduction and areas.",
                )
            )
            return None
        self.keys(data, TOP_KEYS, TOP_REQUIRED)
        number = self.whole_number(data, "number")
        title = self.text(data, "title", part="edm")
        version = self.text(data, "version")
        if version and not VERSION_PATTERN.match(version):
            self.problem(data, "version", f"must be a version number such as 1.0, not '{version}'.")
        issued = data.get("issued")
        if isinstance(issued, _NotADate):
            self.problem(data, "issued", f"'{issued}' is not a date: there is no such day.")
            issued = None
        elif issued is not None and not (
            isinstance(issued, datetime.date) and not isinstance(issued, datetime.datetime)
        ):
            self.problem(data, "issued", f"must be a date such as 2020-07-03, not '{issued}'.")
            issued = None
        stage = data.get("stage")
        if stage is not None and (isinstance(stage, bool) or stage not in self.stages):
            self.problem(data, "stage", f"there is no stage {stage} on the stage ladder.")
        element = data.get("element")
        if element is not None and (not isinstance(element, str) or element not in self.elements):
            self.problem(data, "element", f"'{element}' is not a regime element in the catalogue.")
        applies_to = self.applies_to(data)
        introduction = self.text(data, "introduction", required=False)
        areas = self.areas(data)
        if self.problems:
            return None
        return EdmDocument(
            number=number,
            title=title,
            version=version,
            issued=issued,
            stage=stage,
            element=element,
            applies_to=applies_to,
            introduction=introduction,
            areas=areas,
        )

    def applies_to(self, data: _Mapping) -> tuple[str, ...]:
        value = data.get("applies_to")
        if value is None:
            return ()
        if not isinstance(value, list) or not value:
            self.problem(data, "applies_to", "must be a list of establishment types.")
            return ()
        types: list[str] = []
        for item in value:
            if item not in EstablishmentType.values:
                self.problem(data, "applies_to", f"'{item}' is not an establishment type.")
            elif item in types:
                self.problem(data, "applies_to", f"'{item}' is listed more than once.")
            else:
                types.append(item)
        return tuple(types)

    def areas(self, data: _Mapping) -> tuple[AreaData, ...]:
        value = data.get("areas")
        if value is None:
            return ()
        if value == [] and not self.complete:
            return ()
        if not isinstance(value, list) or not value:
            self.problem(data, "areas", "must be a list of at least one area.")
            return ()
        areas: list[AreaData] = []
        area_numbers: dict[str, tuple] = {}
        numbers: dict[str, tuple] = {}
        identifiers: dict[str, tuple] = {}
        for item in value:
            if not isinstance(item, _Mapping):
                self.problem(
                    data, "areas", "each area must be a set of keys: number, title, baselines."
                )
                continue
            self.keys(item, AREA_KEYS, AREA_KEYS)
            number = self.text(item, "number", part="area")
            self.clash(area_numbers, number, item, "number", "area number")
            title = self.text(item, "title", part="area")
            baselines = self.baselines(item, numbers, identifiers)
            areas.append(AreaData(number=number, title=title, baselines=baselines))
        return tuple(areas)

    def baselines(
        self, area: _Mapping, numbers: dict[str, tuple], identifiers: dict[str, tuple]
    ) -> tuple[BaselineData, ...]:
        value = area.get("baselines")
        if value is None or (value == [] and not self.complete):
            return ()
        if not isinstance(value, list) or not value:
            self.problem(area, "baselines", "must be a list of at least one baseline.")
            return ()
        baselines = []
        for item in value:
            if not isinstance(item, _Mapping):
                self.problem(
                    area,
                    "baselines",
                    "each baseline must be a set of keys: number, "
                    "text, weighting, mandatory, autonomy.",
                )
                continue
            baseline = self.baseline(item, numbers, identifiers)
            if baseline:
                baselines.append(baseline)
        return tuple(baselines)

    def baseline(
        self, item: _Mapping, numbers: dict[str, tuple], identifiers: dict[str, tuple]
    ) -> BaselineData | None:
        self.keys(item, BASELINE_KEYS, BASELINE_REQUIRED)
        number = self.text(item, "number", part="baseline")
        repeated_number = self.clash(numbers, number, item, "number", "baseline number")
        identifier = self.text(item, "id") if item.get("id") is not None else number
        if "id" in item and identifier and not IDENTIFIER_PATTERN.match(identifier):
            self.problem(
                item,
                "id",
                "use up to 60 letters, digits, dots, hyphens or underscores, "
                "starting with a letter or digit.",
            )
        # An id that only repeats a repeated number has been reported once already.
        if not (repeated_number and "id" not in item and identifier in identifiers):
            key = "id" if "id" in item else "number"
            self.clash(identifiers, identifier, item, key, "baseline id")
        text = self.text(item, "text")
        mandatory = item.get("mandatory")
        if mandatory is not None and not isinstance(mandatory, bool):
            self.problem(item, "mandatory", f"must be true or false, not '{mandatory}'.")
            mandatory = None
        weighting = item.get("weighting")
        if weighting is not None and (isinstance(weighting, bool) or weighting not in WEIGHTINGS):
            self.problem(item, "weighting", f"the weighting must be 1, 2 or 3, not {weighting}.")
            weighting = None
        elif weighting is None and mandatory:
            self.problem(
                item,
                "weighting",
                f"baseline {number} is mandatory, so it needs a weighting of 1, 2 or 3.",
            )
        autonomy = item.get("autonomy")
        if autonomy is not None and autonomy not in Autonomy.values:
            self.problem(
                item,
                "autonomy",
                f"'{autonomy}' is not an autonomy level; use total, partial or limited.",
            )
            autonomy = None
        options = self.text_list(item, "options")
        if autonomy == Autonomy.PARTIAL and len(options) < 2:
            self.problem(
                item,
                "options" if "options" in item else "autonomy",
                f"baseline {number} has partial autonomy, so it needs at least two options.",
            )
        elif autonomy in (Autonomy.TOTAL, Autonomy.LIMITED) and options:
            self.problem(
                item,
                "options",
                f"baseline {number} has {autonomy} autonomy, so it takes no options.",
            )
        if len(set(options)) != len(options):
            self.problem(item, "options", "an option is listed more than once.")
        comments = self.text(item, "comments", required=False)
        sources = self.text_list(item, "sources")
        if mandatory is None or autonomy is None or not number or not text:
            return None
        return BaselineData(
            identifier=identifier,
            number=number,
            text=text,
            weighting=weighting,
            mandatory=mandatory,
            autonomy=autonomy,
            options=options,
            comments=comments,
            sources=sources,
        )


def parse_edm(text: str, *, stages: Iterable[int], elements: Iterable[str]) -> EdmDocument:
    """Read and check an EDM file against the stage ladder and element catalogue given.

    Raises InvalidEdmFile listing every problem (line and key), so the author can fix them all
    at once."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_EDM_FILE_BYTES:
        raise InvalidEdmFile(
            [FileProblem(1, None, f"the file is larger than {size_text(MAX_EDM_FILE_BYTES)}.")]
        )
    if not text.strip():
        raise InvalidEdmFile([FileProblem(1, None, "the file is empty.")])
    data, problems = _read_yaml(text)
    if problems and data is None:
        raise InvalidEdmFile(problems)
    checker = _Checker(stages, elements)
    checker.problems.extend(problems)
    document = checker.document(data)
    if checker.problems:
        raise InvalidEdmFile(sorted(checker.problems, key=lambda p: p.line))
    return document


def check_edm_data(
    data: dict[str, Any],
    *,
    stages: Iterable[int],
    elements: Iterable[str],
    complete: bool = True,
    edited: tuple | None = None,
) -> EdmDocument:
    """Check content given as the file's keys (the shape `document_to_data` gives) by exactly
    the rules a file is checked by: how a draft built in the service is checked.

    `complete=False` allows a draft with no areas yet or an area with no baselines yet.
    `edited` names the part being changed (see FileProblem.where), so that a number used twice
    is reported against it rather than against the part that already had it. Raises
    InvalidEdmFile whose problems carry `where` instead of lines."""
    top = _as_mapping(data, (), edited)
    areas = data.get("areas")
    if isinstance(areas, list):
        top["areas"] = []
        for i, area in enumerate(areas):
            area = _as_mapping(area, ("area", i), edited)
            if isinstance(area.get("baselines"), list):
                area["baselines"] = [
                    _as_mapping(baseline, ("baseline", i, j), edited)
                    for j, baseline in enumerate(area["baselines"])
                ]
            top["areas"].append(area)
    checker = _Checker(stages, elements, complete=complete)
    document = checker.document(top)
    if checker.problems:
        raise InvalidEdmFile(checker.problems)
    return document


def _as_mapping(value: Any, where: tuple, edited: tuple | None) -> Any:
    if not isinstance(value, dict):
        return value
    mapping = _Mapping(value)
    mapping.line, mapping.key_lines = 0, {}
    mapping.where, mapping.edited = where, where == edited
    return mapping


# --- Writing ----------------------------------------------------------------------------------


def document_to_data(document: EdmDocument) -> dict[str, Any]:
    """The content of a document, as the file's keys; what a round trip must keep equal."""
    data: dict[str, Any] = {
        "number": document.number,
        "title": document.title,
        "version": document.version,
        "issued": document.issued,
        "stage": document.stage,
        "element": document.element,
        "applies_to": _FlowList(document.applies_to),
    }
    if document.introduction:
        data["introduction"] = document.introduction
    data["areas"] = [
        {
            "number": area.number,
            "title": area.title,
            "baselines": [baseline_to_data(b) for b in area.baselines],
        }
        for area in document.areas
    ]
    return data


def baseline_to_data(baseline: BaselineData) -> dict[str, Any]:
    data: dict[str, Any] = {"number": baseline.number}
    if baseline.identifier != baseline.number:
        data["id"] = baseline.identifier
    data["text"] = baseline.text
    if baseline.weighting is not None:
        data["weighting"] = baseline.weighting
    data["mandatory"] = baseline.mandatory
    data["autonomy"] = baseline.autonomy
    if baseline.options:
        data["options"] = list(baseline.options)
    if baseline.comments:
        data["comments"] = baseline.comments
    if baseline.sources:
        data["sources"] = list(baseline.sources)
    return data


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False):
        # Indent list items under their key, as people write them.
        return super().increase_indent(flow, False)


class _FlowList(list):
    """A short list written on one line: applies_to: [ycs_yoi, stc, sch]."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 72 and value == value.strip() and "  " not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _represent_flow_list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def to_yaml(data: dict[str, Any]) -> str:
    """The file for `data` (as `document_to_data` gives it)."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
