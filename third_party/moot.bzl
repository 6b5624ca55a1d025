"""Bazel counterparts of the CMake helpers in cmake/moot.cmake."""

def moot_cc_test(name, srcs, deps = [], tags = [], data = [], size = "medium", **kwargs):
    """A GoogleTest test like CMake's moot_cc_test: gmock + gtest_main are linked in.

    Tests named *_redistest / *_pgtest need a real Redis / PostgreSQL and are tagged "redis" /
    "pg" (the CMake labels), so `bazel test --test_tag_filters=-redis,-pg //...` builds them
    but does not run them. Every test gets the repository files the test harness looks for
    (//:test_root: CMakeLists.txt, deploy/), so moot::testing::SourceDir() finds its root in
    the runfiles tree.
    """
    tags = list(tags)
    if name.endswith("_redistest") and "redis" not in tags:
        tags.append("redis")
    if name.endswith("_pgtest") and "pg" not in tags:
        tags.append("pg")
    native.cc_test(
        name = name,
        srcs = srcs,
        deps = deps + [
            "//third_party:gtest",
            "//third_party:gtest_main",
        ],
        data = data + ["//:test_root"],
        tags = tags,
        size = size,
        **kwargs
    )
