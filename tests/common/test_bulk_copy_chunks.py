"""insert_rows hands COPY its CSV in chunks made as they are read: read in chunks of any size, it is
the CSV of every row, each once and in order."""

import pytest

from common.bulk import _csv_line, _LineReader

ROWS = [(i, f'dòng "{i}"', None if i % 3 else "", i % 2 == 0) for i in range(500)]
WHOLE = "".join(_csv_line(row) for row in ROWS)


@pytest.mark.parametrize("size", [1, 7, 100, 4096, 1 << 16])
def test_chunks_of_any_size_join_to_the_csv_of_every_row(size):
    reader = _LineReader(map(_csv_line, ROWS))

    chunks = list(iter(lambda: reader.read(size), ""))

    assert "".join(chunks) == WHOLE
    assert all(len(chunk) == size for chunk in chunks[:-1])


def test_a_read_without_a_size_gives_what_is_left():
    reader = _LineReader(map(_csv_line, ROWS))

    first = reader.read(10)

    assert first + reader.read() == WHOLE
    assert reader.read() == ""
