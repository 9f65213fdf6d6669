#!/bin/bash -eu
# fuzz/oss-fuzz/build.sh -- builds simdsse's fuzz targets the OSS-Fuzz way.
#
# OSS-Fuzz runs it in its base-builder image (see Dockerfile) with
#   $CC $CXX $CFLAGS $CXXFLAGS   compilers and flags (sanitizer, coverage)
#   $LIB_FUZZING_ENGINE          the engine to link (libFuzzer, AFL, honggfuzz)
#   $SRC                         where the sources are ($SRC/simdsse)
#   $OUT                         where targets, seed corpora and dicts go
# and tools/oss-fuzz-local.sh runs it on this machine the same way. For each
# fuzz/fuzz_*.c it writes $OUT/<target>, $OUT/<target>_seed_corpus.zip (from
# corpus/fuzz/<target>/) and $OUT/<target>.dict (fuzz/sse.dict).

root=${SIMDSSE_SRC:-$SRC/simdsse}
build=${WORK:-/tmp}/simdsse-oss-fuzz-build

# The library, static, with OSS-Fuzz's flags alone: build type "None" adds
# no -O level of its own, so $CFLAGS decides. Kernels keep their -m flags.
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=None \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_C_FLAGS="$CFLAGS" \
  -DSIMDSSE_BUILD_TESTS=OFF -DSIMDSSE_BUILD_TOOLS=OFF -DSIMDSSE_BUILD_BENCH=OFF \
  -DSIMDSSE_BUILD_FUZZ=OFF -DSIMDSSE_WERROR=OFF
cmake --build "$build" --target simdsse -j"$(nproc)"
lib=$build/src/libsimdsse.a

for src in "$root"/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  # Compiled as C, linked by the C++ driver: the engines are C++ libraries.
  $CC $CFLAGS -std=c11 -I"$root/include" -DSIMDSSE_STATIC -c "$src" -o "$build/$name.o"
  $CXX $CXXFLAGS "$build/$name.o" "$lib" $LIB_FUZZING_ENGINE -o "$OUT/$name"
  if [ -d "$root/corpus/fuzz/$name" ]; then
    rm -f "$OUT/${name}_seed_corpus.zip"
    zip -q -j "$OUT/${name}_seed_corpus.zip" "$root/corpus/fuzz/$name"/*
  fi
  cp "$root/fuzz/sse.dict" "$OUT/$name.dict"
done
