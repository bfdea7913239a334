"""``python -m zzanalysis`` is the ``zzanalysis`` command."""
import sys

from .cli import main

sys.exit(main())
