# Finds a JDK 25 or newer and prints its home directory. Sourced by ./mmkit and .ci/run.
# Looks at $MMKIT_JAVA_HOME, $JAVA_HOME, java on the PATH, then the usual install directories.

mmkit_jdk_feature() { # prints the feature release (25, 26, ...) of the JDK at $1, or nothing
  local release="$1/release" version
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$release" ]; then
    version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
  else
    version="$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)"
  fi
  echo "$version"
}

mmkit_find_jdk() {
  local candidates=() best="" best_version=0 home version
  [ -n "${MMKIT_JAVA_HOME:-}" ] && candidates+=("$MMKIT_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    version="$(mmkit_jdk_feature "$home")"
    if [ -n "$version" ] && [ "$version" -ge 25 ] && [ "$version" -gt "$best_version" ]; then
      best="$home"
      best_version="$version"
    fi
  done
  if [ -z "$best" ]; then
    echo "mmkit: needs a JDK 25 or newer and found none (looked at JAVA_HOME, the PATH and /usr/lib/jvm); install one, e.g. Temurin 25 from https://adoptium.net, or set MMKIT_JAVA_HOME." >&2
    return 1
  fi
  echo "$best"
}
