"""The decision log for inspectors as a spreadsheet: the verification result first, then every
recorded entry with its hashes (so the chain can be checked outside the service)."""

from recovery.core.xlsx import Sheet


def verification_text(chain) -> str:
    if chain is None or (chain.intact and chain.entries == 0):
        return "No entries have been recorded: there is no chain to verify."
    if chain.intact:
        return (
            f"Chain verified: all {chain.entries} entries intact (every hash recomputed, "
            "every link and the end of the log checked)."
        )
    return f"CHAIN BROKEN: {chain.problem}"


def log_sheets(context: dict) -> list[Sheet]:
    establishment, chain = context["establishment"], context["chain"]
    checked = context["generated_at"]
    summary = Sheet(
        "Verification",
        ["Decision log", "Code", "Entries", "Verification", "Checked at", "Exported by"],
        [
            [
                establishment.name,
                establishment.code,
                chain.entries if chain else 0,
                verification_text(chain),
                checked,
                context["exported_by"],
            ]
        ],
    )
    entries = Sheet(
        "Entries",
        [
            "Entry",
            "Status",
            "Title",
            "Decision",
            "Rationale",
            "Options considered",
            "Risks accepted",
            "Concerns",
            "Decided by",
            "Decided on",
            "Supersedes",
            "Recorded at",
            "Recorded by",
            "Previous hash",
            "Hash",
        ],
        [
            [
                row.entry.sequence,
                row.status_label,
                row.entry.title,
                row.entry.decision,
                row.entry.rationale,
                row.entry.options_considered,
                row.entry.risks_accepted,
                row.entry.concerns_label,
                row.entry.decided_by_name,
                row.entry.decided_on,
                f"#{row.entry.supersedes.sequence}" if row.entry.supersedes_id else "",
                row.entry.recorded_at,
                row.entry.recorded_by_name,
                row.entry.previous_hash,
                row.entry.hash,
            ]
            for row in context["entries"]
        ],
    )
    return [summary, entries]
