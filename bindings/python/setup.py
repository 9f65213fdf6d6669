"""Builds simdsse._core: the C library (built by its own CMake, so that each
SIMD kernel gets its compiler flags) linked statically into the extension.

    pip install --no-build-isolation ./bindings/python

needs a C compiler, CMake >= 3.20 and the Python headers (Debian:
python3-dev), and runs from a checkout of the whole repository."""

import os
import re
import subprocess
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
HEADER = ROOT / "include" / "simdsse.h"

if not HEADER.is_file():
    raise SystemExit(
        f"simdsse: {HEADER} not found; build from a checkout of the whole repository"
    )


def version():
    text = HEADER.read_text()
    return re.search(r'#define SIMDSSE_VERSION_STRING "([^"]+)"', text).group(1)


class BuildWithCore(build_ext):
    """Builds libsimdsse.a with CMake first, then the extension on it."""

    def run(self):
        core = Path(self.build_temp).resolve() / "simdsse-core"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(core),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DSIMDSSE_BUILD_TESTS=OFF", "-DSIMDSSE_BUILD_TOOLS=OFF",
            "-DSIMDSSE_BUILD_BENCH=OFF", "-DSIMDSSE_BUILD_EXAMPLES=OFF",
            "-DSIMDSSE_BUILD_BINDINGS=OFF",
        ]
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", "2")
        try:
            subprocess.check_call(configure, stdout=subprocess.DEVNULL)
            subprocess.check_call(["cmake", "--build", str(core), "--target", "simdsse", "-j", jobs])
        except FileNotFoundError:
            raise SystemExit("simdsse: cmake not found; the build needs CMake >= 3.20 and a C compiler")
        lib = core / "src" / "libsimdsse.a"
        for ext in self.extensions:
            ext.extra_objects = [str(lib)]
        super().run()


core = Extension(
    "simdsse._core",
    sources=[
        "src/module.c",
        "src/event.c",
        "src/parser.c",
        "src/utf8.c",
        "src/utf8_avx512.c",
        "src/validate.c",
        "src/writer.c",
        "../common/batch.c",
    ],
    include_dirs=[str(ROOT / "include"), str(HERE.parent / "common"), "src"],
    define_macros=[("SIMDSSE_STATIC", "1")],
    extra_compile_args=["-std=c11", "-O2", "-fvisibility=hidden"],
    # The library's symbols stay inside the extension.
    extra_link_args=["-Wl,--exclude-libs,ALL"],
)

setup(version=version(), ext_modules=[core], cmdclass={"build_ext": BuildWithCore})
