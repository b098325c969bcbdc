"""What a test compares before and after: every table's row count and checksum, every uploaded file's hash."""

from pathlib import Path

from django.conf import settings

from hayat.backup import archive, tables


def database_snapshot() -> dict[str, tuple[int, str]]:
    snapshot = {}
    for model in tables.archived_models():
        checksum = tables.table_checksum(model)
        snapshot[model._meta.label_lower] = (checksum.rows, checksum.hexdigest)
    return snapshot


def media_snapshot() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {path.relative_to(root).as_posix(): archive.file_sha256(path) for path in archive.media_files(root)}


def flip_one_byte(path: Path, member_prefix: str = "tables/") -> str:
    """Flips a byte in the middle of the stored data of the largest member under `member_prefix`."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        info = max((item for item in source.infolist() if item.filename.startswith(member_prefix)),
                   key=lambda item: item.compress_size)
    with path.open("r+b") as stream:
        stream.seek(info.header_offset + 26)
        name_length, extra_length = int.from_bytes(stream.read(2), "little"), int.from_bytes(stream.read(2), "little")
        position = info.header_offset + 30 + name_length + extra_length + info.compress_size // 2
        stream.seek(position)
        byte = stream.read(1)[0]
        stream.seek(position)
        stream.write(bytes([byte ^ 0x01]))
    return info.filename
