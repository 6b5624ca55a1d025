#!/usr/bin/env bash
# Bazel build of Moot: Debian's Bazel 4 (bazel-bootstrap), offline, against the system
# libraries. Usage: scripts/bazel.sh build //...
#                   scripts/bazel.sh test --test_tag_filters=-redis,-pg,-integration //...
# Settings are in .bazelrc; this wrapper checks the tools and adds the flags for CI / no TTY.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! command -v bazel >/dev/null 2>&1; then
  echo "bazel.sh: bazel is not installed (Debian package bazel-bootstrap; run scripts/deps.sh)" >&2
  exit 127
fi
for tool in /usr/bin/protoc /usr/bin/grpc_cpp_plugin; do
  if [ ! -x "$tool" ]; then
    echo "bazel.sh: $tool is missing (run scripts/deps.sh)" >&2
    exit 127
  fi
done
for dir in /usr/share/bazel/platforms /usr/share/bazel/tools/skylib /usr/share/bazel/rules/java \
           /usr/share/bazel/rules/proto; do
  if [ ! -d "$dir" ]; then
    echo "bazel.sh: $dir is missing (Debian bazel-* packages; run scripts/deps.sh)" >&2
    exit 127
  fi
done

if [ $# -eq 0 ]; then
  set -- build //...
fi

startup=()
cmd_flags=()
if [ "${CI:-}" = "true" ] || [ ! -t 1 ]; then
  # No TTY: plain, line-oriented output; and do not leave a server behind in CI.
  cmd_flags+=(--color=no --curses=no --show_progress_rate_limit=30)
fi
if [ "${CI:-}" = "true" ]; then
  startup+=(--max_idle_secs=60)
fi

command_name="$1"
shift
case "$command_name" in
  build | test | run | coverage | query | cquery | aquery | fetch)
    if [ "$command_name" = query ] || [ "$command_name" = fetch ]; then
      exec bazel "${startup[@]}" "$command_name" "$@"
    fi
    exec bazel "${startup[@]}" "$command_name" "${cmd_flags[@]}" "$@"
    ;;
  *)
    exec bazel "${startup[@]}" "$command_name" "$@"
    ;;
esac
