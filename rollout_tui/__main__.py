from rollout_tui.cli import main

raise SystemExit(main())
