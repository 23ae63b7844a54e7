#!/usr/bin/env bash
# Ships one large log file (default 2 GiB of ~200-byte lines) with the application's heap capped (default -Xmx256m)
# against the embedded, filesystem-backed S3 server, and reports the time, the input rate and the JVM's peak RSS.
# usage: bench/ship-memory.sh [SIZE_MIB] [XMX]     (run from the repository root after `mvn -B package -DskipTests`)
set -euo pipefail
SIZE_MIB=${1:-2048}
XMX=${2:-256m}
cd "$(dirname "$0")/.."
JAR=target/s3-log-routes.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -q package -DskipTests"; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ship-memory.XXXXXX")
trap 'kill "$APP" 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/in" "$WORK/stage"

echo "generating ${SIZE_MIB} MiB of log lines in $WORK/stage/big.log"
python3 - "$WORK/stage/big.log" "$SIZE_MIB" <<'PY'
import sys, random
path, mib = sys.argv[1], int(sys.argv[2])
random.seed(1)
words = ["GET", "POST", "/api/orders", "/api/cart", "/login", "status=200", "status=404", "status=500",
         "user", "session", "latency_ms", "bytes", "upstream", "cache=hit", "cache=miss"]
target = mib << 20
with open(path, "w") as f:
    n = 0
    i = 0
    while n < target:
        line = "2026-11-22T02:00:%02d.%03dZ web-%d app[%d]: %s %08x\n" % (
            i % 60, i % 1000, i % 7, 1000 + i % 50, " ".join(random.choice(words) for _ in range(18)), i)
        f.write(line)
        n += len(line)
        i += 1
print("lines:", i)
PY
SIZE=$(stat -c %s "$WORK/stage/big.log")
echo "$SIZE" > /dev/null
mv "$WORK/stage/big.log" "$WORK/in/big.log"
touch "$WORK/seeded"

START=$(date +%s.%N)
java -Xmx"$XMX" -Ds3logs.s3.embedded=true -Ds3logs.s3.embedded-dir="$WORK/s3" \
     -Ds3logs.quickstart.marker-file="$WORK/seeded" -Ds3logs.quickstart.report-interval=1h \
     -Ds3logs.fetch.enabled=false -Ds3logs.ship.enabled=true -Ds3logs.ship.server=BENCH \
     -Ds3logs.ship.input-dir="$WORK/in" -Ds3logs.ship.done-dir="$WORK/done" -Ds3logs.ship.read-lock=none \
     -Ds3logs.ship.spool-dir="$WORK/spool" -Ds3logs.ship.file-state-file="$WORK/files.json" \
     -Ds3logs.ship.tail-state-file="$WORK/tail.json" \
     -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP=$!
PEAK=0
while kill -0 "$APP" 2>/dev/null; do
  RSS=$(awk '/VmHWM/ {print $2}' /proc/$APP/status 2>/dev/null || echo 0)
  [ "${RSS:-0}" -gt "$PEAK" ] && PEAK=$RSS
  if [ -f "$WORK/done/big.log" ] && ! ls "$WORK/spool"/*.batch >/dev/null 2>&1; then break; fi
  sleep 0.5
done
END=$(date +%s.%N)
kill "$APP" 2>/dev/null || true
wait "$APP" 2>/dev/null || true
if [ ! -f "$WORK/done/big.log" ]; then echo "FAILED: the file was not shipped"; tail -30 "$WORK/app.log"; exit 1; fi
if grep -q OutOfMemoryError "$WORK/app.log"; then echo "FAILED: OutOfMemoryError"; exit 1; fi
OBJECTS=$(find "$WORK/s3/buckets" -type f -path '*BENCH*' | wc -l)
STORED=$(find "$WORK/s3/buckets" -type f -path '*BENCH*' -printf '%s\n' | awk '{s+=$1} END {print s}')
awk -v s="$SIZE" -v t0="$START" -v t1="$END" -v peak="$PEAK" -v objs="$OBJECTS" -v stored="$STORED" -v xmx="$XMX" 'BEGIN {
  t = t1 - t0;
  printf "input %.0f MiB, -Xmx%s: shipped in %.1f s (%.1f MiB/s of input, JVM start included), peak RSS %.0f MiB, %d objects, %.0f MiB stored\n",
         s / 1048576, xmx, t, s / 1048576 / t, peak / 1024, objs, stored / 1048576 }'
