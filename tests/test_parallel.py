"""Parsing in worker processes: results in the order given, refusals intact, workers only when they pay,
and workers that stop when told, ignore Ctrl-C and are missed when killed."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import poison
import pytest

from iwfdb.errors import ParseError
from iwfdb.records import ParsedFile
from iwfdb.store import parallel
from iwfdb.store.parallel import (
    CHUNK_FILES,
    CLOSE_SECONDS,
    FORK_FROM_FILES,
    WORKERS_FROM,
    ParsePipeline,
    WorkerLost,
)

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
            parsed, keys = outcome  # with the keys its statement is filed under, made beside the parse
            assert isinstance(parsed, ParsedFile) and parsed.source == source
            assert parsed.statement.title == "IWF's work with industry and social networks"
            assert keys.match_key == "iwf's work with industry and social networks|2017-03-07"
            assert keys.people == {"susie hargreaves": "Susie Hargreaves", "emma hardy": "Emma Hardy"}


def test_a_few_files_are_parsed_in_this_process():
    pipeline = ParsePipeline(workers=2)
    done = []
    for number in range(WORKERS_FROM - 1):
        pipeline.submit(number, SEED, f"{number}.txt")
        done += pipeline.ready()
    assert pipeline.workers == []  # below the threshold nothing is started
    done += pipeline.drain()
    assert pipeline.workers == [] and len(done) == WORKERS_FROM - 1


def started(pipeline: ParsePipeline, files: int = WORKERS_FROM) -> list:
    """A pipeline whose workers have their first chunks; the outcomes taken so far."""
    done = []
    for number in range(files):
        pipeline.submit(number, SEED, f"{number}.txt")
        done += pipeline.ready()
    assert len(pipeline.workers) == 2
    return done


def test_workers_set_ctrl_c_aside_and_leave_when_closed():
    pipeline = ParsePipeline(workers=2)
    try:
        done = started(pipeline)
        for worker in pipeline.workers:  # a terminal's Ctrl-C reaches every process of its group
            os.kill(worker.process.pid, signal.SIGINT)
        done += pipeline.drain()
        assert [number for number, _ in done] == list(range(WORKERS_FROM))
        processes = [worker.process for worker in pipeline.workers]
    finally:
        pipeline.close()
    assert all(process.exitcode == 0 for process in processes)


def test_a_worker_killed_from_outside_loses_no_file():
    """The out-of-memory killer or a kill by hand: its chunks are parsed again, by fresh workers."""
    pipeline = ParsePipeline(workers=2)
    try:
        done = started(pipeline)
        pipeline.workers[0].process.kill()
        done += pipeline.drain()
    finally:
        pipeline.close()
    assert [number for number, _ in done] == list(range(WORKERS_FROM))
    assert all(isinstance(outcome.parsed, ParsedFile) for _, outcome in done)


def poisoned(number: int) -> bytes:
    """A few files kill the worker that parses it (two in one chunk), a few raise RecursionError."""
    return b"POISON kill" if number in (5, 9, 150, 290) else b"POISON raise RecursionError" if number in (3, 200) \
        else SEED  # fmt: skip


def test_a_file_that_kills_its_worker_fails_alone_and_the_others_are_parsed(monkeypatch):
    monkeypatch.setattr(ParsePipeline, "worker_parse", staticmethod(poison.parse_or_die))
    files = [(poisoned(number), f"file{number}.txt") for number in range(WORKERS_FROM + 64)]
    done = run(ParsePipeline(workers=2), files)
    assert [number for number, _ in done] == list(range(len(files)))
    for number, outcome in done:
        if poisoned(number) == SEED:
            assert outcome.parsed.statement.title == "IWF's work with industry and social networks"
            continue
        assert isinstance(outcome, ParseError) and outcome.line is None
        if poisoned(number) == b"POISON kill":  # named with a true reason: how its process ended
            assert str(outcome).startswith(f"file{number}.txt: iwfdb's parser failed on this file (its parsing "
                                           "process ended: killed by SIGKILL)")  # fmt: skip
        else:
            assert str(outcome).startswith(f"file{number}.txt: iwfdb's parser failed on this file (RecursionError: "
                                           "poisoned on purpose)")  # fmt: skip


@pytest.mark.parametrize("exception", ["RecursionError", "UnicodeError", "LookupError", "ValueError", "MemoryError",
                                       "OverflowError", "AttributeError"])  # fmt: skip
def test_any_exception_of_the_parser_is_that_files_failure_in_this_process(exception):
    files = [(SEED, "good.txt"), (f"POISON raise {exception}".encode(), "bad.txt"), (SEED, "after.txt")]
    done = run(ParsePipeline(parse=poison.parse_or_die), files)
    assert [type(outcome).__name__ for _, outcome in done] == ["Read", "ParseError", "Read"]
    assert str(done[1][1]) == (f"bad.txt: iwfdb's parser failed on this file ({exception}: poisoned on purpose): it "
                               "is left out; please report this with the file")  # fmt: skip


def test_workers_that_die_whatever_they_read_stop_the_load(monkeypatch):
    monkeypatch.setattr(ParsePipeline, "worker_parse", staticmethod(poison.die_always))
    with pytest.raises(WorkerLost, match=r"parsing processes keep ending, whatever file they are given \(the last "
                                         r"one: killed by SIGKILL\)"):  # fmt: skip
        run(ParsePipeline(workers=2), [(SEED, f"{number}.txt") for number in range(WORKERS_FROM)])


def test_a_stop_request_ends_a_wait_for_the_workers():
    stop = []
    pipeline = ParsePipeline(workers=2, should_stop=lambda: bool(stop))
    try:
        started(pipeline)
        stop.append(True)
        began = time.monotonic()
        assert list(pipeline.drain()) == [] and time.monotonic() - began < 0.5
    finally:
        pipeline.close()


@pytest.fixture
def forking(monkeypatch):
    """Forks allowed although pytest-xdist runs a thread beside the tests (it holds no lock a worker takes)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("a worker is forked on Linux only")
    monkeypatch.setattr(parallel, "fork_is_safe", lambda: True)


