from iwfdb.cli import main

main()
