#!/bin/sh
# Bazel's coverage tools are downloaded on demand, which is impossible offline.
echo "bazel coverage is not supported offline (use the CMake build for coverage)" >&2
exit 1
