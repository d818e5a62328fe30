#!/usr/bin/env bash
# Runtime footprint: the jars an application gets when it adds shardkit-core, against the jars it
# gets when it adds Apache ShardingSphere-JDBC 5.5.2. Each is resolved alone, from a generated
# one-dependency pom, as Maven would for that application (runtime scope, no JDBC driver).
# Needs shardkit-core installed (mvn -DskipTests install -pl modules/shardkit-core -am).
set -euo pipefail
cd "$(dirname "$0")"
out=target/footprint
mkdir -p "$out"
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' ../../pom.xml | head -1)

resolve() { # name groupId artifactId version
  mkdir -p "$out/$1"
  cat > "$out/$1/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>footprint</groupId><artifactId>$1</artifactId><version>1</version>
  <dependencies><dependency><groupId>$2</groupId><artifactId>$3</artifactId><version>$4</version></dependency></dependencies>
</project>
POM
  mvn -q -B -Dstyle.color=never -f "$out/$1/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
      -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/$out/$1.txt" > "$out/$1.log" 2>&1 \
      || { cat "$out/$1.log"; exit 1; }
}

report() { # name
  tr ':' '\n' < "$out/$1.txt" | grep -v '^$' > "$out/$1.jars"
  xargs stat -c %s < "$out/$1.jars" | awk -v name="$1" '{ n++; b += $1 } END { printf "| %s | %d | %.1f |\n", name, n, b / 1048576 }'
}

resolve shardkit-core io.shardkit shardkit-core "$version"
resolve shardingsphere-jdbc org.apache.shardingsphere shardingsphere-jdbc 5.5.2
echo "| library | jars | MiB |"
echo "|---|---:|---:|"
report shardkit-core
report shardingsphere-jdbc
echo
echo "shardkit-core jars:"
xargs ls -l < "$out/shardkit-core.jars" | awk '{printf "  %8.0f KB  %s\n", $5/1024, $NF}' | sed "s|$HOME/.m2/repository/||"
echo "largest ShardingSphere-JDBC jars:"
xargs ls -l < "$out/shardingsphere-jdbc.jars" | sort -k5 -n -r | head -10 | awk '{printf "  %8.0f KB  %s\n", $5/1024, $NF}' | sed "s|$HOME/.m2/repository/||"
