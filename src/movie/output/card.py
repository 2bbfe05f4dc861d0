"""The card: one screen about a movie, as a bordered card on a terminal, field<TAB>value lines
when piped, or an object with -f json. A part of output (which formats rows)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TextIO

from movie.output import (
    Format,
    Terminal,
    cut,
    display_width,
    json_default,
    visible_len,
    wrap_visible,
    write_rows,
)
from movie.results import Result


def _joined(values: Iterable[str]) -> str:
    return ", ".join(values)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def critics_summary(card: dict[str, Any]) -> str:
    critics = card["critics"]
    parts = []
    if critics["tomatometer"] is not None:
        parts.append(f"Tomatometer {critics['tomatometer']}%")
    if critics["reviews"] is not None:
        parts.append(_plural(critics["reviews"], "review"))
    if critics["top_critics"] is not None:
        parts.append(_plural(critics["top_critics"], "top critic"))
    parts.append(f"{critics['on_file']} on file")
    return ", ".join(parts)


def audience_summary(card: dict[str, Any]) -> str:
    audience = card["audience"]
    parts = []
    if audience["score"] is not None:
        parts.append(f"audience score {audience['score']}%")
    parts.append(f"{_plural(audience['on_file'], 'review')} on file")
    if audience["super_reviewers"]:
        parts.append(f"{audience['super_reviewers']} by super reviewers")
    return ", ".join(parts)


def _credit(member: dict[str, Any]) -> str:
    if member["character"]:
        return f"{member['actor']} as {member['character']}"
    return str(member["actor"])


def _quote_text(quote: dict[str, Any] | None) -> str:
    if not quote:
        return ""
    said = f"{quote['character']}: {quote['line']}" if quote["character"] else quote["line"]
    return f"{said} (submitted by {quote['submitted_by']})" if quote["submitted_by"] else said


def card_fields(card: dict[str, Any]) -> list[tuple[str, str]]:
    """The card as (field, value) pairs of text, in reading order; empty values kept."""
    rating = card["rating"] or ""
    if rating and card["rating_reason"]:
        rating = f"{rating} ({card['rating_reason']})"
    runtime = f"{card['runtime_minutes']} min" if card["runtime_minutes"] else ""
    fields = [
        ("title", card["title"]),
        ("year", "" if card["year"] is None else str(card["year"])),
        ("type", _title_type(card)),
        ("original_title", card["original_title"] or ""),
        ("also_known_as", _akas(card["akas"])),
        ("episode_of", _episode_of(card["series"])),
        ("seasons", _seasons(card)),
        ("imdb", _imdb(card)),
        ("rating", rating),
        ("genres", _joined(card["genres"])),
        ("directed_by", _joined(card["directors"])),
        ("written_by", _joined(card["writers"])),
        *((f"{role}_by", _joined(card["crew"].get(key, []))) for key, role in CREW_FIELDS),
        ("in_theaters", card["theatrical_release"] or ""),
        ("on_dvd", card["dvd_release"] or ""),
        ("streaming", card["streaming_release"] or ""),
        ("studio", card["studio"] or ""),
        ("runtime", runtime),
        ("consensus", card["consensus"] or ""),
        ("synopsis", card["synopsis"] or ""),
        ("synopsis_by", card["synopsis_by"] or ""),
    ]
    fields += [("cast", _credit(member)) for member in card["cast"]] or [("cast", "")]
    fields += [("ids", _ids(card)), ("yours", _yours(card.get("yours")))]
    fields += [
        ("critics", critics_summary(card)),
        ("audience", audience_summary(card)),
        ("quote", _quote_text(card["quote"])),
    ]
    return fields


# Each crew role the card shows, and the field that names it.
CREW_FIELDS = (
    ("producer", "produced"),
    ("composer", "music"),
    ("cinematographer", "cinematography"),
    ("editor", "edited"),
    ("casting_director", "casting"),
    ("production_designer", "production_design"),
)


def _yours(yours: dict[str, Any] | None) -> str:
    """Your films' part of the card in a line: "rated 9/10 on 2024-05-01; seen twice (last
    2024-05-01); on your watchlist; liked; 1 review"."""
    if not yours:
        return ""
    parts = []
    if yours["rating"] is not None:
        on = f" on {yours['rated_on']}" if yours["rated_on"] else ""
        parts.append(f"rated {yours['rating']:g}/10{on}")
    if seen := yours["viewings"]:
        times = {1: "once", 2: "twice"}.get(len(seen), f"{len(seen)} times")
        dated = [day for day in seen if day != "undated"]
        parts.append(f"seen {times}" + (f" (last {dated[0]})" if dated else ""))
    if yours["watchlist"]:
        parts.append("on your watchlist")
    if yours["liked"]:
        parts.append("liked")
    if yours["reviews"]:
        parts.append(_plural(len(yours["reviews"]), "review"))
    return "; ".join(parts)


def _ids(card: dict[str, Any]) -> str:
    """Every id the catalog has for the title: IMDb's, the slug, Rotten Tomatoes' link."""
    ids = (card["imdb_id"], card["slug"], card["rt_link"])
    return ", ".join(dict.fromkeys(str(i) for i in ids if i))  # (an IMDb title's slug is its id)


def _akas(count: int) -> str:
    if not count:
        return ""
    return f"{count:,} alternate title{'s' if count != 1 else ''} (movie akas)"


def _title_type(card: dict[str, Any]) -> str:
    kind = card["type"] or ""
    if kind and card["end_year"]:
        return f"{kind}, {card['year'] or '?'}-{card['end_year']}"
    return kind