def forking_pipeline(**options) -> ParsePipeline:
    """The pipeline of a load that looks at many files (a re-load of a large corpus)."""
    return ParsePipeline(workers=2, files=FORK_FROM_FILES, **options)


def test_a_loader_with_other_threads_running_forks_no_worker():
    """A program that calls iwfdb from a thread of its own: a fork would copy no other thread, and a lock one
    of them held would stay held in the worker for ever."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    pipeline = forking_pipeline()
    try:
        pipeline.submit(0, SEED, "0.txt")
        assert pipeline.workers == []  # parsed here, as a load of a few files is
        [(number, outcome)] = pipeline.drain()
        assert number == 0 and isinstance(outcome.parsed, ParsedFile)
    finally:
        pipeline.close()
        release.set()
        other.join()


def test_a_long_loads_first_file_to_parse_forks_one_worker_that_leaves_when_closed(forking):
    pipeline = forking_pipeline()
    files = [(SEED, f"file{number}.txt") for number in range(40)]
    done = []
    try:
        pipeline.submit(0, *files[0])
        [worker] = pipeline.workers  # at once, while the loader reads on: not after WORKERS_FROM files
        assert type(worker.process).__name__ == "ForkProcess"
        for number, (data, source) in enumerate(files[1:], start=1):
            pipeline.submit(number, data, source)
            done += pipeline.ready()
        done += pipeline.drain()
        assert pipeline.workers == [worker]  # a few files: no other worker is spawned
    finally:
        began = time.monotonic()
        pipeline.close()
    # It saw the loader hang up and left by itself (holding the loader's ends, it would wait to be killed).
    assert worker.process.exitcode == 0 and time.monotonic() - began < CLOSE_SECONDS
    assert [number for number, _ in done] == list(range(len(files)))
    assert all(outcome.parsed.source == source for (_, outcome), (_, source) in zip(done, files, strict=True))


def test_when_chunks_pile_up_spawned_workers_join_the_forked_one(forking, monkeypatch):
    monkeypatch.setattr(ParsePipeline, "worker_parse", staticmethod(poison.parse_or_die))
    pipeline = forking_pipeline()
    try:
        for number in range(WORKERS_FROM + CHUNK_FILES):  # slow pages: the one worker falls behind the loader
            pipeline.submit(number, b"POISON sleep 0.005", f"{number}.txt")
        assert [type(worker.process).__name__ for worker in pipeline.workers] == ["ForkProcess", "SpawnProcess"]
        done = list(pipeline.drain())
    finally:
        pipeline.close()
    assert [number for number, _ in done] == list(range(WORKERS_FROM + CHUNK_FILES))


def test_a_worker_that_keeps_up_with_files_far_apart_works_alone(forking):
    """A re-load's few changed files: chunks come seldom, and one worker has parsed each before the next."""
    pipeline = forking_pipeline()
    try:
        for number in range(WORKERS_FROM + CHUNK_FILES):
            pipeline.submit(number, SEED, f"{number}.txt")
            if number % CHUNK_FILES == CHUNK_FILES - 1:  # a chunk sent: the loader reads on meanwhile
                began = time.monotonic()
                while not pipeline.workers[0].has_results() and time.monotonic() - began < 10:
                    time.sleep(0.01)
        assert [type(worker.process).__name__ for worker in pipeline.workers] == ["ForkProcess"]
        done = list(pipeline.drain())
    finally:
        pipeline.close()
    assert [number for number, _ in done] == list(range(WORKERS_FROM + CHUNK_FILES))


def test_a_forked_worker_ends_on_sigterm_as_a_spawned_one_does_and_loses_no_file(forking):
    """It inherits the loader's handlers, which only take note of a stop: it must end as a fresh process would."""
    before = signal.signal(signal.SIGTERM, lambda *_: None)
    pipeline = forking_pipeline()
    try:
        for number in range(CHUNK_FILES):
            pipeline.submit(number, SEED, f"{number}.txt")
        [worker] = pipeline.workers
        os.kill(worker.process.pid, signal.SIGINT)  # set aside, as a spawned worker does
        os.kill(worker.process.pid, signal.SIGTERM)
        worker.process.join(5)
        assert worker.process.exitcode == -signal.SIGTERM
        done = list(pipeline.drain())  # its chunk is read again by a fresh worker
    finally:
        pipeline.close()
        signal.signal(signal.SIGTERM, before)
    assert [number for number, _ in done] == list(range(CHUNK_FILES))
    assert all(isinstance(outcome.parsed, ParsedFile) for _, outcome in done)


def test_a_file_that_kills_a_forked_worker_fails_alone(forking, monkeypatch):
    monkeypatch.setattr(ParsePipeline, "worker_parse", staticmethod(poison.parse_or_die))
    files = [(poisoned(number), f"file{number}.txt") for number in range(64)]
    done = run(forking_pipeline(), files)
    assert [number for number, _ in done] == list(range(len(files)))
    killed = [number for number, outcome in done if isinstance(outcome, ParseError) and "SIGKILL" in str(outcome)]
    assert killed == [5, 9]
    assert sum(isinstance(outcome, ParseError) for _, outcome in done) == 3  # and 3, which raised
