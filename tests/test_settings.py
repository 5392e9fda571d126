from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.cli import main
from assistant.settings import Settings


def test_every_field_is_described():
    for name, field in Settings.model_fields.items():
        assert field.description, f"settings field {name} has no description"


def test_env_prefix_and_openai_variables(monkeypatch):
    monkeypatch.setenv("MENTORPREP_BACKEND", "openai")
    monkeypatch.setenv("MENTORPREP_TEMPERATURE", "0.7")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    settings = Settings()
    assert settings.backend == "openai"
    assert settings.temperature == 0.7
    assert settings.openai_base_url == "http://127.0.0.1:9/v1"
    assert settings.openai_api_key == "sk-test"


def test_dotenv_file_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path(".env").write_text("MENTORPREP_MODEL=small\nMENTORPREP_MAX_TOKENS=77\n")
    settings = Settings()
    assert (settings.model, settings.max_tokens) == ("small", 77)


def test_models_dir_defaults_to_home(monkeypatch, tmp_path):
    monkeypatch.delenv("MENTORPREP_MODELS_DIR")
    monkeypatch.setenv("MENTORPREP_HOME", str(tmp_path))
    assert Settings().models_dir == tmp_path.resolve() / "models"


def test_bad_value_is_a_validation_error(monkeypatch):
    monkeypatch.setenv("MENTORPREP_BACKEND", "gpt-9")
    with pytest.raises(ValidationError):
        Settings()


def test_malformed_env_value_gives_a_clear_cli_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path(".env").write_text("MENTORPREP_TEMPERATURE=warm\n")
    assert main(["models", "list"]) == 2
    err = capsys.readouterr().err
    assert "MENTORPREP_TEMPERATURE" in err and "To fix" in err


def test_every_setting_is_documented_in_the_readme():
    from assistant.settings import REPO_ROOT, Settings

    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    renamed = {"models_dir_override": "MENTORPREP_MODELS_DIR"}
    for name in Settings.model_fields:
        variable = renamed.get(name, f"MENTORPREP_{name.upper()}")
        assert f"`{variable}" in readme or f"or {variable})" in readme, variable