def _episode_of(series: dict[str, Any] | None) -> str:
    if not series:
        return ""
    title = series["title"] or series["imdb_id"]
    title += f" ({series['year']})" if series["year"] else ""
    where = [f"season {series['season']}"] if series["season"] is not None else []
    where += [f"episode {series['episode']}"] if series["episode"] is not None else []
    return ", ".join([title, *where])


def _seasons(card: dict[str, Any]) -> str:
    if not card["episodes"]:
        return ""
    seasons = card["seasons"]
    in_seasons = f" in {seasons} season{'s' if seasons != 1 else ''}" if seasons else ""
    return f"{card['episodes']:,} episode{'s' if card['episodes'] != 1 else ''}{in_seasons}"


def _imdb(card: dict[str, Any]) -> str:
    if not card["imdb_id"]:
        return ""
    if card["imdb_rating"] is None:
        return str(card["imdb_id"])
    votes = f" from {card['imdb_votes']:,} votes" if card["imdb_votes"] else ""
    return f"{card['imdb_rating']:.1f}/10{votes} ({card['imdb_id']})"


LABELS = {
    "type": "Type",
    "original_title": "Original",
    "episode_of": "Episode of",
    "seasons": "Episodes",
    "imdb": "IMDb",
    "rating": "Rated",
    "genres": "Genres",
    "directed_by": "Directed by",
    "written_by": "Written by",
    "produced_by": "Produced by",
    "music_by": "Music by",
    "cinematography_by": "Photography",
    "edited_by": "Edited by",
    "casting_by": "Casting by",
    "production_design_by": "Designed by",
    "in_theaters": "In theaters",
    "on_dvd": "On DVD",
    "streaming": "Streaming",
    "studio": "Studio",
    "runtime": "Runtime",
    "ids": "Ids",
    "yours": "Yours",
}


def _boxed(lines: list[str], inner: int, term: Terminal) -> str:
    top = "╭" + "─" * (inner + 2) + "╮"
    bottom = "╰" + "─" * (inner + 2) + "╯"
    body = []
    for line in lines:
        if line == "---":
            body.append("├" + "─" * (inner + 2) + "┤")
            continue
        pad = inner - visible_len(line)
        body.append(f"│ {line}{' ' * max(pad, 0)} │")
    return "\n".join([top, *body, bottom]) + "\n"


def render_card(card: dict[str, Any], term: Terminal) -> str:
    """The bordered card for a terminal, wrapped to its width; empty fields are left out."""
    inner = min(term.width, 92) - 4
    heading = f"{card['title']} ({card['year']})" if card["year"] else card["title"]
    lines = [term.bold(part) for part in wrap_visible(heading, inner).split("\n")]
    values = dict(card_fields(card))
    labelled = [(LABELS[key], values[key]) for key in LABELS if values.get(key)]
    label_width = max(len(label) for label in LABELS.values()) + 2
    if labelled:
        lines.append("---")
    for label, value in labelled:
        wrapped = wrap_visible(value, inner - label_width).split("\n")
        lines.append(f"{label:<{label_width}}{wrapped[0]}")
        lines += [" " * label_width + more for more in wrapped[1:]]

    def section(title: str, text: str) -> None:
        if text:
            lines.append("---")
            lines.append(term.bold(title))
            for paragraph in text.split("\n"):
                lines.extend(wrap_visible(paragraph, inner).split("\n"))

    section("Critic consensus", card["consensus"] or "")
    by = f"\n~ {card['synopsis_by']}" if card["synopsis"] and card["synopsis_by"] else ""
    section("Synopsis", (card["synopsis"] or "") + by)
    if card["cast"]:
        lines.append("---")
        more = card["cast_count"] - len(card["cast"])
        lines.append(
            term.bold("Cast")
            + (f" (first {len(card['cast'])} of {card['cast_count']})" if more > 0 else "")
        )
        actor_width = max(display_width(m["actor"]) for m in card["cast"]) + 2
        for member in card["cast"]:
            character = member["character"] or ""
            pad = " " * (actor_width - display_width(member["actor"]))
            line = f"{member['actor']}{pad}{character}"
            lines.append(line if display_width(line) <= inner else cut(line, inner - 1)[0] + "…")
    section("Critics", critics_summary(card))
    section("Audience", audience_summary(card))
    section("Quote", _quote_text(card["quote"]))
    reviews = (card.get("yours") or {}).get("reviews") or []
    if reviews:
        written = f" ({reviews[0]['written']})" if reviews[0]["written"] else ""
        section(f"Your review{written}", reviews[0]["text"])
    return _boxed(lines, inner, term)


def _shown(value: Any, term: Terminal) -> Any:
    """The card's values as a terminal may show them (control characters escaped)."""
    if isinstance(value, str):
        return term.show(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dict):
        return {key: _shown(item, term) for key, item in value.items()}
    if isinstance(value, list):
        return [_shown(item, term) for item in value]
    return value


def write_card(
    card: dict[str, Any], fmt: Format, out: TextIO, term: Terminal, header: bool | None = None
) -> None:
    if fmt is Format.table:
        out.write(render_card(_shown(card, term), term))
        return
    if fmt in (Format.json, Format.jsonl):
        import json

        indent = 2 if fmt is Format.json else None
        out.write(json.dumps(card, ensure_ascii=False, indent=indent, default=json_default) + "\n")
        return
    result = Result(["field", "value"], card_fields(card))
    write_rows(result, fmt, out, term, header)
