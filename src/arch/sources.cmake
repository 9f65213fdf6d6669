# Tokenizer kernels beyond the scalar reference. Each SIMD kernel is one file
# compiled with its own -m flags, so the rest of the library stays baseline.
