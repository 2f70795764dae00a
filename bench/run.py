"""The iwfdb benchmark: every case against a baseline measured in the same run, with the issue's targets.

    python bench/run.py --n 10000 [--keep DIR] [--cases cold,reload,...] [--json results.json]

See bench/README.md for what each case measures and what its baseline is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
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
from measure import Result, executable, median_call, median_process, run_process, table  # noqa: E402

CASE_GROUPS = ("baseline", "cold", "reload", "changed", "read", "cli", "startup")
CHANGED_SHARE = 0.01
COUNTED_TABLES = ("sources", "statements", "quotes", "people", "contacts", "contact_phones", "links", "sections",
                  "revisions", "parse_warnings")  # fmt: skip


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def count_rows(database: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COUNTED_TABLES}


class Bench:
    """The state one run builds up: the corpus, the two archives, and the results so far."""

    def __init__(self, args: argparse.Namespace, root: Path):
        self.args = args
        self.root = root
        self.corpus = root / "corpus"
        self.baseline_db = root / "baseline.sqlite"
        self.iwfdb_db = root / "iwfdb.sqlite"
        self.results: list[Result] = []
        self.info: corpus.CorpusInfo | None = None
        self.iwfdb = [executable("iwfdb")] if executable("iwfdb") else [sys.executable, "-m", "iwfdb"]
        self.sqlite_utils = executable("sqlite-utils")
        self.cold: Result | None = None
        self.reload: Result | None = None
        self.wanted = set(args.cases)

    def case(self, name: str, work: Callable[[Result], None]) -> Result:
        """Run one case; an error is printed and recorded, and the run goes on."""
        result = Result(name)
        print(f"  {name} ...", end="", flush=True, file=sys.stderr)
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
        return result

    def iwfdb_argv(self, *argv: str) -> list[str]:
        return [*self.iwfdb, "--db", str(self.iwfdb_db), *argv]

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
        remove_database(self.baseline_db)
        run = run_process([sys.executable, str(BENCH / "baseline.py"), str(self.baseline_db), str(self.corpus)])
        summary = json.loads(run.stdout)
        result.seconds, result.peak_mb = run.seconds, run.peak_mb
        result.rate, result.unit = self.args.n / run.seconds, "files/s"
        rows = sum(summary["rows"].values())
        result.note = (f"{rows:,} rows; schema (migrations) {summary['schema_seconds']:.2f} s, "
                       f"read+parse+write {summary['load_seconds']:.2f} s")  # fmt: skip
        self.baseline_cold_result = result

    def iwfdb_cold(self, result: Result) -> None:
        remove_database(self.iwfdb_db)
        run = run_process(self.iwfdb_argv("load", str(self.corpus), "--quiet"), ok=(0, 1))
        result.seconds, result.peak_mb = run.seconds, run.peak_mb
        result.rate, result.unit = self.args.n / run.seconds, "files/s"
        rows = count_rows(self.iwfdb_db)
        failures = run.stderr.count("\n")
        result.note = f"{sum(rows.values()):,} rows, {failures} failure lines (expected ~{self.info.bad_files})"
        base = getattr(self, "baseline_cold_result", None)
        if base is not None and base.seconds:
            result.baseline, result.baseline_seconds = "raw sqlite3 load (process)", base.seconds
        result.target = 2.0
        result.target_text = "<= 2x (aim 1.5x)"
        self.cold = result

    def cold_memory(self, result: Result) -> None:
        if self.cold is None or self.cold.peak_mb is None:
            raise RuntimeError("no cold load to read the peak memory of")
        result.peak_mb = self.cold.peak_mb
        result.target_text = "< 150 MB"
        result.mark = "PASS" if result.peak_mb < 150 else "MISS"
        base = getattr(self, "baseline_cold_result", None)
        result.note = f"peak RSS of the load process (baseline: {base.peak_mb:.0f} MB)" if base else ""
        result.note += "; the target is for N=100,000" if self.args.n < 100_000 else ""

    def hash_baseline(self, result: Result) -> None:
        result.seconds, result.runs = median_call(lambda: baseline.read_and_hash(self.corpus), self.args.repeat_slow)
        result.rate, result.unit = self.args.n / result.seconds, "files/s"
        result.note = "in-process: find, read and sha256 every file"
        self.hash_result = result

    def iwfdb_reload(self, result: Result) -> None:
        seconds, runs, peak = median_process(self.iwfdb_argv("load", str(self.corpus), "--quiet"),
                                             self.args.repeat_slow, ok=(0, 1))  # fmt: skip
        result.seconds, result.runs, result.peak_mb = seconds, runs, peak
        result.rate, result.unit = self.args.n / seconds, "files/s"
        base = getattr(self, "hash_result", None)
        if base is not None and base.seconds:
            result.baseline, result.baseline_seconds = "read+sha256 all (in-process)", base.seconds
        result.target = 2.0
        self.reload = result

    def iwfdb_changed(self, result: Result) -> None:
        if self.cold is None or self.reload is None or not self.cold.seconds or not self.reload.seconds:
            raise RuntimeError("needs the cold load and the unchanged re-load of this run")
        indexes = corpus.changed_indexes(self.args.seed, self.args.n, CHANGED_SHARE)
        corpus.rewrite(self.corpus, self.args.seed, self.args.n, indexes, revision=1)
        try:
            before = count_rows(self.iwfdb_db)["revisions"]
            run = run_process(self.iwfdb_argv("load", str(self.corpus), "--quiet"), ok=(0, 1))
            after = count_rows(self.iwfdb_db)["revisions"]
        finally:  # a kept corpus must stay the corpus its manifest describes
            corpus.rewrite(self.corpus, self.args.seed, self.args.n, indexes, revision=0)
        result.seconds, result.peak_mb = run.seconds, run.peak_mb
        share = len(indexes) / self.args.n
        result.baseline = f"unchanged re-load + {share:.0%} of cold"
        result.baseline_seconds = self.reload.seconds + self.cold.seconds * share
        result.rate, result.unit = len(indexes) / run.seconds, "changed files/s"
        result.note = f"{len(indexes)} files changed, {after - before} revisions added"
        result.target = 1.2

    # --- reads ----------------------------------------------------------------------------------------

    def read_cases(self) -> list[tuple[str, list[str], Callable]]:
        """(name, CLI arguments, in-process call) for each read command."""
        from iwfdb import query

        info = self.info
        show_id = self.pick_statement()
        year = info.search_year if info else corpus.SEARCH_YEAR
        common = info.common_word if info else corpus.COMMON_WORD
        rare = info.rare_word if info else corpus.RARE_WORD
        return [
            (f"query --year {year}", ["query", "--year", str(year)],
             lambda c: query.list_statements(c, query.StatementFilter(years=(year,)))),
            (f"search {common} (common)", ["search", common], lambda c: query.search(c, common)),
            (f"search {rare} (rare)", ["search", rare], lambda c: query.search(c, rare)),
            (f"show {show_id}", ["show", str(show_id)], lambda c: query.get_statement(c, str(show_id))),
            ("stats", ["stats"], lambda c: query.get_stats(c)),
        ]  # fmt: skip

    def pick_statement(self) -> int:
        """A full statement with quotes, from the middle of the archive."""
        with sqlite3.connect(f"file:{self.iwfdb_db}?mode=ro", uri=True) as connection:
            row = connection.execute(
                "SELECT id FROM statements WHERE card_only = 0 AND id IN (SELECT statement_id FROM quotes)"
                " ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 FROM statements)").fetchone()
            row = row or connection.execute("SELECT min(id) FROM statements").fetchone()
        return row[0]

    def traced_sql(self, call: Callable) -> list[str]:
        """The SQL statements (values bound in) that an in-process read runs."""
        from iwfdb import query

        connection = query.open_archive(self.iwfdb_db)
        statements: list[str] = []
        connection.set_trace_callback(statements.append)
        call(connection)
        connection.close()
        return [sql for sql in statements if not sql.lstrip().startswith("--")]

    def read_in_process(self, result: Result, call: Callable) -> None:
        from iwfdb import query

        connection = query.open_archive(self.iwfdb_db)
        rows = call(connection)
        result.seconds, result.runs = median_call(lambda: call(connection), self.args.repeat)
        connection.close()
        count = len(rows) if isinstance(rows, list) else 1
        result.rate, result.unit = count / result.seconds, "rows/s"
        sql = self.traced_sql(call)
        raw = sqlite3.connect(f"file:{self.iwfdb_db}?mode=ro", uri=True)

        def replay():
            for statement in sql:
                raw.execute(statement).fetchall()

        result.baseline_seconds, _ = median_call(replay, self.args.repeat)
        raw.close()
        result.baseline = f"same {len(sql)} SQL statement(s), raw sqlite3"
        result.note = f"{count} rows"

    def read_cli(self, result: Result, argv: list[str], call: Callable) -> None:
        seconds, runs, peak = median_process(self.iwfdb_argv(*argv, "--format", "json"), self.args.repeat)
        result.seconds, result.runs, result.peak_mb = seconds, runs, peak
        sql = self.traced_sql(call)
        slowest = max(sql, key=self.sql_seconds) if sql else "SELECT 1"
        if self.sqlite_utils:
            base_argv, result.baseline = [self.sqlite_utils, "query", str(self.iwfdb_db), slowest], "sqlite-utils query"
        else:
            script = ("import json, sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.row_factory = sqlite3.Row; "
                      "print(json.dumps([dict(r) for r in c.execute(sys.argv[2])]))")  # fmt: skip
            base_argv, result.baseline = [sys.executable, "-c", script, str(self.iwfdb_db), slowest], "python sqlite3"
        result.baseline_seconds, _, base_peak = median_process(base_argv, self.args.repeat)
        if len(sql) > 1:
            result.baseline += f" (slowest of its {len(sql)} SQL)"
        result.note = f"baseline peak {base_peak:.0f} MB"

    def sql_seconds(self, sql: str) -> float:
        with sqlite3.connect(f"file:{self.iwfdb_db}?mode=ro", uri=True) as connection:
            return median_call(lambda: connection.execute(sql).fetchall(), 3)[0]

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
                if typer_.seconds:
                    result.baseline, result.baseline_seconds = "python -c pass + Typer import", typer_.seconds
                result.target = 2.0

            self.case(f"iwfdb {flag}", work)

    def timed_process(self, result: Result, argv: list[str], repeat: int) -> None:
        result.seconds, result.runs, result.peak_mb = median_process(argv, repeat)

    # --- the run --------------------------------------------------------------------------------------

    def run(self) -> None:
        wanted = self.wanted
        print(f"iwfdb benchmark, N={self.args.n:,}, in {self.root}", file=sys.stderr)
        self.case("generate corpus", self.generate)
        if self.info is None:
            return
        needs_archive = wanted & {"cold", "reload", "changed", "read", "cli"}
        if "baseline" in wanted or "cold" in wanted:
            self.case("baseline: raw sqlite3 cold load", self.baseline_cold)
        if needs_archive:
            self.case("iwfdb load, cold (process)", self.iwfdb_cold)
            if "cold" in wanted:
                self.case("iwfdb load, cold: peak memory", self.cold_memory)
        if wanted & {"reload", "changed"}:
            self.case("baseline: read + sha256 all files", self.hash_baseline)
            self.case("iwfdb load, unchanged re-load (process)", self.iwfdb_reload)
        if "changed" in wanted:
            self.case(f"iwfdb load, {CHANGED_SHARE:.0%} changed (process)", self.iwfdb_changed)
        if wanted & {"read", "cli"}:
            try:
                reads = self.read_cases()
            except Exception as error:
                self.results.append(Result("read commands", error=f"{type(error).__name__}: {error}"))
                reads = []
            for name, argv, call in reads:
                if "read" in wanted:
                    self.case(f"{name} (in-process)", lambda r, call=call: self.read_in_process(r, call))
                if "cli" in wanted:
                    def work(r: Result, argv=argv, call=call, name=name) -> None:
                        self.read_cli(r, argv, call)
                        if name.startswith(("query", "search")):
                            r.target = 2.0

                    self.case(f"iwfdb {name} (process)", work)
        if "startup" in wanted:
            self.startup()


def environment() -> dict:
    import iwfdb

    return {
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "cores": os.cpu_count(),
        "iwfdb": getattr(iwfdb, "__version__", "?"), "machine": platform.machine(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark iwfdb against in-run baselines (see bench/README.md).")
    parser.add_argument("--n", type=int, default=10_000, help="statement files in the corpus (default 10,000)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep the corpus (and archives) there; a kept corpus is reused")
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
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    env_before = environment()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        bench = Bench(args, args.keep.resolve())
        bench.run()
    else:
        with tempfile.TemporaryDirectory(prefix="iwfdb-bench-") as work:
            bench = Bench(args, Path(work))
            bench.run()
    env = {**env_before, "load_average_after": [round(x, 2) for x in os.getloadavg()],
           "total_seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
    print(f"\niwfdb benchmark: N={args.n:,} files; Python {env['python']}, SQLite {env['sqlite']}, "
          f"{env['cores']} cores; load average {env['load_average'][0]} before, "
          f"{env['load_average_after'][0]} after; {env['total_seconds']} s in all\n")
    print(table(bench.results))
    if args.json:
        payload = {"n": args.n, "seed": args.seed, "environment": env,
                   "corpus": asdict(bench.info) if bench.info else None,
                   "results": [asdict(r) for r in bench.results]}  # fmt: skip
        args.json.write_text(json.dumps(payload, indent=2))
    return 1 if any(r.error for r in bench.results) else 0


if __name__ == "__main__":
    sys.exit(main())
