"""`iwfdb` and `python -m iwfdb`: stop signals are handled from the first line, not only once Typer is in.

Importing the command line (Typer and the commands) takes a tenth of a second: a signal meanwhile is
noted and ends the process once the imports are done, rather than raise inside the import machinery.
Outside a command (Typer building it, or reading its options) Interrupted ends the process here.
A spawned parse worker also imports the module that started its parent, so this one imports nothing but
iwfdb.interrupts until main() runs.
"""

import sys

from iwfdb import interrupts


def main() -> None:
    interrupts.install()
    try:
        with interrupts.StopRequest() as starting:
            from iwfdb.cli import app
        if starting.signum is not None:  # a stop signal came while the command line was imported
            raise interrupts.Interrupted(starting.signum)
        app()
    except interrupts.Interrupted as stop:
        sys.stderr.write("interrupted\n")
        sys.exit(stop.exit_code)
    finally:
        interrupts.leave()  # while Python shuts down, a signal ends it quietly (the same status for a shell)


if __name__ == "__main__":
    main()
