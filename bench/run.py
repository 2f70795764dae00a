"""The iwfdb benchmark: every case against a baseline measured in the same run, with the issues' targets.

    python bench/run.py --n 10000 [--db POSTGRES_URL] [--keep DIR] [--cases cold,reload,...] [--json FILE]

See bench/README.md for what each case measures and what its baseline is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import baseline  # noqa: E402
import corpus  # noqa: E402
from archives import POSTGRESQL, SQLITE, BenchArchive, PostgresArchive, SqliteArchive  # noqa: E402
from archives import pick_statement, server_settings, statement_id  # noqa: E402
from iwfdb.db import locate  # noqa: E402
from measure import Result, executable, median_call, median_process, run_process, table  # noqa: E402
from reads import Read, query_process, read_commands, replay_seconds, rows_of, slowest, traced_sql  # noqa: E402

CASE_GROUPS = ("baseline", "cold", "reload", "changed", "read", "cli", "startup")
CHANGED_SHARE = 0.01
RAW_COLD = "baseline: raw sqlite3 cold load"
COLD = "iwfdb load, cold (process)"
RELOAD = "iwfdb load, unchanged re-load (process)"
CHANGED = f"iwfdb load, {CHANGED_SHARE:.0%} changed (process)"
COLD_TARGET = 1.5  # issue 13: a cold load on SQLite within 1.5x the raw sqlite3 load
POSTGRES_COLD_TARGET = 3.0  # issue 13: a cold load on PostgreSQL within 3x iwfdb's own on SQLite
PEAK_MB_TARGET = 150  # issue 6, for N=100,000


class Bench:
    """The state one run builds up: the corpus, the archives, and the results so far."""

    def __init__(self, args: argparse.Namespace, root: Path):
        self.args = args
        self.corpus = root / "corpus"
        self.baseline_db = root / "baseline.sqlite"
        self.sqlite = SqliteArchive(root / "iwfdb.sqlite")
        self.archives: list[BenchArchive] = [self.sqlite, *([PostgresArchive(args.postgres)] if args.postgres else [])]
        self.results: list[Result] = []
        self.measured: dict[tuple[str, str], Result] = {}  # by (case, backend): the baselines of later cases
        self.rows: dict[str, dict[str, int]] = {}  # each archive's row counts after its cold load
        self.info: corpus.CorpusInfo | None = None
        self.iwfdb = [executable("iwfdb")] if executable("iwfdb") else [sys.executable, "-m", "iwfdb"]
        self.sqlite_utils = executable("sqlite-utils")
        self.wanted = set(args.cases)

    def case(self, name: str, work: Callable[[Result], None], backend: str = "") -> Result:
        """Run one case; an error is printed and recorded, and the run goes on."""
        result = Result(name, backend)
        print(f"  {name}{f' [{backend}]' if backend else ''} ...", end="", flush=True, file=sys.stderr)
        try:
            work(result)
            result.judge()
        except Exception as error:  # a failing case must not stop the others
            result.error = f"{type(error).__name__}: {error}"
            if self.args.verbose:
                traceback.print_exc()
        if result.error:
            shown = f" ERROR {result.error}"
        else:
            shown = f" {result.seconds:.3f} s" if result.seconds is not None else f" {result.peak_mb or 0:.0f} MB"
        print(shown, file=sys.stderr, flush=True)
        self.results.append(result)
        self.measured[(name, backend)] = result
        return result

    def on_each(self, name: str, work: Callable[[BenchArchive, Result], None]) -> None:
        """The same case on every archive of the run, SQLite first (the baseline of the others)."""
        for archive in self.archives:
            self.case(name, lambda result, archive=archive: work(archive, result), archive.backend)

    def of(self, name: str, backend: str = "") -> Result | None:
        return self.measured.get((name, backend))

    def iwfdb_argv(self, archive: BenchArchive, *argv: str) -> list[str]:
        return [*self.iwfdb, "--db", archive.db, *argv]

    def load_argv(self, archive: BenchArchive) -> list[str]:
        return self.iwfdb_argv(archive, "load", str(self.corpus), "--quiet")

    # --- corpus and loads -----------------------------------------------------------------------------

    def generate(self, result: Result) -> None:
        started = time.perf_counter()
        self.info = corpus.write_corpus(self.corpus, self.args.n, self.args.seed)
        result.seconds = time.perf_counter() - started
        reused = result.seconds < self.info.seconds / 2
        if not reused:
            result.rate, result.unit = self.args.n / result.seconds, "files/s"
        result.note = (f"{self.info.bytes / 1e6:.0f} MB, {self.info.bad_files} bad files"
                       + (" (kept corpus reused)" if reused else ""))  # fmt: skip

    def baseline_cold(self, result: Result) -> None:
        SqliteArchive(self.baseline_db).make_empty()
        run = run_process([sys.executable, str(BENCH / "baseline.py"), str(self.baseline_db), str(self.corpus)])
        summary = json.loads(run.stdout)
        result.seconds, result.peak_mb = run.seconds, run.peak_mb
        result.rate, result.unit = self.args.n / run.seconds, "files/s"
        rows = sum(summary["rows"].values())
        result.note = (f"{rows:,} rows; schema (migrations) {summary['schema_seconds']:.2f} s, "
                       f"read+parse+write {summary['load_seconds']:.2f} s")  # fmt: skip

    def iwfdb_cold(self, archive: BenchArchive, result: Result) -> None:
        archive.make_empty()
        run = run_process(self.load_argv(archive), ok=(0, 1))
        result.seconds, result.peak_mb = run.seconds, run.peak_mb
        result.rate, result.unit = self.args.n / run.seconds, "files/s"
        self.rows[archive.backend] = rows = archive.count_rows()
        failures = run.stderr.count("\n")
        result.note = f"{sum(rows.values()):,} rows, {failures} failure lines (expected ~{self.info.bad_files})"
        raw = self.of(RAW_COLD)
        result.note += "; the target is for N=100,000" if self.args.n < 100_000 else ""
        if archive.backend == SQLITE:
            result.compare_with(raw, "raw sqlite3 load (process)")
            result.target = COLD_TARGET
            return
        result.compare_with(self.of(COLD, SQLITE), "iwfdb load on SQLite")
        result.target = POSTGRES_COLD_TARGET
        if raw is not None and raw.seconds:
            result.note += f"; {run.seconds / raw.seconds:.2f}x the raw sqlite3 load"
        result.note += self.rows_beside_sqlite(rows)

    def rows_beside_sqlite(self, rows: dict[str, int]) -> str:
        """Whether an archive holds as many rows of each table as the SQLite one, which loaded the same corpus."""
        sqlite_rows = self.rows.get(SQLITE)
        if sqlite_rows is None:
            return ""
        differ = [f"{table} {count:,} (SQLite {sqlite_rows[table]:,})" for table, count in rows.items()
                  if count != sqlite_rows[table]]  # fmt: skip
        return "; rows differ from SQLite's: " + ", ".join(differ) if differ else "; the same rows as on SQLite"

    def cold_memory(self, archive: BenchArchive, result: Result) -> None:
        cold = self.of(COLD, archive.backend)
        if cold is None or cold.peak_mb is None:
            raise RuntimeError("no cold load to read the peak memory of")
        result.peak_mb = cold.peak_mb
        result.target_text = f"< {PEAK_MB_TARGET} MB"
        result.mark = "PASS" if result.peak_mb < PEAK_MB_TARGET else "MISS"
        raw = self.of(RAW_COLD)
        result.note = f"peak RSS of the load process (baseline: {raw.peak_mb:.0f} MB)" if raw and raw.peak_mb else ""
        result.note += "; the server's own memory is not counted" if archive.backend == POSTGRESQL else ""
        result.note += "; the target is for N=100,000" if self.args.n < 100_000 else ""

    def hash_baseline(self, result: Result) -> None:
        result.seconds, result.runs = median_call(lambda: baseline.read_and_hash(self.corpus), self.args.repeat_slow)
        result.rate, result.unit = self.args.n / result.seconds, "files/s"
        result.note = "in-process: find, read and sha256 every file"

    def iwfdb_reload(self, archive: BenchArchive, result: Result) -> None:
        seconds, runs, peak = median_process(self.load_argv(archive), self.args.repeat_slow, ok=(0, 1))
        result.seconds, result.runs, result.peak_mb = seconds, runs, peak
        result.rate, result.unit = self.args.n / seconds, "files/s"
        hashed = self.of("baseline: read + sha256 all files")
        if archive.backend == SQLITE:
            result.compare_with(hashed, "read+sha256 all (in-process)")
            result.target = 2.0
            return
        result.compare_with(self.of(RELOAD, SQLITE), "iwfdb re-load on SQLite")
        if hashed is not None and hashed.seconds:
            result.note = f"{seconds / hashed.seconds:.2f}x reading and hashing every file"

    def iwfdb_changed(self, archive: BenchArchive, result: Result) -> None:
        cold, reload = self.of(COLD, archive.backend), self.of(RELOAD, archive.backend)
        if cold is None or reload is None or not cold.seconds or not reload.seconds:
            raise RuntimeError("needs the cold load and the unchanged re-load of this run")
        indexes = corpus.changed_indexes(self.args.seed, self.args.n, CHANGED_SHARE)
        runs = []
        before = archive.count_rows()["revisions"]
        try:  # each run loads another edit of the same files: a 1% change every time (the median is taken)
            for revision in range(1, self.args.repeat_slow + 1):
                corpus.rewrite(self.corpus, self.args.seed, self.args.n, indexes, revision=revision)
                runs.append(run_process(self.load_argv(archive), ok=(0, 1)))
        finally:  # a kept corpus must stay the corpus its manifest describes
            corpus.rewrite(self.corpus, self.args.seed, self.args.n, indexes, revision=0)
        added = (archive.count_rows()["revisions"] - before) // len(runs)
        result.runs = [run.seconds for run in runs]
        result.seconds, result.peak_mb = statistics.median(result.runs), max(run.peak_mb for run in runs)
        result.rate, result.unit = len(indexes) / result.seconds, "changed files/s"
        result.note = f"{len(indexes)} files changed, {added} revisions added a run"
        share = len(indexes) / self.args.n
        expected = reload.seconds + cold.seconds * share
        if archive.backend == SQLITE:
            result.baseline, result.baseline_seconds = f"unchanged re-load + {share:.0%} of cold", expected
            result.target = 1.2
            return
        result.compare_with(self.of(CHANGED, SQLITE), "iwfdb on SQLite")
        result.note += f"; {result.seconds / expected:.2f}x its own unchanged re-load + {share:.0%} of its cold load"

    # --- reads ----------------------------------------------------------------------------------------

    def read_cases(self, archive: BenchArchive, shown: tuple[int, str]) -> list[Read]:
        """The read commands on `archive`; `shown` is the (id, slug) on SQLite of the statement `show` displays,
        shown here by the id it has in this archive (the engines may number a load differently)."""
        sqlite_id, slug = shown
        ref = sqlite_id if archive is self.sqlite else statement_id(archive, slug)
        return read_commands(self.info, f"show {sqlite_id}", str(ref))

    def read_in_process(self, archive: BenchArchive, read: Read, result: Result) -> None:
        with archive.open() as opened:
            answer = read.call(opened)
            result.seconds, result.runs = median_call(lambda: read.call(opened), self.args.repeat)
        shown, total = rows_of(answer)
        result.rate, result.unit = shown / result.seconds, "rows/s"
        result.note = f"{shown} row{'s' * (shown != 1)}" + (f" of {total:,}" if total != shown else "")
        if archive.backend != SQLITE:
            result.compare_with(self.of(f"{read.name} (in-process)", SQLITE), "same read on SQLite (in-process)")
            stale = archive.unanalyzed_tables()
            result.note += f"; planner statistics missing or stale: {', '.join(stale)}" if stale else ""
            return
        sql = traced_sql(self.sqlite, read)
        result.baseline_seconds = replay_seconds(self.read_only_uri(), sql, self.args.repeat)
        result.baseline = f"same {len(sql)} SQL statement(s), raw sqlite3"

    def read_cli(self, archive: BenchArchive, read: Read, result: Result) -> None:
        seconds, runs, peak = median_process(self.iwfdb_argv(archive, *read.argv, "--format", "json"),
                                             self.args.repeat)  # fmt: skip
        result.seconds, result.runs, result.peak_mb = seconds, runs, peak
        if archive.backend != SQLITE:
            result.compare_with(self.of(f"iwfdb {read.name} (process)", SQLITE), "iwfdb on SQLite (process)")
            return
        if read.name.startswith(("query", "search")):
            result.target = 2.0
        sql = traced_sql(self.sqlite, read)
        slowest_sql = slowest(self.read_only_uri(), sql)
        base_argv, result.baseline = query_process(self.sqlite_utils, self.sqlite.db, slowest_sql)
        result.baseline_seconds, _, base_peak = median_process(base_argv, self.args.repeat)
        if len(sql) > 1:
            result.baseline += f" (slowest of its {len(sql)} SQL)"
        result.note = f"baseline peak {base_peak:.0f} MB"

    def read_only_uri(self) -> str:
        return locate(self.sqlite.db).sqlite_uri("ro")

    def reads(self) -> None:
        """Each read command in-process and as a process, on each archive; a case fails alone."""
        try:
            shown = pick_statement(self.sqlite)
            reads = self.read_cases(self.sqlite, shown)
        except Exception as error:
            self.results.append(Result("read commands", error=f"{type(error).__name__}: {error}"))
            return
        for index, read in enumerate(reads):
            for group, name, work in (("read", f"{read.name} (in-process)", self.read_in_process),
                                      ("cli", f"iwfdb {read.name} (process)", self.read_cli)):  # fmt: skip
                if group in self.wanted:
                    self.on_each(name, lambda archive, r, work=work, index=index:
                                 work(archive, self.read_cases(archive, shown)[index], r))  # fmt: skip

    # --- start-up -------------------------------------------------------------------------------------

    def startup(self) -> None:
        repeat = self.args.repeat + 2
        bare = self.case("python -c pass", lambda r: self.timed_process(r, [sys.executable, "-c", "pass"], repeat))
        typer_ = self.case("python -c 'import typer'",
                           lambda r: self.timed_process(r, [sys.executable, "-c", "import typer"], repeat))  # fmt: skip
        if bare.seconds and typer_.seconds:
            typer_.note = f"Typer's own import: {typer_.seconds - bare.seconds:.3f} s"
        for flag in ("--version", "--help"):
            def work(result: Result, flag: str = flag) -> None:
                self.timed_process(result, [*self.iwfdb, flag], repeat)
                result.compare_with(typer_, "python -c pass + Typer import")
                result.target = 2.0

            self.case(f"iwfdb {flag}", work)

    def timed_process(self, result: Result, argv: list[str], repeat: int) -> None:
        result.seconds, result.runs, result.peak_mb = median_process(argv, repeat)

    # --- the run --------------------------------------------------------------------------------------

    def run(self) -> None:
        wanted = self.wanted
        print(f"iwfdb benchmark, N={self.args.n:,}, on {', '.join(map(str, self.archives))}", file=sys.stderr)
        self.case("generate corpus", self.generate)
        if self.info is None:
            return
        if "baseline" in wanted or "cold" in wanted:
            self.case(RAW_COLD, self.baseline_cold)
        if wanted & {"cold", "reload", "changed", "read", "cli"}:  # each needs an archive
            self.on_each(COLD, self.iwfdb_cold)
            if "cold" in wanted:
                self.on_each("iwfdb load, cold: peak memory", self.cold_memory)
        if wanted & {"reload", "changed"}:
            self.case("baseline: read + sha256 all files", self.hash_baseline)
            self.on_each(RELOAD, self.iwfdb_reload)
        if "changed" in wanted:
            self.on_each(CHANGED, self.iwfdb_changed)
        if wanted & {"read", "cli"}:
            self.reads()
        if "startup" in wanted:
            self.startup()

    def dispose(self) -> None:
        for archive in self.archives:
            archive.dispose()


# --- the command ----------------------------------------------------------------------------------------


def environment(postgres: dict[str, str] | None) -> dict:
    import iwfdb

    return {
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "cores": os.cpu_count(),
        "iwfdb": getattr(iwfdb, "__version__", "?"), "machine": platform.machine(),
        "load_average": [round(x, 2) for x in os.getloadavg()], "postgresql": postgres,
    }  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark iwfdb against in-run baselines (see bench/README.md).")
    parser.add_argument("--n", type=int, default=10_000, help="statement files in the corpus (default 10,000)")
    parser.add_argument("--db", dest="postgres", metavar="POSTGRES_URL",
                        help="also run every iwfdb case on PostgreSQL, in a database of its own made (and dropped) "
                             "on this server, through a role that may create databases: "
                             "postgresql://user@host:port/postgres")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep the corpus (and the SQLite archives) there; a kept corpus is reused")
    parser.add_argument("--cases", default=",".join(CASE_GROUPS),
                        help=f"comma-separated groups to run (default all): {','.join(CASE_GROUPS)}")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON to FILE")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each fast case (median taken)")
    parser.add_argument("--repeat-slow", type=int, default=3, help="runs of each re-load case (median taken)")
    parser.add_argument("--verbose", action="store_true", help="print a traceback for a failing case")
    args = parser.parse_args(argv)
    args.cases = [case.strip() for case in args.cases.split(",") if case.strip()]
    unknown = set(args.cases) - set(CASE_GROUPS)
    if unknown:
        parser.error(f"unknown case group(s) {', '.join(sorted(unknown))}; choose from {', '.join(CASE_GROUPS)}")
    if args.postgres and not args.postgres.startswith(("postgresql://", "postgres://")):
        parser.error(f"--db {args.postgres!r}: give a PostgreSQL URL, postgresql://user@host:port/postgres")
    return args


def postgres_settings(args: argparse.Namespace) -> dict[str, str] | None:
    """The server's settings, or a message on stderr and SystemExit(1) if it cannot be reached: before the
    run rather than after a cold load on SQLite."""
    if not args.postgres:
        return None
    try:
        return server_settings(args.postgres)
    except ImportError:
        sys.exit('error: --db needs psycopg: pip install "iwfdb[postgres]" (or the [test] extra)')
    except Exception as error:
        sys.exit(f"error: cannot reach the PostgreSQL server of --db: {' '.join(str(error).split())} (is it "
                 "running, and the URL right? A local one for tests: scripts/test-postgres start)")


def run_in(args: argparse.Namespace, root: Path) -> Bench:
    bench = Bench(args, root)
    try:
        bench.run()
    finally:
        bench.dispose()
    return bench


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    env_before = environment(postgres_settings(args))
    try:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            bench = run_in(args, args.keep.resolve())
        else:
            with tempfile.TemporaryDirectory(prefix="iwfdb-bench-") as work:
                bench = run_in(args, Path(work))
    except KeyboardInterrupt:
        print("\ninterrupted: no table", file=sys.stderr)
        return 130
    env = {**env_before, "load_average_after": [round(x, 2) for x in os.getloadavg()],
           "total_seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
    print(summary_line(args, env))
    print(table(bench.results))
    if args.json:
        payload = {"n": args.n, "seed": args.seed, "environment": env,
                   "corpus": asdict(bench.info) if bench.info else None,
                   "results": [asdict(r) for r in bench.results]}  # fmt: skip
        args.json.write_text(json.dumps(payload, indent=2))
    return 1 if any(r.error for r in bench.results) else 0


def summary_line(args: argparse.Namespace, env: dict) -> str:
    postgres = env["postgresql"]
    server = (f"PostgreSQL {postgres['server_version']} (fsync {postgres['fsync']}, synchronous_commit "
              f"{postgres['synchronous_commit']}), " if postgres else "")  # fmt: skip
    return (f"\niwfdb benchmark: N={args.n:,} files; Python {env['python']}, SQLite {env['sqlite']}, {server}"
            f"{env['cores']} cores; load average {env['load_average'][0]} before, "
            f"{env['load_average_after'][0]} after; {env['total_seconds']} s in all\n")


if __name__ == "__main__":
    sys.exit(main())
