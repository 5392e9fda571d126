import hashlib

import pytest

from assistant.components import model_files
from assistant.components.model_files import (
    ModelSpec,
    install_model,
    resolve_model_file,
    verify_model,
)
from assistant.errors import ModelNotReady


@pytest.fixture
def split_model(tmp_path, monkeypatch):
    """A fake 'model' split into three part files inside a fake site-packages."""
    site = tmp_path / "site"
    payload = b"GGUF" + bytes(range(256)) * 400
    pieces = [payload[:30000], payload[30000:70000], payload[70000:]]
    parts = []
    for i, piece in enumerate(pieces, 1):
        rel = f"fake_part{i}/data/part{i:02d}.bin"
        (site / rel).parent.mkdir(parents=True)
        (site / rel).write_bytes(piece)
        parts.append(rel)
    monkeypatch.syspath_prepend(str(site))
    return ModelSpec(
        name="fake",
        title="Fake",
        filename="fake.gguf",
        sha256=hashlib.sha256(payload).hexdigest(),
        size=len(payload),
        parts=tuple(parts),
        install_hint="make setup",
    )


def test_install_assembles_verifies_and_is_idempotent(split_model, tmp_path):
    seen = []
    path, changed = install_model(split_model, tmp_path / "models", seen.append)
    assert changed and path.stat().st_size == split_model.size
    assert sum(seen) == split_model.size  # progress covered every byte
    assert verify_model(split_model, tmp_path / "models") == path
    mtime = path.stat().st_mtime_ns
    path2, changed2 = install_model(split_model, tmp_path / "models")
    assert (path2, changed2) == (path, False)
    assert path.stat().st_mtime_ns == mtime


def test_corrupt_file_is_detected_and_reinstalled(split_model, tmp_path):
    path, _ = install_model(split_model, tmp_path / "models")
    data = bytearray(path.read_bytes())
    data[100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelNotReady) as info:
        verify_model(split_model, tmp_path / "models")
    assert "corrupt" in info.value.message and "make setup" in info.value.fix
    _, changed = install_model(split_model, tmp_path / "models")  # stamp no longer matches
    assert changed
    verify_model(split_model, tmp_path / "models")


def test_missing_parts_name_the_fixing_command(split_model, tmp_path):
    spec = ModelSpec(**{**split_model.__dict__, "parts": ("nowhere/part01.bin",)})
    with pytest.raises(ModelNotReady) as info:
        install_model(spec, tmp_path / "models")
    assert info.value.fix == "make setup"


def test_wrong_checksum_is_refused(split_model, tmp_path):
    spec = ModelSpec(**{**split_model.__dict__, "sha256": "0" * 64})
    with pytest.raises(ModelNotReady, match="sha256"):
        install_model(spec, tmp_path / "models")
    assert not (tmp_path / "models" / "fake.gguf").exists()


def test_missing_model_error_says_how_to_fix(tmp_path):
    with pytest.raises(ModelNotReady) as info:
        resolve_model_file("default", tmp_path)
    assert "make setup" in info.value.fix


def test_a_file_that_is_not_gguf_is_rejected(tmp_path):
    bogus = tmp_path / "model.gguf"
    bogus.write_text("not a model")
    with pytest.raises(ModelNotReady, match="not a GGUF"):
        resolve_model_file(str(bogus), tmp_path)


def test_registry_pins_published_checksums():
    assert model_files.MODELS["default"].size == 1_117_320_768
    assert len(model_files.MODELS["default"].parts) == 22
    assert model_files.MODELS["small"].sha256.startswith("b179c952")
