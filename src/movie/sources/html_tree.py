"""A saved HTML page as a small element tree, built with the standard library's html.parser.

Browsers' pages are forgiving HTML (unclosed tags, stray end tags, custom elements), so the tree
follows the way browsers mend them closely enough to read text: an end tag closes up to its open
element, and one with no open element is ignored. While parsing, elements are indexed by tag,
id, class, data-qa and slot, so that finding one is a lookup rather than a walk of the page.

A leaf: imports nothing of movie's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser

VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose text is never shown; script text is kept only for structured data.
HIDDEN = frozenset({"script", "style", "template", "noscript", "svg"})
INDEXED = ("id", "data-qa", "slot")
# A real saved page has some thousands of elements (a 400 KB one, 6,000); a page with more than
# this is no saved movie page, and would cost memory and time for nothing.
MAX_ELEMENTS = 300_000


class TooManyElements(Exception):
    """The page has more than MAX_ELEMENTS elements."""


# A suffix the site gave its custom elements for a while; such an element is also found by the
# name without it.
DEPRECATED = "-deprecated"


class Element:
    __slots__ = ("attrs", "children", "parent", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], parent: Element | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[Element | str] = []
        self.parent = parent

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    def walk(self) -> Iterator[Element]:
        """Every element below this one, in document order (without recursion: pages nest
        deeper than Python's stack)."""
        stack: list[Iterator[Element | str]] = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, Element):
                    yield child
                    stack.append(iter(child.children))
                    break
            else:
                stack.pop()

    def find_all(
        self,
        tag: str | None = None,
        cls: str | None = None,
        **attrs: str | None,
    ) -> Iterator[Element]:
        """Elements below this one with this tag, class and attributes (an attribute given as
        None need only be present; a name's _ stands for -)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        for element in self.walk():
            if tag is not None and element.tag != tag:
                continue
            if cls is not None and cls not in element.classes:
                continue
            if all(
                element.attrs.get(name) == value if value is not None else name in element.attrs
                for name, value in wanted.items()
            ):
                yield element

    def find(
        self, tag: str | None = None, cls: str | None = None, **attrs: str | None
    ) -> Element | None:
        return next(self.find_all(tag, cls, **attrs), None)

    def raw_text(self) -> str:
        parts: list[str] = []
        stack: list[Iterator[Element | str]] = [iter(self.children)]
        while stack:
            for child in stack[-1]:
                if isinstance(child, str):
                    parts.append(child)
                elif child.tag == "br":
                    parts.append(" ")
                elif child.tag not in HIDDEN:
                    stack.append(iter(child.children))
                    break
            else:
                stack.pop()
        return "".join(parts)

    def text(self) -> str:
        """The text shown, whitespace (no-break spaces too) collapsed to single spaces."""
        return " ".join(self.raw_text().split())

    def own_text(self) -> str:
        """Text directly inside this element, not inside its children."""
        return " ".join("".join(c for c in self.children if isinstance(c, str)).split())

    def ancestors(self) -> Iterator[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class Document(Element):
    """The page's root, with its indexes."""

    __slots__ = ("comments", "index")

    def __init__(self) -> None:
        super().__init__("#document", {}, None)
        self.index: dict[tuple[str, str], list[Element]] = {}
        self.comments: list[str] = []

    def by(self, kind: str, value: str) -> list[Element]:
        """Elements by "tag", "class", "id", "data-qa" or "slot", in document order."""
        return self.index.get((kind, value), [])

    def first(self, kind: str, value: str) -> Element | None:
        found = self.by(kind, value)
        return found[0] if found else None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.document = Document()
        self.open: list[Element] = [self.document]
        self.opened: dict[str, int] = {}  # open elements by tag: an end tag with none is O(1)
        self.elements = 0
        self.closed = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise TooManyElements
        values = {name: value or "" for name, value in attrs}
        element = Element(tag, values, self.open[-1])
        self.open[-1].children.append(element)
        index = self.document.index
        index.setdefault(("tag", tag), []).append(element)
        if tag.endswith(DEPRECATED):  # 2022-2023 pages renamed score-board score-board-deprecated
            index.setdefault(("tag", tag[: -len(DEPRECATED)]), []).append(element)
        for name in INDEXED:
            if name in values:
                index.setdefault((name, values[name]), []).append(element)
        for token in values.get("class", "").split():
            index.setdefault(("class", token), []).append(element)
        if tag not in VOID:
            self.open.append(element)
            self.opened[tag] = self.opened.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.opened[tag] -= 1
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "html":
            self.closed = True
        if not self.opened.get(tag):
            return  # nothing to close: ignored, without a look down the open stack
        depth = len(self.open) - 1
        while self.open[depth].tag != tag:  # every element passed is closed: linear overall
            depth -= 1
        for element in self.open[depth:]:
            self.opened[element.tag] -= 1
        del self.open[depth:]

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)

    def handle_comment(self, data: str) -> None:
        if len(self.document.comments) < 8:
            self.document.comments.append(data)


def parse_html(text: str) -> tuple[Document, bool]:
    """The page's tree, and whether it ended properly (its </html> was reached). Raises
    TooManyElements past MAX_ELEMENTS (at once: the rest is not read)."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.document, builder.closed


def leaves(boxes: list[Element]) -> list[Element]:
    """The boxes (of one kind: cast items, review cards) that hold no other box of the list, in
    their order: a box nested in another is read on its own, and the outer one, which would
    make every search walk the inner ones again (quadratic for nested boxes), is passed over.
    Linear: each element above a box is visited once, its nearest box remembered."""
    ids = {id(box) for box in boxes}
    nearest: dict[int, Element | None] = {}  # an element -> the nearest box above it
    holding: set[int] = set()
    for box in boxes:
        node, passed = box.parent, []
        while node is not None and id(node) not in ids and id(node) not in nearest:
            passed.append(node)
            node = node.parent
        found = None if node is None else node if id(node) in ids else nearest[id(node)]
        for element in passed:
            nearest[id(element)] = found
        if found is not None:
            holding.add(id(found))
    return [box for box in boxes if id(box) not in holding]


def inside(elements: list[Element], containers: list[Element]) -> list[bool]:
    """For each element, whether one of the containers is above it (linear, as leaves)."""
    ids = {id(c) for c in containers}
    known: dict[int, bool] = {}
    answers = []
    for element in elements:
        node, passed = element.parent, []
        while node is not None and id(node) not in ids and id(node) not in known:
            passed.append(node)
            node = node.parent
        answer = node is not None and (id(node) in ids or known[id(node)])
        for above in passed:
            known[id(above)] = answer
        answers.append(answer)
    return answers
