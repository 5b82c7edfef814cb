"""``python -m stuffctl``."""

from stuffctl.entry import main

raise SystemExit(main())
