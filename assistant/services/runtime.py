"""What the web app starts from: the model its settings name and its logins. The UI reaches
the components through here only."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.components.llm import Model
    from assistant.components.passwords import Logins
    from assistant.settings import Settings


def model(settings: Settings) -> Model:
    """The model of the settings (loaded on first use, then shared)."""
    from assistant.components.llm import get_model

    return get_model(settings)


def logins(settings: Settings) -> Logins | None:
    """The web app's logins from the settings' credentials; None when there are none."""
    from assistant.components.passwords import Logins

    entries = settings.credentials()
    return Logins(entries) if entries else None
