{
  "targets": [
    {
      "target_name": "simdsse",
      "sources": ["src/addon.c", "src/text.c", "../common/batch.c"],
      "include_dirs": ["../../include", "../common", "src"],
      "defines": ["SIMDSSE_STATIC", "NAPI_VERSION=8"],
      "cflags_c": ["-std=c11", "-O2", "-fvisibility=hidden", "-Wall", "-Wextra"],
      "libraries": [
        "<(module_root_dir)/build-core/src/libsimdsse.a",
        "-Wl,--exclude-libs,ALL"
      ]
    }
  ]
}
