from kodomo_desktop.cli import main

raise SystemExit(main())
