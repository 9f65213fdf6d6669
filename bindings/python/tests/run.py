"""ctest's entry point: pytest on this directory, or SKIP when pytest is
missing for this interpreter."""
import os
import sys

try:
    import pytest
except ImportError:
    print(f"SKIP: pytest is not installed for {sys.executable} (Debian: python3-pytest)")
    sys.exit(0)

here = os.path.dirname(os.path.abspath(__file__))
sys.exit(pytest.main(["-q", "-p", "no:cacheprovider", here] + sys.argv[1:]))
