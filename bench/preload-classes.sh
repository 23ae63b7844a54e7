#!/usr/bin/env bash
# Regenerates src/main/resources/preload-classes.txt: the classes the jar loads from its start to "routes started"
# (ship + fetch on), in load order, outside the JDK's class data sharing archive. The application loads them ahead
# on a thread of its own at start (io.s3logroutes.Preload). A stale list is harmless (names not found are skipped).
#
# usage: bench/preload-classes.sh ENDPOINT BUCKET      (an S3 server with that bucket; credentials from AWS_* vars)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
EP=$1; BUCKET=$2
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/data"; touch "$WORK/data/quickstart-seeded"
( cd "$WORK" && exec java -Xlog:class+load:file="$WORK/classes.txt" -Ds3logs.preload=false -Dorg.slf4j.simpleLogger.log.org.apache.camel.impl.engine=info \
    -Ds3logs.s3.embedded=false -Ds3logs.s3.endpoint="$EP" -Ds3logs.s3.path-style=true -Ds3logs.s3.bucket="$BUCKET" \
    -Ds3logs.ship.enabled=true -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix=none/ \
    -Ds3logs.quickstart.report-interval=1h -jar "$ROOT/target/s3-log-routes.jar" > "$WORK/app.log" 2>&1 ) &
APP=$!
END=$((SECONDS + 120))
while [ $SECONDS -lt $END ] && kill -0 "$APP" 2>/dev/null; do
  grep -q ') started in ' "$WORK/app.log" 2>/dev/null && break; sleep 0.05
done
kill -9 "$APP"; wait "$APP" 2>/dev/null || true   # SIGKILL: no shutdown, so no class of the shutdown in the list
grep -q ') started in ' "$WORK/app.log" || { tail -20 "$WORK/app.log"; exit 1; }
awk '/ source: (file:|jar:|jrt:)/ && $0 !~ /\$\$Lambda|\/0x/ {print $2}' "$WORK/classes.txt" \
  | awk '!seen[$0]++' | grep -v '^io\.s3logroutes\.Preload' > src/main/resources/preload-classes.txt
wc -l src/main/resources/preload-classes.txt
