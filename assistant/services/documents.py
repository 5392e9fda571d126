"""Turn knowledge notes and user documents into citable, token-sized chunks."""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assistant.errors import BadInput

log = logging.getLogger(__name__)

WORKFLOWS = ("clarify", "outreach", "rehearse", "prepare")
CHUNK_TOKENS = 180
CHUNK_OVERLAP = 30
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")


@dataclass
class Note:
    """A Markdown document with its front matter."""

    id: str
    title: str
    body: str
    source: str  # path relative to the repo (or the uploaded file's name)
    topics: list[str] = field(default_factory=list)
    workflows: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class Chunk:
    """A passage small enough to embed and to quote, with what a citation needs."""

    id: str
    text: str
    note_id: str
    title: str
    section: str
    source: str
    workflows: list[str]
    topics: list[str] = field(default_factory=list)
    summary: str = ""

    def metadata(self) -> dict[str, str | bool | int]:
        meta: dict[str, str | bool | int] = {
            "note_id": self.note_id,
            "title": self.title,
            "section": self.section,
            "source": self.source,
            "workflows": ",".join(self.workflows),
            "topics": ", ".join(self.topics),
            "summary": self.summary,
        }
        meta.update({f"wf_{w}": w in self.workflows for w in WORKFLOWS})
        return meta

    def embedding_text(self) -> str:
        """What gets embedded and indexed: title, section and topics give the passage context."""
        return indexed_text(self.metadata(), self.text)


def indexed_text(meta: dict, text: str) -> str:
    """The text embedded and BM25-indexed for a chunk, rebuilt the same way from its metadata."""
    title, section = meta.get("title", ""), meta.get("section", "")
    heading = title if section in ("", title) else f"{title} — {section}"
    lines = [heading]
    if meta.get("topics"):
        lines.append(f"Topics: {meta['topics']}")
    if meta.get("summary") and meta["summary"] not in text:
        lines.append(meta["summary"])
    lines.append(text)
    return "\n".join(lines)


def parse_note(text: str, source: str) -> Note:
    """Parse a knowledge note: YAML front matter (id, title, topics, workflows, sources) + Markdown."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise BadInput(
            f"{source}: no front matter.",
            fix="start the note with a --- block holding id and title",
        )
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise BadInput(f"{source}: front matter is not valid YAML ({exc}).") from exc
    missing = [key for key in ("id", "title") if not meta.get(key)]
    if missing:
        raise BadInput(f"{source}: front matter lacks {', '.join(missing)}.")
    workflows = [str(w) for w in meta.get("workflows") or []]
    unknown = sorted(set(workflows) - set(WORKFLOWS))
    if unknown:
        raise BadInput(f"{source}: unknown workflows {unknown}; use {list(WORKFLOWS)}.")
    return Note(
        id=str(meta["id"]),
        title=str(meta["title"]),
        body=text[match.end() :],
        source=source,
        topics=[str(t) for t in meta.get("topics") or []],
        workflows=workflows,
        sources=[str(s) for s in meta.get("sources") or []],
    )


def plain_document(text: str, name: str) -> Note:
    """A user document without front matter: its first heading (or the file name) is the title."""
    title = next(
        (m.group(2) for line in text.splitlines() if (m := _HEADING.match(line))), Path(name).stem
    )
    return Note(id=f"doc:{name}", title=title, body=text, source=name, workflows=list(WORKFLOWS))


def _sections(body: str, title: str) -> list[tuple[str, str]]:
    """Split Markdown by headings into (section title, text); text before any heading is the intro."""
    sections: list[tuple[str, list[str]]] = [(title, [])]
    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            level, heading = len(match.group(1)), match.group(2)
            if level == 1 and not sections[-1][1]:
                sections[-1] = (heading if heading != title else title, [])
                continue
            sections.append((heading, []))
        else:
            sections[-1][1].append(line)
    return [(name, "\n".join(lines).strip()) for name, lines in sections if "".join(lines).strip()]


def _split_tokens(text: str) -> list[str]:
    """Split one section into pieces of at most CHUNK_TOKENS tokens, on paragraph/line boundaries."""
    from assistant.components.tokens import count_tokens

    if count_tokens(text) <= CHUNK_TOKENS:
        return [text]
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.components.tokens import encoding

    encoding()  # seeds tiktoken's offline cache before LangChain asks for the encoding
    splitter = RecursiveCharacterTextSplitter.from_tiktoken_encoder(
        encoding_name="cl100k_base", chunk_size=CHUNK_TOKENS, chunk_overlap=CHUNK_OVERLAP
    )
    return splitter.split_text(text)


def _summary(sections: list[tuple[str, str]], title: str, words: int = 40) -> str:
    """The note's opening paragraph (at most `words` words): context for every chunk of it."""
    if not sections or sections[0][0] != title:
        return ""
    first = sections[0][1].split("\n\n")[0].split()
    return " ".join(first[:words]) + (" …" if len(first) > words else "")


