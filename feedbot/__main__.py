from feedbot.cli import main

raise SystemExit(main())
