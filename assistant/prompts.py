"""Prompts live as files in `prompts/`, rendered strictly: a missing variable is an error."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from assistant.settings import REPO_ROOT

PROMPTS_DIR = REPO_ROOT / "prompts"
# planted in every system prompt as `{{ canary }}`; the output guard withholds any answer that
# carries it (the model was made to repeat its instructions)
CANARY = "MP-CANARY-7Q4X"


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PROMPTS_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    environment.globals["canary"] = CANARY
    environment.filters["fence"] = fence  # `{{ passage.text | fence }}` inside <data>…</data>
    return environment


def available() -> list[str]:
    """Names of every prompt file (without the .md extension)."""
    return sorted(p.stem for p in PROMPTS_DIR.glob("*.md"))


def render(name: str, /, **variables: object) -> str:
    """Render `prompts/<name>.md`; raises jinja2.UndefinedError if a variable is missing."""
    return _environment().get_template(f"{name}.md").render(**variables).strip()


def fence(text: str) -> str:
    """Make pasted or uploaded text safe to place inside <data>…</data> in a prompt.

    The text cannot close the fence early: any data tags inside it are neutralised.
    """
    import re

    return re.sub(r"</?\s*data\s*>", "[tag removed]", text or "", flags=re.IGNORECASE)


def chat(name: str, /, **variables: object) -> list[dict[str, str]]:
    """The two opening messages of a workflow step: `<name>_system` (no variables, so it is the
    same every time and stays in the KV cache) and `<name>_user` rendered with `variables`."""
    return [
        {"role": "system", "content": render(f"{name}_system")},
        {"role": "user", "content": render(f"{name}_user", **variables)},
    ]
