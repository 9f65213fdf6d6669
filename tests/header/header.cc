/*
 * header.cc -- header.c compiled as C++11 and C++17 (tests/header/header.cmake).
 * SPDX-License-Identifier: MIT
 */
#include "header.c"
