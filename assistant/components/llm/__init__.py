"""LLM backends behind one small interface: `Model.execute(prompt)` yields text chunks."""

from assistant.components.llm.base import Model, Prompt, Usage
from assistant.components.llm.factory import get_model

__all__ = ["Model", "Prompt", "Usage", "get_model"]