def chunk_note(note: Note) -> list[Chunk]:
    """Chunks of a note, by heading, each at most CHUNK_TOKENS tokens, with content-hash IDs.

    Each chunk carries the note's title, topics and opening summary, so a "Do / Don't" list still
    says what it is about when it is embedded and searched on its own.
    """
    chunks = []
    sections = _sections(note.body, note.title)
    summary = _summary(sections, note.title)
    for section, text in sections:
        for piece in _split_tokens(text):
            key = f"{note.source}\n{note.title}\n{note.topics}\n{summary}\n{section}\n{piece}"
            digest = hashlib.sha256(key.encode()).hexdigest()
            chunks.append(
                Chunk(
                    id=digest[:32],
                    text=piece,
                    note_id=note.id,
                    title=note.title,
                    section=section,
                    source=note.source,
                    workflows=note.workflows,
                    topics=note.topics,
                    summary=summary,
                )
            )
    return chunks


KNOWLEDGE_LANGUAGE = "en"


def load_knowledge(directory: Path, root: Path) -> list[Note]:
    """Every note in `directory` (*.md), with sources relative to `root`; ids must be unique.
    The guidance is written in English: a sentence surely in another language is left out of
    the index (a note someone slipped a request into, in a language a reviewer may not read)."""
    notes, seen = [], {}
    for path in sorted(directory.glob("*.md")):
        note = parse_note(path.read_text(encoding="utf-8"), str(path.relative_to(root)))
        note.body = _in_knowledge_language(note.body, note.source)
        if note.id in seen:
            raise BadInput(f"{path}: id {note.id!r} is also used by {seen[note.id]}.")
        seen[note.id] = note.source
        notes.append(note)
    return notes


def _in_knowledge_language(body: str, source: str) -> str:
    from assistant.text.language import foreign_sentences

    for sentence in foreign_sentences(body, KNOWLEDGE_LANGUAGE):
        log.warning("%s: left out a sentence not in English: %.60s", source, sentence)
        body = body.replace(sentence, "")
    return body


MAX_UPLOAD_BYTES = 5 * 1024 * 1024
UPLOAD_TYPES = (".md", ".txt", ".pdf")


def too_large(name: str, size: int) -> BadInput:
    return BadInput(
        f"{name} is {size / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 2**20} MB.",
        fix="split the document or upload only the relevant part",
    )


def extract_text(name: str, data: bytes) -> str:
    """Text of an uploaded .md/.txt/.pdf file; a BadInput that says what is wrong otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        raise BadInput(
            f"{name}: {suffix or 'files without an extension'} cannot be added.",
            fix=f"upload one of {', '.join(UPLOAD_TYPES)}",
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large(name, len(data))
    if suffix == ".pdf":
        text = _pdf_text(name, data)
    else:
        if b"\x00" in data:
            raise BadInput(f"{name} looks like a binary file, not text.", fix="upload a text file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInput(
                f"{name} is not UTF-8 text (bad byte at position {exc.start}).",
                fix="save it as UTF-8 and upload it again",
            ) from exc
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    if not text.strip():
        raise BadInput(f"{name} has no text in it.", fix="upload a document that contains text")
    return text


def _pdf_text(name: str, data: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise BadInput(f"{name} is not a readable PDF ({exc}).", fix="re-export the PDF") from exc
    if not text.strip():
        raise BadInput(
            f"{name} has no extractable text (a scanned PDF?).",
            fix="upload a PDF with a text layer, or paste the text as a .txt file",
        )
    return text
