"""I/O: part writers per format, the output layout and reading tables back."""

from datasynth.sinks.base import FileInfo, PartWriter
from datasynth.sinks.layout import MANIFEST, STATE_DIR, part_path, table_dir
from datasynth.sinks.memory import MemoryStore
from datasynth.sinks.reader import read_part, read_parts
from datasynth.sinks.spec import SinkSpec

__all__ = ["MANIFEST", "STATE_DIR", "FileInfo", "MemoryStore", "PartWriter", "SinkSpec",
           "part_path", "read_part", "read_parts", "table_dir"]
