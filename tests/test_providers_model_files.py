"""Assembling a GGUF from part packages: checksums, missing parts, damaged caches, no partial files."""
from __future__ import annotations

import hashlib
import os

import pytest

from assistant.providers import model_files
from assistant.providers.errors import ModelUnavailable
from assistant.providers.model_files import PackagedModel, check_gguf, ensure_packaged_model, part_paths

PARTS = [b"GGUF" + b"a" * 3000, b"b" * 5000, b"c" * 123]
WHOLE = b"".join(PARTS)


@pytest.fixture
def packages(tmp_path, monkeypatch):
    """Installs fake part packages ``fakemodel_part1..3`` on sys.path; returns their root."""
    root = tmp_path / "site"
    for n, data in enumerate(PARTS, start=1):
        pkg = root / f"fakemodel_part{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(root))
    return root


def spec(**changes) -> PackagedModel:
    values = dict(filename="fake.gguf", package_prefix="fakemodel-part", version="1.0", parts=3,
                  size=len(WHOLE), sha256=hashlib.sha256(WHOLE).hexdigest())
    values.update(changes)
    return PackagedModel(**values)


def test_assembles_in_order_and_writes_a_marker(packages, tmp_path):
    cache = tmp_path / "models"
    path = ensure_packaged_model(spec(), cache)
    assert path == cache / "fake.gguf"
    assert path.read_bytes() == WHOLE
    assert (cache / "fake.gguf.sha256").read_text().strip() == hashlib.sha256(WHOLE).hexdigest()
    assert sorted(p.name for p in cache.iterdir()) == ["fake.gguf", "fake.gguf.sha256"]


def test_later_loads_trust_size_and_marker_without_the_parts(packages, tmp_path):
    cache = tmp_path / "models"
    ensure_packaged_model(spec(), cache)
    for n in (1, 2, 3):
        (packages / f"fakemodel_part{n}" / "data" / f"part{n:02d}.bin").unlink()
    assert ensure_packaged_model(spec(), cache).read_bytes() == WHOLE


def test_checksum_mismatch_leaves_nothing_behind(packages, tmp_path):
    cache = tmp_path / "models"
    wrong = "0" * 64
    with pytest.raises(ModelUnavailable) as info:
        ensure_packaged_model(spec(sha256=wrong), cache)
    assert str(info.value) == (
        f"The installed parts of fake.gguf assemble to sha256 {hashlib.sha256(WHOLE).hexdigest()}, expected {wrong}. "
        "Reinstall them: pip install --force-reinstall fakemodel-part{1..3}==1.0"
    )
    assert list(cache.iterdir()) == []


def test_parts_of_the_wrong_total_size_are_refused_before_copying(packages, tmp_path):
    cache = tmp_path / "models"
    with pytest.raises(ModelUnavailable, match=r"add up to 8,127 bytes, not 9,000\. Reinstall them"):
        ensure_packaged_model(spec(size=9000), cache)
    assert not cache.exists()


def test_missing_parts_are_named_with_the_pip_command(packages, tmp_path):
    (packages / "fakemodel_part2" / "data" / "part02.bin").unlink()
    with pytest.raises(ModelUnavailable) as info:
        part_paths(spec(parts=4))
    assert str(info.value) == (
        "The model fake.gguf needs 2 package(s) that are not installed (fakemodel-part2, fakemodel-part4). "
        "Install them with: pip install fakemodel-part{1..4}==1.0"
    )
    with pytest.raises(ModelUnavailable):
        ensure_packaged_model(spec(parts=4), tmp_path / "models")
    assert not (tmp_path / "models" / "fake.gguf").exists()


def test_a_failed_write_leaves_no_partial_file(packages, tmp_path, monkeypatch):
    cache = tmp_path / "models"

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(model_files.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        ensure_packaged_model(spec(), cache)
    assert list(cache.iterdir()) == []


def test_a_truncated_cache_file_is_reported(packages, tmp_path):
    cache = tmp_path / "models"
    cache.mkdir()
    (cache / "fake.gguf").write_bytes(WHOLE[:100])
    with pytest.raises(ModelUnavailable) as info:
        ensure_packaged_model(spec(), cache)
    assert str(info.value) == (
        f"The cached model {cache / 'fake.gguf'} is 100 bytes instead of 8,127: it is damaged. "
        "Delete it and rerun to rebuild it from the installed packages."
    )


def test_a_cache_file_without_marker_is_hashed_once(packages, tmp_path):
    cache = tmp_path / "models"
    cache.mkdir()
    corrupt = bytearray(WHOLE)
    corrupt[5000] ^= 0xFF
    (cache / "fake.gguf").write_bytes(bytes(corrupt))
    with pytest.raises(ModelUnavailable, match=r"has sha256 [0-9a-f]{64}, expected .*Delete it and rerun"):
        ensure_packaged_model(spec(), cache)
    assert not (cache / "fake.gguf.sha256").exists()

    (cache / "fake.gguf").write_bytes(WHOLE)
    ensure_packaged_model(spec(), cache)
    assert (cache / "fake.gguf.sha256").read_text().strip() == spec().sha256


def test_check_gguf(tmp_path):
    good = tmp_path / "m.gguf"
    good.write_bytes(b"GGUF\x03\x00")
    assert check_gguf(good) == good
    bad = tmp_path / "m.bin"
    bad.write_bytes(b"PK\x03\x04zip")
    with pytest.raises(ModelUnavailable, match=r"is not a GGUF model file \(it starts with b'PK\\x03\\x04'"):
        check_gguf(bad)
    with pytest.raises(ModelUnavailable, match="No model file at .*nope.gguf: fix COACH_LOCAL_MODEL_PATH"):
        check_gguf(tmp_path / "nope.gguf")


def test_pinned_models_match_their_installed_parts():
    """The pins describe what is installed: sizes add up (hashes are checked by the model test)."""
    for name, model in model_files.PACKAGED_MODELS.items():
        paths = part_paths(model)
        assert len(paths) == model.parts, name
        assert sum(os.path.getsize(p) for p in paths) == model.size, name
