"""Parsing in worker processes: results in the order given, refusals intact, workers only when they pay."""

from __future__ import annotations

from pathlib import Path

from iwfdb.errors import ParseError
from iwfdb.records import ParsedFile
from iwfdb.store.parallel import WORKERS_FROM, ParsePipeline

SEED = (Path(__file__).parents[1] / "seeds" / "000_ca4268db049531f8.txt").read_bytes()


def run(pipeline: ParsePipeline, files: list[tuple[bytes, str]]) -> list[tuple[int, object]]:
    done = []
    try:
        for number, (data, source) in enumerate(files):
            pipeline.submit(number, data, source)
            done += pipeline.ready()
        done += pipeline.drain()
        return done
    finally:
        pipeline.close()


def test_many_files_are_parsed_by_workers_and_come_back_in_order():
    files = [(b"" if n % 50 == 7 else SEED, f"file{n}.txt") for n in range(WORKERS_FROM + 40)]
    pipeline = ParsePipeline(workers=2)
    done = run(pipeline, files)
    assert [number for number, _ in done] == list(range(len(files)))
    for (number, outcome), (_, source) in zip(done, files):
        if number % 50 == 7:  # a refusal travels back whole: message, file, line and column
            assert isinstance(outcome, ParseError) and str(outcome).startswith(f"{source}:1:1: empty file")
        else:
            assert isinstance(outcome, ParsedFile) and outcome.source == source
            assert outcome.statement.title == "IWF's work with industry and social networks"


def test_a_few_files_are_parsed_in_this_process():
    pipeline = ParsePipeline(workers=2)
    done = []
    for number in range(WORKERS_FROM - 1):
        pipeline.submit(number, SEED, f"{number}.txt")
        done += pipeline.ready()
    assert pipeline.pool is None  # below the threshold nothing is started
    done += pipeline.drain()
    assert pipeline.pool is None and len(done) == WORKERS_FROM - 1
