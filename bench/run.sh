#!/usr/bin/env bash
# Benchmarks of the application jar against baselines measured in the same run, on a standalone in-memory S3Proxy
# on 127.0.0.1. Each scenario runs RUNS times (default 3); the summary gives medians and ratios.
#
# usage: bench/run.sh [p6] [p2] [p1] [p3] [p5] [p4] [footprint] [syslog] [fault] [kills]   (default: p6 p2 p1 p3 p5)
#   p1     ship throughput: P1_MIB (1024) MiB of ~200-byte lines, gzip level P1_LEVEL (1) vs gzip -1 | aws s3 cp -
#   p1cmp  the same with this jar, with BASE_JAR (an earlier build), and with the drop-debug recipe's routes, in turns
#   p5cmp  fetch P5_OBJECTS objects with this jar and with BASE_JAR, in turns, from the same objects
#   p2     NXLog mode, one object per event: P2_EVENTS (3000) vs a raw SDK PUT loop (s3logs.ship.concurrency threads) and
#          the seed's loop; the application and the raw SDK loop first put P2_WARMUP (3000) untimed objects each (the
#          application's are timed apart: its cold start figure, JIT compilation included)
#   p3     collapse P3_OBJECTS (10000) gzip objects of ~2 KB vs the seed's algorithm, the server's limit, aws cli;
#          P3_APP_OPTS adds -D options to the backlog command (e.g. -Ds3logs.collapse.concurrency=8)
#   p5     fetch P5_OBJECTS (10000) objects into one file vs aws s3 cp --recursive
#   p6     cold start of the jar to routes started
#   p6cds  the same through the distribution's launcher (target/*-dist.tar.gz), with the class-data-sharing archive
#          of 'bin/s3-log-routes cds' and without it (S3_LOG_ROUTES_CDS=off), in turns
#   p6levers  start levers, each in turns with the baseline (bin/s3-log-routes, no archive, default JVM options), ship +
#          fetch on, wall time and the JVM's CPU time to routes started: the CDS archive of a real start
#          (bin/s3-log-routes cds), the earlier archive of 'check', -XX:TieredStopAtLevel=1, -XX:+UseSerialGC, and the
#          routes without the syslog routes' precondition (as before it); with BASE_JAR (a build before the change)
#          also the collapse command's whole run (no route files loaded) against that build's
#   p4     collapse memory: P4_MIB (3815, i.e. 4.0 GB) MiB of plain inputs (70 % objects of 10 MiB, 20 % of 4 MiB,
#          10 % in 10,000 small ones) on a filesystem-backed S3Proxy under $BENCH_TMP, backlog command with -Xmx$P4_XMX
#          (128m): peak RSS (ru_maxrss through /usr/bin/time) against 200 MB, and no file in java.io.tmpdir or the
#          working directory; once (P4_RUNS=1); P4_JAVA_OPTS adds JVM options (for example Native Memory Tracking)
#   footprint  P1 (P1_MIB, gzip P1_LEVEL) through the dist launcher (target/*-dist.tar.gz) with its default JVM options
#          vs java -jar with default ergonomics, in turns: throughput ratio and peak RSS (VmHWM); then one more pair with
#          Native Memory Tracking, sampled near the peak (jcmd, bench/results/<time>-nmt-ship-*.txt); FOOTPRINT_NMT=0
#          skips it, FOOTPRINT_JAVA_OPTS adds options after the launcher's defaults; FOOTPRINT_CDS=1 first runs the
#          launcher's cds command, so the launcher runs use the class-data-sharing archive as an installed copy would
#   syslog loggen (syslog-ng-core) SYSLOG_SECONDS (10) s, after SYSLOG_WARMUP (3) s untimed, at its highest rate,
#          SYSLOG_SIZE (200)-byte messages, over TCP and UDP (SYSLOG_PROTOS="tcp udp"), against the jar (ship + syslog, json, gzip level SYSLOG_LEVEL (1), to
#          S3Proxy; SYSLOG_APP_OPTS adds -D options) and against syslog-ng into a JSON file, in turns: messages sent
#          (loggen), received (/observe/metrics; lines of syslog-ng's file) and in S3; TCP must lose nothing;
#          BASE_JAR (an earlier build) joins each TCP turn; then size and speed of the gzip levels (GzipLevelBench)
#   jitdigest  SHA-256 (SigV4's payload hash over http://) and AES-GCM in 16 KiB records (TLS) over 8 MiB buffers,
#          in memory (JitDigestBench), with C1 only (the launcher's -XX:TieredStopAtLevel=1) and with C2, in turns
#   p7     cold start of the jar vs BASE_JAR (a jar built without camel-kubernetes, e.g. from the commit before it),
#          alternating, and with s3logs.cluster.kind=file: what the Kubernetes client on the classpath costs
#   fault  ship with 10 % faults and a 60 s outage through bench's fault proxy (ShipFaultBench)
#   kills  kill -9 at KILLS (50) random points of ship, fetch and collapse (ShipCrashIT, FetchKillIT, CollapseKillIT
#          with -Ds3logs.test.kills), and collapse through the fault proxy over FAULT_PERIODS (10) periods
#          (CollapseFaultIT); runs the tests through Maven (offline), once; KILL_TESTS="CollapseKillIT" runs some only
#   proxy  the latency proxy's own cost (with LATENCY_MS): the raw SDK's PUT loop and list + GETs at PROXY_THREADS (32),
#          straight to the server and through the proxy, in turns; at LATENCY_MS=0 it is the proxy's overhead alone
# LATENCY_MS=20 puts a proxy (bench's LatencyProxy: FaultProxy holding every request that long before relaying it,
#   each connection on its own thread) in front of the server: every measured client goes through it (the application,
#   the seed loops, the AWS CLI at its default settings, the raw SDK baselines and the server's limits). Set-up and
#   counting go straight to the server. The targets of p2, p3 and p5 become those of real S3 latency.
#   scale  time and peak RSS (ru_maxrss, /usr/bin/time) against the size of the work, RUNS runs each (SCALE_BIG_RUNS
#          for 1M objects and 16 GiB): collapse of SCALE_COLLAPSE (1000 10000 100000 1000000) objects of 2 KB in one
#          period with -Xmx$SCALE_XMX (128m) against bench's listing stub (ListingStubBench: NOT an S3 server, N
#          synthetic objects) and against S3Proxy up to SCALE_S3PROXY_MAX (100000), each beside the raw SDK's listing of
#          the same keys; fetch of SCALE_FETCH (1000 10000 100000) objects (with -Xmx$SCALE_FETCH_XMX (128m); empty: the
#          JVM's default heap); ship of SCALE_SHIP_GIB (1 4 16) GiB to a
#          filesystem-backed S3Proxy. Prints time per item and RSS per size, and draws bench/results/scale-*.png (gnuplot)
#          (SCALE_SHIP_GIB=none skips ship; SCALE_COLLAPSE=none and SCALE_FETCH=none skip those curves)
#   scaleplot  draws the scale curves and table again from the figures file of an earlier run: SCALE_FROM=bench/results/scale-*.dat
# APP_LAUNCHER=dist runs the application through the distribution's launcher and its default JVM options (APP_LAUNCHER_CDS=1:
#   with its class-data-sharing archive); APP_JAVA_OPTS adds JVM options (after the launcher's).
# PROFILE=1 adds stack samples (bench/sample-stacks.sh) of the application to p1 and p2: where the time goes.
# Run from anywhere; builds the jar and the test classes when missing. Results go to stdout and to
# bench/results/<UTC time>.md. Temporary data lives under $BENCH_TMP (default /tmp) and is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-3}
P1_MIB=${P1_MIB:-1024}; P1_LEVEL=${P1_LEVEL:-1}
P2_EVENTS=${P2_EVENTS:-3000}; P2_WARMUP=${P2_WARMUP:-3000}
P3_OBJECTS=${P3_OBJECTS:-10000}
P5_OBJECTS=${P5_OBJECTS:-10000}
P4_MIB=${P4_MIB:-3815}; P4_XMX=${P4_XMX:-128m}; P4_RUNS=${P4_RUNS:-1}
SYSLOG_SECONDS=${SYSLOG_SECONDS:-10}; SYSLOG_WARMUP=${SYSLOG_WARMUP:-3}; SYSLOG_SIZE=${SYSLOG_SIZE:-200}; SYSLOG_LEVEL=${SYSLOG_LEVEL:-1}
KILLS=${KILLS:-50}; FAULT_PERIODS=${FAULT_PERIODS:-10}
SCENARIOS=("$@"); [ ${#SCENARIOS[@]} -gt 0 ] || SCENARIOS=(p6 p2 p1 p3 p5)

JAR=${JAR:-$ROOT/target/s3-log-routes.jar}   # JAR=other.jar bench/run.sh: the same scenarios with another build
[ -f "$JAR" ] || mvn -B -q -o package -DskipTests
[ -f target/test-classes/io/s3logroutes/bench/S3ToolBench.class ] || mvn -B -q -o test-compile
[ -f target/bench.classpath ] || mvn -B -q -o dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
CP=$ROOT/target/test-classes:$ROOT/target/classes:$(cat target/bench.classpath)

WORK=$(mktemp -d "${BENCH_TMP:-/tmp}/s3bench.XXXXXX")
mkdir -p bench/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=$ROOT/bench/results/$STAMP.md
S3PID=; APP=; S3FS=; LATPID=; SNG=
cleanup() {
  [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
  [ -n "$S3PID" ] && kill "$S3PID" 2>/dev/null || true
  [ -n "$S3FS" ] && kill "$S3FS" 2>/dev/null || true
  [ -n "$LATPID" ] && kill "$LATPID" 2>/dev/null || true
  [ -n "$SNG" ] && kill "$SNG" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
printf '[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n' > "$WORK/aws-config"
export AWS_CONFIG_FILE=$WORK/aws-config AWS_SHARED_CREDENTIALS_FILE=/dev/null

now() { date +%s.%N; }
load() { uptime | sed 's/.*load average: //'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
med() { printf '%s\n' "$@" | median; }   # med VALUE...: the median of the arguments
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }   # a free TCP port of 127.0.0.1
field() { sed -n "s/.*[ ]$1=\([0-9.]*\).*/\1/p" | tail -1; }   # field NAME < "RESULT a=1 b=2"
say() { echo "$*" | tee -a "$RESULTS"; }
tool() { java -Xmx1g -cp "$CP" io.s3logroutes.bench.S3ToolBench "$S3EP" "$BUCKET" "$@"; }   # set-up, straight to S3
mtool() { java -Xmx1g -cp "$CP" io.s3logroutes.bench.S3ToolBench "$EP" "$BUCKET" "$@"; }   # measured, through $EP

# --- the S3 server: S3Proxy in memory, as EmbeddedS3Server starts it, with credentials test/test ---
PORT=$(free_port)
EP=http://127.0.0.1:$PORT
cat > "$WORK/s3proxy.properties" <<EOF
s3proxy.endpoint=$EP
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=test
s3proxy.credential=test
s3proxy.ignore-unknown-headers=true
jclouds.identity=unused
jclouds.credential=unused
jclouds.provider=transient-nio2
EOF
java -Xmx${S3PROXY_XMX:-3g} -jar target/embedded/s3proxy.jar --properties "$WORK/s3proxy.properties" > "$WORK/s3proxy.log" 2>&1 &
S3PID=$!
for i in $(seq 1 300); do curl -s -o /dev/null "$EP/" && break; sleep 0.1; done
S3EP=$EP
BUCKET=bench-$(date +%s)
tool mkbucket
LATPID=
if [ -n "${LATENCY_MS:-}" ]; then   # the latency profile: every measured client talks to the proxy instead
  java -Xmx1g -cp "$CP" io.s3logroutes.bench.LatencyProxy "$S3EP" "$LATENCY_MS" > "$WORK/latency-proxy.log" 2>&1 &
  LATPID=$!
  for i in $(seq 1 300); do grep -q '^http' "$WORK/latency-proxy.log" 2>/dev/null && break; sleep 0.1; done
  EP=$(head -1 "$WORK/latency-proxy.log")
fi
# the ship concurrency of p2 (ours and the raw SDK's PUT loop alike), the threads of the server's limits
P2_CONCURRENCY=${P2_CONCURRENCY:-$(sed -n 's/^s3logs.ship.concurrency *= *//p' application.properties)}
LIMIT_THREADS=${LIMIT_THREADS:-$([ -n "${LATENCY_MS:-}" ] && echo 64 || echo 8)}

{
  echo "# bench/run.sh ${SCENARIOS[*]} — $STAMP"
  echo
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), $(uname -sr)"
  echo "- java: $(java -version 2>&1 | head -1); aws: $(aws --version 2>&1); S3Proxy in memory at $S3EP (-Xmx${S3PROXY_XMX:-3g})"
  [ -z "${LATENCY_MS:-}" ] || echo "- latency profile: every measured client through bench's LatencyProxy at $EP, ${LATENCY_MS} ms held per request"
  echo "- runs per figure: $RUNS; load average (1, 5, 15 min) at the start: $(load)"
  echo
} | tee "$RESULTS"

# APP_LAUNCHER=dist: the application of every scenario that starts it with app_start (p2, p1, p5, ...) runs through the
# distribution's launcher (target/*-dist.tar.gz, unpacked once) with its default JVM options, as an installed copy
# runs; APP_LAUNCHER_CDS=1 first writes its class-data-sharing archive ('bin/s3-log-routes cds')
if [ "${APP_LAUNCHER:-}" = dist ]; then
  mkdir -p "$WORK/app-dist"; tar -xzf "$(ls "$ROOT"/target/s3-log-routes-*-dist.tar.gz | head -1)" -C "$WORK/app-dist"
  APP_LAUNCHER=$(ls -d "$WORK"/app-dist/s3-log-routes-*)/bin/s3-log-routes
  if [ "${APP_LAUNCHER_CDS:-0}" = 1 ]; then "$APP_LAUNCHER" cds > "$WORK/app-dist/cds.log" 2>&1 || { tail -5 "$WORK/app-dist/cds.log"; exit 1; }; fi
  say "- the application runs through the distribution's launcher ($(sed -n 's/^mem_opts="\(.*\)"$/\1/p' "$APP_LAUNCHER")$([ "${APP_LAUNCHER_CDS:-0}" = 1 ] && echo ', with its cds archive'))${APP_JAVA_OPTS:+, plus $APP_JAVA_OPTS}"
fi

# --- the application, started from an empty directory of its own (its relative data/ paths land there) ---
APPDIR=
app_exec() {   # app_exec OPTION... -- ARG...: execs the application with JVM OPTIONs and application ARGs, through
  # APP_LAUNCHER=bin/s3-log-routes (the options in JAVA_OPTS) or as java -jar $JAR
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  if [ -n "${APP_LAUNCHER:-}" ]; then JAVA_OPTS="${opts[*]}" exec "$APP_LAUNCHER" "$@"; fi
  exec java "${opts[@]}" -jar "$JAR" "$@"
}
app_start() {   # app_start NAME [-Dkey=value ...]; returns once Camel reports the routes started
  APPDIR=$WORK/app-$1; shift
  rm -rf "$APPDIR"; mkdir -p "$APPDIR/data"; touch "$APPDIR/data/quickstart-seeded"
  # APP_ROUTES=dir: route files beside the jar (they replace the packaged files of the same name), e.g. a recipe's
  if [ -n "${APP_ROUTES:-}" ]; then cp -r "$APP_ROUTES" "$APPDIR/routes"; fi
  local opts=(${APP_JAVA_OPTS:-} -Ds3logs.log.level.org.apache.camel.impl.engine=INFO -Dorg.slf4j.simpleLogger.log.org.apache.camel.impl.engine=info
      -Ds3logs.s3.embedded=false -Ds3logs.s3.endpoint="$EP" -Ds3logs.s3.path-style=true -Ds3logs.s3.bucket="$BUCKET"
      -Ds3logs.ship.enabled=false -Ds3logs.fetch.enabled=false -Ds3logs.quickstart.report-interval=1h "$@")
  ( cd "$APPDIR" && app_exec "${opts[@]}" -- > "$APPDIR/app.log" 2>&1 ) &
  APP=$!
  APP_T0=$(now)
  for i in $(seq 1 3000); do
    if grep -q ') started in ' "$APPDIR/app.log" 2>/dev/null; then APP_T1=$(now); return 0; fi
    if app_exited; then return 1; fi
    sleep 0.01
  done
  echo "the application did not start in 30 s"; tail -20 "$APPDIR/app.log"; return 1
}
app_stop() { kill "$APP" 2>/dev/null || true; wait "$APP" 2>/dev/null || true; APP=; }
app_exited() {   # true, with the end of its log on stderr, once the application $APP is gone (for wait loops)
  kill -0 "$APP" 2>/dev/null && return 1
  echo "the application exited:" >&2; tail -20 "$APPDIR/app.log" >&2
}
peak_rss_mib() { awk '/VmHWM/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
s3fs_start() {   # s3fs_start NAME: a filesystem-backed S3Proxy of its own on a free port, its data in $WORK/NAME-s3; sets FS_EP, S3FS
  local port; port=$(free_port)
  FS_EP=http://127.0.0.1:$port
  mkdir -p "$WORK/$1-s3"
  sed -e "s#^s3proxy.endpoint=.*#s3proxy.endpoint=$FS_EP#" -e 's/^jclouds.provider=.*/jclouds.provider=filesystem-nio2/' \
      "$WORK/s3proxy.properties" > "$WORK/s3proxy-$1.properties"
  echo "jclouds.filesystem.basedir=$WORK/$1-s3" >> "$WORK/s3proxy-$1.properties"
  java -Xmx1g -jar target/embedded/s3proxy.jar --properties "$WORK/s3proxy-$1.properties" > "$WORK/s3proxy-$1.log" 2>&1 &
  S3FS=$!
  for i in $(seq 1 300); do curl -s -o /dev/null "$FS_EP/" && break; sleep 0.1; done
}
spool_empty() { ! ls "$APPDIR/data/spool"/*.batch >/dev/null 2>&1; }

ship_props=(-Ds3logs.ship.enabled=true -Ds3logs.ship.include=*.log -Ds3logs.ship.read-lock=none
            -Ds3logs.ship.poll-interval=50ms -Ds3logs.ship.tail=)

gen_lines() {   # gen_lines FILE MIB [LINES]: ~200-byte log lines (the same generator as bench/ship-memory.sh)
  python3 - "$1" "$2" "${3:-0}" <<'PY'
import sys, random
path, mib, max_lines = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(1)
words = ["GET", "POST", "/api/orders", "/api/cart", "/login", "status=200", "status=404", "status=500",
         "user", "session", "latency_ms", "bytes", "upstream", "cache=hit", "cache=miss"]
target = mib << 20
with open(path, "w") as f:
    n = i = 0
    while (max_lines and i < max_lines) or (not max_lines and n < target):
        line = "2026-11-22T02:00:%02d.%03dZ web-%d app[%d]: %s %08x\n" % (
            i % 60, i % 1000, i % 7, 1000 + i % 50, " ".join(random.choice(words) for _ in range(18)), i)
        f.write(line)
        n += len(line)
        i += 1
PY
}

ship_once() {   # ship_once NAME FILE [-D...]: starts the app, drops FILE, prints "seconds peak_rss_mib" once shipped;
  # WARMUP_FILE=F: ships F first, untimed against FILE, and prints its seconds third ("seconds peak_rss_mib warmup_seconds")
  local name=$1 file=$2; shift 2
  app_start "$name" "${ship_props[@]}" -Ds3logs.ship.server="$name" "$@" >&2
  mkdir -p "$APPDIR/data/in"
  local warm=
  if [ -n "${WARMUP_FILE:-}" ]; then
    local w0; w0=$(now)
    mv "$WARMUP_FILE" "$APPDIR/data/in/warmup.log"
    until [ -f "$APPDIR/data/done/warmup.log" ] && spool_empty; do
      if app_exited; then return 1; fi
      sleep 0.05
    done
    warm=$(echo "$(now) - $w0" | bc)
    mv "$APPDIR/data/done/warmup.log" "$WARMUP_FILE"
  fi
  local t0; t0=$(now)
  mv "$file" "$APPDIR/data/in/input.log"
  local sampler= nmt=
  if [ -n "${NMT_OUT:-}" ]; then nmt_peak "$APP" "$NMT_OUT" & nmt=$!; fi
  if [ -n "${PROFILE:-}" ]; then bench/sample-stacks.sh "$APP" "${PROFILE_SAMPLES:-40}" 0.2 > "$WORK/profile-$name.txt" & sampler=$!; fi
  local peak=0 rss
  while true; do
    rss=$(peak_rss_mib "$APP"); [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    if [ -f "$APPDIR/data/done/input.log" ] && spool_empty; then break; fi
    if app_exited; then return 1; fi
    sleep 0.05
  done
  local t1; t1=$(now)
  [ -z "$nmt" ] || { kill "$nmt" 2>/dev/null; wait "$nmt" 2>/dev/null || true; }
  if [ -n "$sampler" ]; then
    wait "$sampler" || true
    { echo "  stack samples of $name (threads in io.s3logroutes code that are not idle; top frame <- first own frame):"
      sed 's/^/    /' "$WORK/profile-$name.txt"; } | tee -a "$RESULTS" >&2
  fi
  mv "$APPDIR/data/done/input.log" "$file"
  app_stop
  echo "$(echo "$t1 - $t0" | bc) $peak${warm:+ $warm}"
}

nmt_peak() {   # nmt_peak PID OUT: every 2 s jcmd VM.native_memory summary of a JVM with Native Memory Tracking on;
  # OUT keeps the sample of the highest VmRSS (the one nearest the peak), headed by that RSS
  local pid=$1 out=$2 best=0 rss
  while kill -0 "$pid" 2>/dev/null; do
    if jcmd "$pid" VM.native_memory summary > "$out.new" 2>/dev/null && grep -q '^Total:' "$out.new"; then
      rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
      if [ "${rss:-0}" -gt "$best" ]; then best=$rss; { echo "VmRSS at the sample: $((rss / 1024)) MiB"; cat "$out.new"; } > "$out"; fi
    fi
    sleep 2
  done
  rm -f "$out.new"
}
nmt_lines() {   # nmt_lines FILE: the committed MiB of the main NMT categories, on one line
  awk '/^VmRSS at the sample/ {rss=$5}
       /^Total: / {match($0, /committed=[0-9]+KB/); tot=substr($0, RSTART+10, RLENGTH-12)}
       /^-  *[A-Za-z][A-Za-z ]*\(reserved=/ {name=$0; sub(/^- */, "", name); sub(/ *\(reserved=.*/, "", name);
         match($0, /committed=[0-9]+KB/); c=substr($0, RSTART+10, RLENGTH-12);
         if (c + 0 >= 512) line = line sprintf(", %s %.1f", name, c / 1024)}
       END {printf "RSS %s MiB at the sample; NMT committed %.1f MiB%s (MiB)\n", rss, tot / 1024, line}' "$1"
}

summary=()
row() { summary+=("| $1 | $2 | $3 | $4 | $5 | $6 |"); }   # scenario, figure, baseline, ratio, target, load

# ---------------------------------------------------------------------------------------------------------------
phase() {   # phase PATTERN LABEL: " LABEL +X.XXX" from the first log line matching PATTERN, relative to APP_T0
  local ts; ts=$(grep -m1 -F "$1" "$APPDIR/app.log" | cut -d' ' -f1)
  [ -n "$ts" ] && printf ' %s +%.3f;' "$2" "$(echo "$(date -d "$ts" +%s.%N) - $APP_T0" | bc)"
}

p6() {
  say "## P6 cold start (java -jar to 'routes started', ship + fetch enabled)"
  local walls=() boots=()
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    app_start "p6-$r" -Ds3logs.ship.enabled=true -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix=none/
    local wall; wall=$(echo "$APP_T1 - $APP_T0" | bc)
    local boot; boot=$(grep -o 'started in .*' "$APPDIR/app.log" | head -1)
    local phases; phases=$(phase "S3LogsConfiguration - S3 endpoint" "S3 client + HeadBucket done"; phase ") is starting" "Camel context starting"; phase ") started in" "routes started")
    app_stop
    say "  run $r: ${wall}s from launch to routes started; Camel: $boot; load $l"
    say "    phases (s after launch, from the log's timestamps):$phases"
    walls+=("$wall")
  done
  local m; m=$(med "${walls[@]}")
  local jv=()
  for r in $(seq 1 "$RUNS"); do
    local j0 j1; j0=$(now); java -version > /dev/null 2>&1; j1=$(now); jv+=("$(echo "$j1 - $j0" | bc)")
  done
  local mj; mj=$(med "${jv[@]}")
  say "  median: ${m}s; java -version alone (the JVM's own start): ${mj}s"
  row "P6 cold start to routes started" "${m} s" "java -version: ${mj} s" "—" "≤ 2 s: $(awk -v m="$m" 'BEGIN {print (m <= 2) ? "met" : "missed"}')" "$(load)"
}

p6cds() {
  say "## P6 cold start through bin/s3-log-routes, with lib/s3-log-routes.jsa and without (S3_LOG_ROUTES_CDS=off), in turns"
  local dist; dist=$(ls "$ROOT"/target/s3-log-routes-*-dist.tar.gz | head -1)
  rm -rf "$WORK/dist"; mkdir -p "$WORK/dist"; tar -xzf "$dist" -C "$WORK/dist"
  local home; home=$(ls -d "$WORK"/dist/s3-log-routes-*)
  ( mkdir -p "$WORK/dist-cds" && cd "$WORK/dist-cds" && "$home/bin/s3-log-routes" cds ) | tee -a "$RESULTS"
  say "  archive: $(stat -c %s "$home/lib/s3-log-routes.jsa") bytes"
  local with=() without=() launcher_jar=$JAR
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    for mode in off on; do
      APPDIR=$WORK/app-p6cds-$mode-$r; rm -rf "$APPDIR"; mkdir -p "$APPDIR/data"; touch "$APPDIR/data/quickstart-seeded"
      ( cd "$APPDIR" && S3_LOG_ROUTES_CDS=$mode JAVA_OPTS="-Ds3logs.log.level.org.apache.camel.impl.engine=INFO -Dorg.slf4j.simpleLogger.log.org.apache.camel.impl.engine=info -Ds3logs.s3.embedded=false -Ds3logs.s3.endpoint=$EP \
          -Ds3logs.s3.path-style=true -Ds3logs.s3.bucket=$BUCKET -Ds3logs.ship.enabled=true -Ds3logs.fetch.enabled=true \
          -Ds3logs.fetch.prefix=none/ -Ds3logs.quickstart.report-interval=1h" exec "$home/bin/s3-log-routes" \
          > "$APPDIR/app.log" 2>&1 ) &
      APP=$!; APP_T0=$(now); APP_T1=
      for i in $(seq 1 3000); do
        if grep -q ') started in ' "$APPDIR/app.log" 2>/dev/null; then APP_T1=$(now); break; fi
        sleep 0.01
      done
      app_stop
      [ -n "$APP_T1" ] || { say "  run $r ($mode): did not start"; tail -20 "$APPDIR/app.log"; return 1; }
      local wall; wall=$(echo "$APP_T1 - $APP_T0" | bc)
      if [ "$mode" = on ]; then with+=("$wall"); else without+=("$wall"); fi
    done
    say "  run $r: without the archive ${without[-1]}s, with it ${with[-1]}s; load $l"
  done
  local mw mo; mw=$(med "${with[@]}"); mo=$(med "${without[@]}")
  say "  median: with ${mw}s (${with[*]}), without ${mo}s (${without[*]})"
  row "P6 cold start via bin/s3-log-routes with the CDS archive" "${mw} s" "without it: ${mo} s" \
    "$(awk -v a="$mw" -v b="$mo" 'BEGIN {printf "%.2f", a / b}')" "≤ 2 s: $(awk -v m="$mw" 'BEGIN {print (m <= 2) ? "met" : "missed"}')" "$(load)"
  JAR=$launcher_jar
}

# --- p6levers: each start lever against the baseline, in turns ---
S3_OPTS=
launcher_start() {   # launcher_start HOME NAME [VAR=value ...]: bin/s3-log-routes with ship + fetch on; sets APP_T0/APP_T1
  local home=$1 name=$2; shift 2
  APPDIR=$WORK/app-$name; rm -rf "$APPDIR"; mkdir -p "$APPDIR/data"; touch "$APPDIR/data/quickstart-seeded"
  ( cd "$APPDIR" && exec env "$@" JAVA_OPTS="${LEVER_OPTS:-} -Ds3logs.log.level.org.apache.camel.impl.engine=INFO $S3_OPTS \
      -Ds3logs.ship.enabled=true -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix=none/ \
      -Ds3logs.quickstart.report-interval=1h" "$home/bin/s3-log-routes" > "$APPDIR/app.log" 2>&1 ) &
  APP=$!; APP_T0=$(now); APP_T1=; APP_CPU=
  for i in $(seq 1 6000); do
    if grep -q ') started in ' "$APPDIR/app.log" 2>/dev/null; then
      # the JVM's CPU time (user + system) until then: the launcher execs java, so $APP is the JVM
      APP_T1=$(now); APP_CPU=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' "/proc/$APP/stat"); break
    fi
    kill -0 "$APP" 2>/dev/null || break
    sleep 0.01
  done
  app_stop
  [ -n "$APP_T1" ] || { echo "$name did not start:"; tail -20 "$APPDIR/app.log"; return 1; }
}
unpack_dist() {   # unpack_dist DIR: the distribution tarball unpacked under DIR; prints its home
  rm -rf "$1"; mkdir -p "$1"; tar -xzf "$(ls "$ROOT"/target/s3-log-routes-*-dist.tar.gz | head -1)" -C "$1"
  ls -d "$1"/s3-log-routes-*
}
p6levers() {
  say "## P6 start levers: bin/s3-log-routes with ship + fetch on, launch to Camel's 'started in', each lever in turns with the baseline"
  S3_OPTS="-Ds3logs.s3.embedded=false -Ds3logs.s3.endpoint=$EP -Ds3logs.s3.path-style=true -Ds3logs.s3.bucket=$BUCKET"
  local base start check noprec
  base=$(unpack_dist "$WORK/lv-base"); start=$(unpack_dist "$WORK/lv-start"); check=$(unpack_dist "$WORK/lv-check")
  noprec=$(unpack_dist "$WORK/lv-noprec")
  sed -i '/^    precondition:/d; /^    # false: the route is not created at all/d' "$noprec/routes/ship.camel.yaml"
  ( cd "$WORK" && JAVA_OPTS="$S3_OPTS" "$start/bin/s3-log-routes" cds ) | tee -a "$RESULTS"
  # the earlier archive: the classes of the check command (loading the settings and routes, starting nothing)
  ( cd "$WORK" && java -XX:ArchiveClassesAtExit="$check/lib/s3-log-routes.jsa" -Ds3logs.config-file="$check/config/application.properties" \
      -Ds3logs.routes-dir="$check/routes" $S3_OPTS -jar "$check/lib/s3-log-routes.jar" check > /dev/null )
  say "  archives: real start $(stat -c %s "$start/lib/s3-log-routes.jsa") bytes, check $(stat -c %s "$check/lib/s3-log-routes.jsa") bytes"
  # base: the launcher without its memory defaults (S3_LOG_ROUTES_MEM_OPTS=, default ergonomics) and without an archive;
  # each lever alone against it; shipped: the launcher as installed, its memory defaults and the archive of `cds`
  local levers=(shipped memdefaults cds-start cds-check tiered1 serialgc no-precondition) lever
  declare -A t=() cpu=()
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load) line="  run $r:"
    for lever in base "${levers[@]}"; do
      case $lever in
        base) LEVER_OPTS= launcher_start "$base" "lv-$lever-$r" S3_LOG_ROUTES_MEM_OPTS= ;;
        shipped) LEVER_OPTS= launcher_start "$start" "lv-$lever-$r" ;;
        memdefaults) LEVER_OPTS= launcher_start "$base" "lv-$lever-$r" ;;
        cds-start) LEVER_OPTS= launcher_start "$start" "lv-$lever-$r" S3_LOG_ROUTES_MEM_OPTS= ;;
        cds-check) LEVER_OPTS= launcher_start "$check" "lv-$lever-$r" S3_LOG_ROUTES_MEM_OPTS= ;;
        tiered1) LEVER_OPTS=-XX:TieredStopAtLevel=1 launcher_start "$base" "lv-$lever-$r" S3_LOG_ROUTES_MEM_OPTS= ;;
        serialgc) LEVER_OPTS=-XX:+UseSerialGC launcher_start "$base" "lv-$lever-$r" S3_LOG_ROUTES_MEM_OPTS= ;;
        no-precondition) LEVER_OPTS= launcher_start "$noprec" "lv-$lever-$r" S3_LOG_ROUTES_MEM_OPTS= ;;
      esac
      t[$lever]="${t[$lever]:-} $(echo "$APP_T1 - $APP_T0" | bc)"
      cpu[$lever]="${cpu[$lever]:-} $APP_CPU"
      line="$line $lever $(echo "$APP_T1 - $APP_T0" | bc)s cpu ${APP_CPU}s;"
    done
    say "$line load $l"
  done
  local mb cb; mb=$(med ${t[base]}); cb=$(med ${cpu[base]})
  say "  median baseline: ${mb}s (${t[base]# }), cpu ${cb}s (${cpu[base]# })"
  for lever in "${levers[@]}"; do
    local m c; m=$(med ${t[$lever]}); c=$(med ${cpu[$lever]})
    local rw rc; rw=$(awk -v a="$m" -v b="$mb" 'BEGIN {printf "%.2f", a / b}'); rc=$(awk -v a="$c" -v b="$cb" 'BEGIN {printf "%.2f", a / b}')
    say "  median $lever: ${m}s (${t[$lever]# }), cpu ${c}s (${cpu[$lever]# }); ratio to the baseline: wall $rw, cpu $rc"
    if [ "$lever" = no-precondition ]; then   # the lever is the baseline here: the shipped routes against the earlier ones
      row "P6 lever syslog routes not created when off (the shipped routes; baseline: without the precondition)" \
        "${mb} s, cpu ${cb} s" "${m} s, cpu ${c} s" "wall $(awk -v a="$mb" -v b="$m" 'BEGIN {printf "%.2f", a / b}'), cpu $(awk -v a="$cb" -v b="$c" 'BEGIN {printf "%.2f", a / b}')" "—" "$(load)"
    else
      row "P6 lever $lever (bin/s3-log-routes)" "${m} s, cpu ${c} s" "${mb} s, cpu ${cb} s" "wall $rw, cpu $rc" \
        "≤ 1.5 s: $(awk -v m="$m" 'BEGIN {print (m <= 1.5) ? "met" : "missed"}')" "$(load)"
    fi
  done
  if [ -n "${BASE_JAR:-}" ]; then p6collapse; fi
}
p6collapse() {   # the collapse command's whole run (a period with no input) with this jar and BASE_JAR, in turns
  say "## collapse command, one empty period, whole run: this jar vs BASE_JAR ($BASE_JAR), in turns"
  declare -A c=() cc=()
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load) line="  run $r:"
    for which in base ours; do
      local jar=$JAR; [ "$which" = base ] && jar=$BASE_JAR
      local d=$WORK/coll-$which-$r; rm -rf "$d"; mkdir -p "$d"
      local t0 t1; t0=$(now)
      ( cd "$d" && /usr/bin/time -f '%U %S' -o "$d/time" java $S3_OPTS -Ds3logs.collapse.input-prefix=empty/ -Ds3logs.collapse.output-prefix=empty-out/ \
          -jar "$jar" collapse --from 2014-12-31 --to 2014-12-31 > "$d/out.log" 2>&1 ) || { say "  $which failed:"; tail -5 "$d/out.log"; return 1; }
      t1=$(now)
      local u; u=$(awk '{printf "%.2f", $1 + $2}' "$d/time")
      c[$which]="${c[$which]:-} $(echo "$t1 - $t0" | bc)"; cc[$which]="${cc[$which]:-} $u"
      line="$line $which $(echo "$t1 - $t0" | bc)s cpu ${u}s;"
    done
    say "$line load $l"
  done
  local mb mo; mb=$(med ${c[base]}); mo=$(med ${c[ours]})
  local cb co; cb=$(med ${cc[base]}); co=$(med ${cc[ours]})
  say "  median: this jar ${mo}s cpu ${co}s (${c[ours]# }; ${cc[ours]# }), BASE_JAR ${mb}s cpu ${cb}s (${c[base]# }; ${cc[base]# })"
  row "collapse command, empty period, whole run" "${mo} s, cpu ${co} s" "BASE_JAR: ${mb} s, cpu ${cb} s" \
    "wall $(awk -v a="$mo" -v b="$mb" 'BEGIN {printf "%.2f", a / b}'), cpu $(awk -v a="$co" -v b="$cb" 'BEGIN {printf "%.2f", a / b}')" "—" "$(load)"
}

p7() {
  [ -n "${BASE_JAR:-}" ] && [ -f "$BASE_JAR" ] || { say "## P7 skipped: BASE_JAR (a jar without camel-kubernetes) not set"; return 0; }
  say "## P7 cold start with camel-kubernetes on the classpath vs BASE_JAR without it (fetch on, kind none and file)"
  say "  jar sizes: $(stat -c %s "$JAR") bytes ($(unzip -l "$JAR" | tail -1 | awk '{print $2}') entries) vs BASE_JAR $(stat -c %s "$BASE_JAR") bytes ($(unzip -l "$BASE_JAR" | tail -1 | awk '{print $2}') entries)"
  local ours=() base=() file=() main=$JAR
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    JAR=$BASE_JAR; app_start "p7-base-$r" -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix=none/; app_stop
    local b; b=$(echo "$APP_T1 - $APP_T0" | bc)
    JAR=$main; app_start "p7-ours-$r" -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix=none/; app_stop
    local o; o=$(echo "$APP_T1 - $APP_T0" | bc)
    app_start "p7-file-$r" -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix=none/ -Ds3logs.cluster.kind=file \
      -Ds3logs.cluster.lock-dir="$WORK/p7-locks-$r"; app_stop
    local f; f=$(echo "$APP_T1 - $APP_T0" | bc)
    say "  run $r: BASE_JAR ${b}s; this jar ${o}s; this jar with kind=file ${f}s; load $l"
    base+=("$b"); ours+=("$o"); file+=("$f")
  done
  JAR=$main
  local mo mb mf; mo=$(med "${ours[@]}"); mb=$(med "${base[@]}"); mf=$(med "${file[@]}")
  local ra rf; ra=$(echo "scale=2; $mo / $mb" | bc); rf=$(echo "scale=2; $mf / $mb" | bc)
  say "  median: BASE_JAR ${mb}s, this jar ${mo}s (ratio $ra), kind=file ${mf}s (ratio $rf)"
  row "P7 cold start with camel-kubernetes (kind none)" "$mo s" "jar without it: $mb s" "$ra" "—" "$(load)"
  row "P7 cold start with kind=file" "$mf s" "jar without camel-kubernetes: $mb s" "$rf" "—" "$(load)"
}

p1cmp() {
  [ -n "${BASE_JAR:-}" ] && [ -f "$BASE_JAR" ] || { say "## P1cmp skipped: BASE_JAR (the build to compare with) not set"; return 0; }
  say "## P1cmp ship throughput of this jar vs BASE_JAR, and with the drop-debug recipe: $P1_MIB MiB, gzip level $P1_LEVEL"
  gen_lines "$WORK/p1.log" "$P1_MIB"
  local size; size=$(stat -c %s "$WORK/p1.log")
  local ours=() base=() recipe=() main=$JAR secs rss
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    JAR=$BASE_JAR; read -r secs rss < <(ship_once "P1b-$r" "$WORK/p1.log" -Ds3logs.ship.gzip-level="$P1_LEVEL")
    local b; b=$(echo "scale=1; $size / 1048576 / $secs" | bc); tool rm "P1b-$r/" >/dev/null
    JAR=$main; read -r secs rss < <(ship_once "P1o-$r" "$WORK/p1.log" -Ds3logs.ship.gzip-level="$P1_LEVEL")
    local o; o=$(echo "scale=1; $size / 1048576 / $secs" | bc); tool rm "P1o-$r/" >/dev/null
    read -r secs rss < <(APP_ROUTES=$ROOT/examples/recipes/drop-debug/routes ship_once "P1r-$r" "$WORK/p1.log" \
        -Ds3logs.ship.gzip-level="$P1_LEVEL")
    local d; d=$(echo "scale=1; $size / 1048576 / $secs" | bc); tool rm "P1r-$r/" >/dev/null
    say "  run $r: BASE_JAR $b MiB/s; this jar $o MiB/s; this jar with drop-debug $d MiB/s; load $l"
    base+=("$b"); ours+=("$o"); recipe+=("$d")
  done
  JAR=$main
  local mo mb md; mo=$(med "${ours[@]}"); mb=$(med "${base[@]}"); md=$(med "${recipe[@]}")
  local ra rd; ra=$(echo "scale=2; $mo / $mb" | bc); rd=$(echo "scale=2; $md / $mb" | bc)
  say "  median: BASE_JAR $mb MiB/s, this jar $mo MiB/s (ratio $ra), drop-debug $md MiB/s (ratio $rd)"
  row "P1 shipped routes vs the earlier build" "$mo MiB/s" "BASE_JAR: $mb MiB/s" "$ra" "≥ 0.9×: $(awk -v r="$ra" 'BEGIN {print (r >= 0.9) ? "met" : "missed"}')" "$(load)"
  row "P1 drop-debug recipe vs the earlier build" "$md MiB/s" "BASE_JAR: $mb MiB/s" "$rd" "—" "$(load)"
  rm -f "$WORK/p1.log"
}

fetch_once() {   # fetch_once NAME PREFIX LASTKEY: starts the app, fetches PREFIX until the checkpoint is LASTKEY, prints seconds
  local t0; t0=$(now)
  app_start "$1" -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix="$2" -Ds3logs.fetch.initial-delay=10ms \
    -Ds3logs.fetch.settle=1s >&2
  until [ -f "$APPDIR/data/lastkey.log" ] && [ "$(cut -f1 "$APPDIR/data/lastkey.log")" = "$3" ]; do
    if app_exited; then return 1; fi
    sleep 0.05
  done
  local t1; t1=$(now)
  app_stop
  echo "$t1 - $t0" | bc
}

p5cmp() {
  [ -n "${BASE_JAR:-}" ] && [ -f "$BASE_JAR" ] || { say "## P5cmp skipped: BASE_JAR (the build to compare with) not set"; return 0; }
  say "## P5cmp fetch of $P5_OBJECTS ship objects (gzip, ~2 KB) with this jar vs BASE_JAR, in turns, the same objects"
  local last=$((P5_OBJECTS - 1)) ours=() base=() main=$JAR
  tool populate ship "p5c/" "$P5_OBJECTS" 2048 >/dev/null
  local lastkey; lastkey=$(printf 'p5c/2020-01-01/%02d.%02d.%02d-%06d.gz' $((last / 1000 / 3600)) $((last / 1000 / 60 % 60)) $((last / 1000 % 60)) $((last % 1000 + 1)))
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    JAR=$BASE_JAR; local b; b=$(fetch_once "p5b-$r" "p5c/" "$lastkey")
    JAR=$main; local o; o=$(fetch_once "p5o-$r" "p5c/" "$lastkey")
    say "  run $r: BASE_JAR ${b}s; this jar ${o}s; load $l"
    base+=("$b"); ours+=("$o")
  done
  JAR=$main
  tool rm "p5c/" >/dev/null
  local mo mb; mo=$(med "${ours[@]}"); mb=$(med "${base[@]}")
  local ra; ra=$(echo "scale=2; $mb / $mo" | bc)
  say "  median: BASE_JAR ${mb}s, this jar ${mo}s, speed ratio ${ra}"
  row "P5 fetch vs the earlier build" "$mo s" "BASE_JAR: $mb s" "${ra}× as fast" "≥ 0.9×: $(awk -v r="$ra" 'BEGIN {print (r >= 0.9) ? "met" : "missed"}')" "$(load)"
}

p2() {
  say "## P2 NXLog mode: $P2_EVENTS events, one object per event (max-events=1, no gzip, concurrency $P2_CONCURRENCY), after $P2_WARMUP untimed"
  gen_lines "$WORK/p2.log" 0 "$P2_EVENTS"
  local warmfile=; if [ "$P2_WARMUP" -gt 0 ]; then warmfile=$WORK/p2-warmup.log; gen_lines "$warmfile" 0 "$P2_WARMUP"; fi
  local ours=() raw=() seed=() lim=() cold=()
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    read -r secs rss wsecs < <(WARMUP_FILE=$warmfile ship_once "P2-$r" "$WORK/p2.log" -Ds3logs.ship.batch.max-events=1 -Ds3logs.ship.gzip=false -Ds3logs.ship.concurrency="$P2_CONCURRENCY")
    local n; n=$(tool count "P2-$r/" | field objects)
    local want=$((P2_EVENTS + P2_WARMUP))
    [ "$n" = "$want" ] || { say "  run $r: FAILED, $n objects of $want"; return 1; }
    local ops; ops=$(echo "scale=1; $P2_EVENTS / $secs" | bc)
    local cops=; [ -z "${wsecs:-}" ] || cops=$(echo "scale=1; $P2_WARMUP / $wsecs" | bc)
    local rawops; rawops=$(mtool put-loop "p2raw-$r/" "$P2_EVENTS" "$P2_CONCURRENCY" "$P2_WARMUP" | field per_second)
    local seedops; seedops=$(python3 bench/seed_write.py "$EP" "$BUCKET" "p2seed-$r" "$WORK/p2.log" | field per_second)
    local limops=; [ -z "${LATENCY_MS:-}" ] || limops=$(mtool put-loop "p2lim-$r/" "$P2_EVENTS" "$LIMIT_THREADS" "$P2_WARMUP" | field per_second)
    say "  run $r: ours $ops obj/s (${secs}s, peak RSS ${rss} MiB${cops:+; its first $P2_WARMUP objects, from a cold JVM: $cops obj/s}); raw SDK PUT loop $P2_CONCURRENCY threads $rawops obj/s; seed loop $seedops obj/s${limops:+; server limit ($LIMIT_THREADS threads) $limops obj/s}; load $l"
    ours+=("$ops"); raw+=("$rawops"); seed+=("$seedops"); lim+=("$limops"); cold+=("$cops")
  done
  local mo mr ms; mo=$(med "${ours[@]}"); mr=$(med "${raw[@]}"); ms=$(med "${seed[@]}")
  local ra rb; ra=$(echo "scale=2; $mo / $mr" | bc); rb=$(echo "scale=2; $mo / $ms" | bc)
  say "  median: ours $mo obj/s, raw SDK $mr obj/s (ratio $ra), seed $ms obj/s (ratio $rb)"
  if [ "$P2_WARMUP" -gt 0 ]; then
    local mc; mc=$(med "${cold[@]}")
    say "  median of the cold start's first $P2_WARMUP objects: $mc obj/s, $(echo "scale=2; $mc / $ms" | bc)× the seed"
    row "P2 NXLog mode objects/s, the first $P2_WARMUP from a cold JVM" "$mc obj/s" "seed's sequential loop (boto3): $ms obj/s" "$(echo "scale=2; $mc / $ms" | bc)" "—" "$(load)"
  fi
  local g=4; [ -z "${LATENCY_MS:-}" ] || g=10
  row "P2 NXLog mode objects/s" "$mo obj/s" "raw SDK PUT loop, $P2_CONCURRENCY threads: $mr obj/s" "$ra" "≥ 0.8: $(awk -v r="$ra" 'BEGIN {print (r >= 0.8) ? "met" : "missed"}')" "$(load)"
  row "P2 NXLog mode objects/s" "$mo obj/s" "seed's sequential loop (boto3): $ms obj/s" "$rb" "≥ $g: $(awk -v r="$rb" -v g=$g 'BEGIN {print (r >= g) ? "met" : "missed"}')" "$(load)"
  if [ -n "${LATENCY_MS:-}" ]; then
    local ml; ml=$(med "${lim[@]}")
    say "  server limit (raw SDK PUT loop, $LIMIT_THREADS threads): median $ml obj/s; ours $(echo "scale=2; $mo / $ml" | bc) of it"
    row "P2 NXLog mode objects/s" "$mo obj/s" "server limit (raw SDK PUT loop, $LIMIT_THREADS threads): $ml obj/s" "$(echo "scale=2; $mo / $ml" | bc)" "seed × $g = $(echo "$ms * $g" | bc) obj/s: $(awk -v l="$ml" -v s="$ms" -v g=$g 'BEGIN {print (l >= s * g) ? "within the limit" : "beyond the limit"}')" "$(load)"
  fi
  tool rm "P2-" >/dev/null; tool rm "p2" >/dev/null
}

p1() {
  say "## P1 ship throughput: $P1_MIB MiB of ~200-byte lines, gzip level $P1_LEVEL, batched (defaults otherwise)"
  gen_lines "$WORK/p1.log" "$P1_MIB"
  local size; size=$(stat -c %s "$WORK/p1.log")
  local ours=() base=()
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    read -r secs rss < <(ship_once "P1-$r" "$WORK/p1.log" -Ds3logs.ship.gzip-level="$P1_LEVEL")
    local mbs; mbs=$(echo "scale=1; $size / 1048576 / $secs" | bc)
    local stored; stored=$(tool count "P1-$r/" | field bytes)
    tool rm "P1-$r/" >/dev/null
    local t0 t1; t0=$(now)
    gzip -1 < "$WORK/p1.log" | aws --endpoint-url "$EP" s3 cp - "s3://$BUCKET/p1base/$r.gz" --only-show-errors
    t1=$(now)
    local bsecs; bsecs=$(echo "$t1 - $t0" | bc)
    local bmbs; bmbs=$(echo "scale=1; $size / 1048576 / $bsecs" | bc)
    tool rm "p1base/" >/dev/null
    say "  run $r: ours $mbs MiB/s (${secs}s, $stored bytes stored, peak RSS ${rss} MiB); gzip -1 | aws s3 cp - $bmbs MiB/s (${bsecs}s); load $l"
    ours+=("$mbs"); base+=("$bmbs")
  done
  local mo mb; mo=$(med "${ours[@]}"); mb=$(med "${base[@]}")
  local ra; ra=$(echo "scale=2; $mo / $mb" | bc)
  say "  median: ours $mo MiB/s, baseline $mb MiB/s, ratio $ra"
  row "P1 ship throughput (input MiB/s, gzip $P1_LEVEL)" "$mo MiB/s" "gzip -1 \| aws s3 cp -: $mb MiB/s" "$ra" "≥ 60 MiB/s: $(awk -v m="$mo" 'BEGIN {print (m >= 60) ? "met" : "missed"}'); ≥ 0.7×: $(awk -v r="$ra" 'BEGIN {print (r >= 0.7) ? "met" : "missed"}')" "$(load)"
  rm -f "$WORK/p1.log"
}

collapse_cmd() {   # collapse_cmd PREFIX: runs the backlog command for 2014-12-31; prints "seconds peak_rss_mib"
  local dir=$WORK/collapse; rm -rf "$dir"; mkdir -p "$dir"
  local t0; t0=$(now)
  # shellcheck disable=SC2086 # APP_JAVA_OPTS, P3_APP_OPTS (extra -D options of the application): split on spaces
  ( cd "$dir" && app_exec ${APP_JAVA_OPTS:-} -Ds3logs.s3.embedded=false -Ds3logs.s3.endpoint="$EP" -Ds3logs.s3.path-style=true \
      -Ds3logs.s3.bucket="$BUCKET" -Ds3logs.collapse.layout=s3-access -Ds3logs.collapse.input-prefix="$1" ${P3_APP_OPTS:-} \
      -- collapse --from 2014-12-31 --to 2014-12-31 > "$dir/out.log" 2>&1 ) &
  local pid=$! peak=0 rss
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(peak_rss_mib "$pid"); [ "${rss:-0}" -gt "$peak" ] && peak=$rss
    sleep 0.05
  done
  wait "$pid" || { echo "collapse failed:" >&2; tail -20 "$dir/out.log" >&2; return 1; }
  local t1; t1=$(now)
  echo "$(echo "$t1 - $t0" | bc) $peak"
}

p3() {
  say "## P3 collapse: $P3_OBJECTS gzip objects of ~2 KB into one (backlog command, JVM start included)"
  local ours=() seed=() limit=() cli=()
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    tool populate access "p3/$r/ours/" "$P3_OBJECTS" 2048 >/dev/null
    read -r secs rss < <(collapse_cmd "p3/$r/ours/")
    local left; left=$(tool count "p3/$r/ours/2014-12-31-" | field objects)
    local out; out=$(tool count "p3/$r/ours/2014-12-31_collapsed" | field bytes)
    tool populate access "p3/$r/seed/" "$P3_OBJECTS" 2048 >/dev/null
    local sd; sd=$(python3 bench/seed_collapse.py "$EP" "$BUCKET" "p3/$r/seed/2014-12-31-" "p3/$r/seed/2014-12-31_collapsed" "$WORK/seed-out" | field seconds)
    rm -f "$WORK/seed-out"
    tool populate access "p3/$r/limit/" "$P3_OBJECTS" 2048 >/dev/null
    local lm; lm=$(mtool limit-collapse "p3/$r/limit/2014-12-31-" "$LIMIT_THREADS" | tee "$WORK/limit.txt" | field seconds)
    tool populate access "p3/$r/cli/" "$P3_OBJECTS" 2048 >/dev/null
    local t0 t1; t0=$(now)
    mkdir -p "$WORK/cli"
    aws --endpoint-url "$EP" s3 cp --recursive "s3://$BUCKET/p3/$r/cli/" "$WORK/cli/" --only-show-errors
    find "$WORK/cli" -type f -name '2014-12-31-*' | sort | xargs cat > "$WORK/cli-out"
    aws --endpoint-url "$EP" s3 cp "$WORK/cli-out" "s3://$BUCKET/p3/$r/cli/2014-12-31_collapsed" --only-show-errors
    t1=$(now)
    rm -rf "$WORK/cli" "$WORK/cli-out"
    local cl; cl=$(echo "$t1 - $t0" | bc)
    say "  run $r: ours ${secs}s (peak RSS ${rss} MiB, $left input(s) left, output $out bytes); seed ${sd}s; server limit ${lm}s ($(sed 's/RESULT //' "$WORK/limit.txt")); aws cli ${cl}s; load $l"
    ours+=("$secs"); seed+=("$sd"); limit+=("$lm"); cli+=("$cl")
    tool rm "p3/$r/" >/dev/null
  done
  local mo ms ml mc; mo=$(med "${ours[@]}"); ms=$(med "${seed[@]}")
  ml=$(med "${limit[@]}"); mc=$(med "${cli[@]}")
  local ra rb rc; ra=$(echo "scale=2; $ms / $mo" | bc); rb=$(echo "scale=2; $mo / $ml" | bc); rc=$(echo "scale=2; $mc / $mo" | bc)
  say "  median: ours ${mo}s, seed ${ms}s (${ra}× faster), server limit ${ml}s (ours ${rb}× its time), aws cli ${mc}s (${rc}× faster)"
  local gs=8 gc=8; [ -z "${LATENCY_MS:-}" ] || { gs=10; gc=5; }
  row "P3 collapse $P3_OBJECTS × 2 KB" "$mo s" "seed's algorithm (boto3): $ms s" "${ra}× faster" "≥ $gs×: $(awk -v r="$ra" -v g=$gs 'BEGIN {print (r >= g) ? "met" : "missed"}')" "$(load)"
  row "P3 collapse $P3_OBJECTS × 2 KB" "$mo s" "server limit (list, $LIMIT_THREADS GETs in flight, DeleteObjects): $ml s" "${rb}× its time" "≤ 1.3×: $(awk -v r="$rb" 'BEGIN {print (r <= 1.3) ? "met" : "missed"}')" "$(load)"
  row "P3 collapse $P3_OBJECTS × 2 KB" "$mo s" "aws s3 cp --recursive + cat + aws s3 cp: $mc s" "${rc}× faster" "≥ $gc×: $(awk -v r="$rc" -v g=$gc 'BEGIN {print (r >= g) ? "met" : "missed"}')" "$(load)"
}

p5() {
  say "## P5 fetch: $P5_OBJECTS ship objects (gzip, ~2 KB) into one file (JVM start included) vs aws s3 cp --recursive"
  local last=$((P5_OBJECTS - 1))
  local ours=() base=() lim=() aft=()
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    tool populate ship "p5r$r/" "$P5_OBJECTS" 2048 >/dev/null
    local lastkey; lastkey=$(printf 'p5r%d/2020-01-01/%02d.%02d.%02d-%06d.gz' "$r" $((last / 1000 / 3600)) $((last / 1000 / 60 % 60)) $((last / 1000 % 60)) $((last % 1000 + 1)))
    local t0; t0=$(now)
    app_start "p5-$r" -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix="p5r$r/" -Ds3logs.fetch.initial-delay=10ms -Ds3logs.fetch.settle=1s
    local t1; t1=$(now)
    until [ -f "$APPDIR/data/lastkey.log" ] && [ "$(cut -f1 "$APPDIR/data/lastkey.log")" = "$lastkey" ]; do
      if app_exited; then return 1; fi
      sleep 0.05
    done
    local t2; t2=$(now)
    local lines; lines=$(wc -l < "$APPDIR/data/out/fetched.log")
    app_stop
    local secs; secs=$(echo "$t2 - $t0" | bc)
    local after; after=$(echo "$t2 - $t1" | bc)
    local b0 b1; b0=$(now)
    aws --endpoint-url "$EP" s3 cp --recursive "s3://$BUCKET/p5r$r/" "$WORK/p5cli/" --only-show-errors
    b1=$(now)
    local files; files=$(find "$WORK/p5cli" -type f | wc -l)
    rm -rf "$WORK/p5cli"
    local bsecs; bsecs=$(echo "$b1 - $b0" | bc)
    local lm; lm=$(mtool limit-fetch "p5r$r/" "$LIMIT_THREADS" | field seconds)
    say "  run $r: ours ${secs}s ($lines lines; ${after}s after routes started); aws s3 cp --recursive ${bsecs}s ($files files); server limit (list, $LIMIT_THREADS GETs in flight) ${lm}s; load $l"
    ours+=("$secs"); base+=("$bsecs"); lim+=("$lm"); aft+=("$after")
    tool rm "p5r$r/" >/dev/null
  done
  local mo mb; mo=$(med "${ours[@]}"); mb=$(med "${base[@]}")
  local ra; ra=$(echo "scale=2; $mb / $mo" | bc)
  local ml ma; ml=$(med "${lim[@]}"); ma=$(med "${aft[@]}")
  say "  median: ours ${mo}s (${ma}s after routes started), aws s3 cp --recursive ${mb}s, ratio ${ra}; server limit ${ml}s"
  local g=1; [ -z "${LATENCY_MS:-}" ] || g=3
  row "P5 fetch $P5_OBJECTS objects → one file" "$mo s" "aws s3 cp --recursive: $mb s" "${ra}× as fast" "≥ $g×: $(awk -v r="$ra" -v g=$g 'BEGIN {print (r >= g) ? "met" : "missed"}')" "$(load)"
  row "P5 fetch $P5_OBJECTS objects → one file" "$mo s ($ma s after routes started)" "server limit (list, $LIMIT_THREADS GETs in flight): $ml s" "$(echo "scale=2; $mo / $ml" | bc)× its time" "—" "$(load)"
}

proxy() {
  [ -n "${LATENCY_MS:-}" ] || { say "## proxy skipped: LATENCY_MS not set"; return 0; }
  local n=${PROXY_OBJECTS:-3000} th=${PROXY_THREADS:-32}
  say "## the latency proxy's own cost (${LATENCY_MS} ms): $n PUTs and list + $n GETs, $th threads, straight and through it"
  tool populate ship "pxy/" "$n" 2048 >/dev/null
  local dp=() pp=() dg=() pg=()
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load)
    dp+=("$(tool put-loop "pxyd-$r/" "$n" "$th" | field per_second)")
    pp+=("$(mtool put-loop "pxyp-$r/" "$n" "$th" | field per_second)")
    dg+=("$(tool limit-fetch "pxy/" "$th" | field seconds)")
    pg+=("$(mtool limit-fetch "pxy/" "$th" | field seconds)")
    say "  run $r: PUT loop straight ${dp[-1]} obj/s, through the proxy ${pp[-1]} obj/s; list + GETs straight ${dg[-1]}s, through the proxy ${pg[-1]}s; load $l"
  done
  local a b c d; a=$(med "${dp[@]}"); b=$(med "${pp[@]}"); c=$(med "${dg[@]}"); d=$(med "${pg[@]}")
  say "  median: PUTs $b obj/s through the proxy vs $a straight; GETs ${d}s through it vs ${c}s straight"
  row "latency proxy ($LATENCY_MS ms), PUT loop $th threads" "$b obj/s" "straight to the server: $a obj/s" "$(echo "scale=2; $b / $a" | bc)" "—" "$(load)"
  row "latency proxy ($LATENCY_MS ms), list + $n GETs, $th threads" "$d s" "straight to the server: $c s" "$(echo "scale=2; $d / $c" | bc)× its time" "—" "$(load)"
  tool rm "pxy" >/dev/null
}

fault() {
  say "## Ship through the fault proxy: 10 % faults, a 60 s outage (ShipFaultBench)"
  local l; l=$(load)
  java -Xmx1g -cp "$CP" io.s3logroutes.bench.ShipFaultBench "$EP" "$BUCKET" "$WORK/fault" ${FAULT_ARGS:-} > "$WORK/fault.log" 2>&1 || true
  grep -E '^(RESULT|  )' "$WORK/fault.log" | tee -a "$RESULTS"
  grep -q '^RESULT .* lost=0 ' "$WORK/fault.log" || { say "  FAILED: see the log below"; tail -40 "$WORK/fault.log"; }
  say "  load $l"
}

p4() {
  local big=$((P4_MIB * 70 / 100 / 10)) mid=$((P4_MIB * 20 / 100 / 4)) small=10000
  local small_bytes=$((P4_MIB * 1048576 / 10 / small))
  say "## P4 collapse memory: $big objects of 10 MiB, $mid of 4 MiB, $small of $small_bytes bytes (plain), backlog command with -Xmx$P4_XMX"
  # a filesystem-backed S3Proxy of its own: the inputs, parts and outputs (about 3 times the input) live on disk
  s3fs_start p4; local ep=$FS_EP
  tool4() { java -Xmx1g -cp "$CP" io.s3logroutes.bench.S3ToolBench "$ep" "$BUCKET" "$@"; }
  tool4 mkbucket
  say "  disk before seeding: $(df -h "$WORK" | awk 'NR==2 {print $4 " free of " $2}')"
  for r in $(seq 1 "$P4_RUNS"); do
    local t0 t1; t0=$(now)
    tool4 populate plain "p4/$r/" "$big" 10485760 >/dev/null
    tool4 populate plain "p4/$r/" "$mid" 4194304 >/dev/null
    tool4 populate plain "p4/$r/" "$small" "$small_bytes" >/dev/null
    t1=$(now)
    local in_bytes; in_bytes=$(tool4 count "p4/$r/2014-12-31-" | field bytes)
    local in_objs; in_objs=$(tool4 count "p4/$r/2014-12-31-" | field objects)
    say "  run $r: seeded $in_objs objects, $in_bytes bytes in $(echo "$t1 - $t0" | bc)s"
    local dir=$WORK/p4-app tmp=$WORK/p4-tmp l; l=$(load)
    rm -rf "$dir" "$tmp"; mkdir -p "$dir" "$tmp"
    t0=$(now)
    ( cd "$dir" && exec /usr/bin/time -f 'MAXRSS_KB=%M' -o "$WORK/p4-time.txt" java -Xmx"$P4_XMX" ${P4_JAVA_OPTS:-} -Djava.io.tmpdir="$tmp" \
        -Ds3logs.s3.embedded=false -Ds3logs.s3.endpoint="$ep" -Ds3logs.s3.path-style=true -Ds3logs.s3.bucket="$BUCKET" \
        -Ds3logs.collapse.layout=s3-access -Ds3logs.collapse.input-prefix="p4/$r/" \
        -jar "$JAR" collapse --from 2014-12-31 --to 2014-12-31 > "$WORK/p4-out.log" 2>&1 ) &
    local pid=$! files=0 n
    while kill -0 "$pid" 2>/dev/null; do   # any file in java.io.tmpdir or the working directory, while it runs
      n=$(find "$tmp" "$dir" -type f | wc -l); [ "$n" -gt "$files" ] && files=$n
      sleep 0.2
    done
    local rc=0; wait "$pid" || rc=$?
    t1=$(now)
    n=$(find "$tmp" "$dir" -type f | wc -l); [ "$n" -gt "$files" ] && files=$n
    local kb; kb=$(sed -n 's/^MAXRSS_KB=//p' "$WORK/p4-time.txt")
    local mb; mb=$(echo "scale=1; $kb * 1024 / 1000000" | bc)
    local left; left=$(tool4 count "p4/$r/2014-12-31-" | field objects)
    local out; out=$(grep -o '[0-9]* objects, [0-9]* bytes -> .*' "$WORK/p4-out.log" | tail -1 || true)
    cp "$WORK/p4-out.log" "$ROOT/bench/results/$STAMP-p4-out-$r.log"
    say "  run $r: exit $rc in $(echo "$t1 - $t0" | bc)s; peak RSS $mb MB (${kb} KiB, -Xmx$P4_XMX); files in java.io.tmpdir or the working directory during the run: $files; inputs left: $left; $out; load $l"
    [ "$rc" = 0 ] || tail -30 "$WORK/p4-out.log" | tee -a "$RESULTS"
    grep -E 'collapse - .*(MiB|objects)' "$WORK/p4-out.log" | sed 's/^/    /' | tail -8 | tee -a "$RESULTS"
    # the JVM's own account of its memory at exit, with P4_JAVA_OPTS="-XX:NativeMemoryTracking=summary
    # -XX:+UnlockDiagnosticVMOptions -XX:+PrintNMTStatistics"
    grep -E '^(Total:|-\s+[A-Za-z ]+ \(reserved)' "$WORK/p4-out.log" | sed 's/^/    NMT at exit: /' | tee -a "$RESULTS" || true
    row "P4 collapse memory, $in_bytes bytes of inputs" "peak RSS $mb MB (-Xmx$P4_XMX), $files temp files" "—" "—" "≤ 200 MB: $(awk -v m="$mb" 'BEGIN {print (m <= 200) ? "met" : "missed"}')" "$l"
    tool4 rm "p4/$r/" >/dev/null
  done
  kill "$S3FS" 2>/dev/null || true; wait "$S3FS" 2>/dev/null || true; S3FS=
  rm -rf "$WORK/p4-s3"
}

footprint() {
  say "## Shipper footprint: P1 ($P1_MIB MiB of ~200-byte lines, gzip $P1_LEVEL) through bin/s3-log-routes with its default JVM options vs java -jar with default ergonomics, in turns"
  local dist; dist=$(ls "$ROOT"/target/s3-log-routes-*-dist.tar.gz | head -1)
  rm -rf "$WORK/dist"; mkdir -p "$WORK/dist"; tar -xzf "$dist" -C "$WORK/dist"
  local home; home=$(ls -d "$WORK"/dist/s3-log-routes-*)
  local cds=without; if [ "${FOOTPRINT_CDS:-0}" = 1 ]; then "$home/bin/s3-log-routes" cds > "$WORK/cds.log" 2>&1 || { say "  cds failed:"; tail -5 "$WORK/cds.log"; return 1; }; cds=with; fi
  say "  launcher defaults: $(sed -n 's/^mem_opts="\(.*\)"$/\1/p' "$home/bin/s3-log-routes")${FOOTPRINT_JAVA_OPTS:+; plus $FOOTPRINT_JAVA_OPTS}; $cds the cds archive"
  gen_lines "$WORK/p1.log" "$P1_MIB"
  local size; size=$(stat -c %s "$WORK/p1.log")
  local dm=() dr=() lm=() lr=() ratios=() secs rss mode
  for r in $(seq 1 "$RUNS"); do
    local l; l=$(load) line="  run $r:"
    for mode in default launcher; do
      if [ "$mode" = launcher ]; then
        read -r secs rss < <(APP_LAUNCHER=$home/bin/s3-log-routes APP_JAVA_OPTS=${FOOTPRINT_JAVA_OPTS:-} ship_once "fp-$mode-$r" "$WORK/p1.log" -Ds3logs.ship.gzip-level="$P1_LEVEL")
      else
        read -r secs rss < <(ship_once "fp-$mode-$r" "$WORK/p1.log" -Ds3logs.ship.gzip-level="$P1_LEVEL")
      fi
      local mbs; mbs=$(echo "scale=1; $size / 1048576 / $secs" | bc)
      tool rm "fp-$mode-$r/" >/dev/null
      if [ "$mode" = launcher ]; then lm+=("$mbs"); lr+=("$rss"); else dm+=("$mbs"); dr+=("$rss"); fi
      line="$line $mode $mbs MiB/s (${secs}s) peak RSS $rss MiB;"
    done
    ratios+=("$(echo "scale=3; ${lm[-1]} / ${dm[-1]}" | bc)")
    say "$line ratio ${ratios[-1]}; load $l"
  done
  local mlm mdm mlr mdr ra
  mlm=$(med "${lm[@]}"); mdm=$(med "${dm[@]}")
  mlr=$(med "${lr[@]}"); mdr=$(med "${dr[@]}")
  ra=$(echo "scale=2; $mlm / $mdm" | bc)
  say "  median: launcher $mlm MiB/s, peak RSS $mlr MiB (${lr[*]}); java -jar $mdm MiB/s, peak RSS $mdr MiB (${dr[*]}); throughput ratio $ra (per run: ${ratios[*]})"
  row "Shipper footprint: P1 via bin/s3-log-routes defaults" "$mlm MiB/s, peak RSS $mlr MiB" "java -jar, default heap: $mdm MiB/s, $mdr MiB" "$ra" \
    "≤ 128 MB RSS: $(awk -v m="$mlr" 'BEGIN {print (m * 1.048576 <= 128) ? "met" : "missed"}'); ≥ 0.9×: $(awk -v r="$ra" 'BEGIN {print (r >= 0.9) ? "met" : "missed"}')" "$(load)"
  if [ "${FOOTPRINT_NMT:-1}" = 1 ]; then   # one more pair with Native Memory Tracking (it adds a few MiB of its own)
    for mode in default launcher; do
      if [ "$mode" = launcher ]; then
        read -r secs rss < <(NMT_OUT=$WORK/nmt-$mode.txt APP_LAUNCHER=$home/bin/s3-log-routes APP_JAVA_OPTS="${FOOTPRINT_JAVA_OPTS:-} -XX:NativeMemoryTracking=summary" ship_once "fp-nmt-$mode" "$WORK/p1.log" -Ds3logs.ship.gzip-level="$P1_LEVEL")
      else
        read -r secs rss < <(NMT_OUT=$WORK/nmt-$mode.txt APP_JAVA_OPTS=-XX:NativeMemoryTracking=summary ship_once "fp-nmt-$mode" "$WORK/p1.log" -Ds3logs.ship.gzip-level="$P1_LEVEL")
      fi
      tool rm "fp-nmt-$mode/" >/dev/null
      say "  NMT, $mode (peak RSS $rss MiB, ${secs}s): $(nmt_lines "$WORK/nmt-$mode.txt")"
      cp "$WORK/nmt-$mode.txt" "$ROOT/bench/results/$STAMP-nmt-ship-$mode.txt"
    done
  fi
  rm -f "$WORK/p1.log"
}

kills() {
  say "## kill -9 at $KILLS random points of ship, fetch and collapse; collapse through the fault proxy, $FAULT_PERIODS periods"
  for t in ${KILL_TESTS:-ShipCrashIT FetchKillIT CollapseKillIT CollapseFaultIT}; do
    local l t0 t1 st=passed; l=$(load); t0=$(now)
    mvn -B -o test -Dtest="$t" -Ds3logs.test.kills="$KILLS" -Ds3logs.test.periods="$FAULT_PERIODS" > "$WORK/$t.log" 2>&1 || st=FAILED
    t1=$(now)
    say "  $t: $st in $(echo "$t1 - $t0" | bc)s; load at the start $l, at the end $(load)"
    { grep -E '^(ship kill -9|fetch kill -9|collapse kill -9|CollapseFaultIT|  failed run)' "$WORK/$t.log" || true; } | sed 's/^/    /' | tee -a "$RESULTS"
    [ "$st" = passed ] || { grep -E '(FAIL|ERROR|Expect|but was)' "$WORK/$t.log" || true; } | sed 20q | tee -a "$RESULTS"
    row "$t, $KILLS kills / $FAULT_PERIODS fault periods" "$st" "—" "—" "0 lost, 0 duplicates (fetch), end state consistent" "$l"
  done
}

# --- syslog intake: loggen against the application and against syslog-ng, in turns ---
metric() {   # metric PORT NAME INPUT: the value of s3logs_NAME{input="INPUT"} at /observe/metrics (0 when absent)
  curl -s "http://127.0.0.1:$1/observe/metrics" | awk -v n="$2" -v i="input=\"$3\"" \
    'index($0, n "{") == 1 && index($0, i) { v=$NF } END { printf "%.0f", v + 0 }'
}
loggen_run() {   # loggen_run tcp|udp PORT OUT: loggen for SYSLOG_SECONDS at its highest rate; prints the messages sent
  local mode=--stream; [ "$1" = udp ] && mode=--dgram
  loggen --inet "$mode" --rate 100000000 --interval "$SYSLOG_SECONDS" --size "$SYSLOG_SIZE" 127.0.0.1 "$2" > "$3" 2>&1 || true
  local n; n=$(sed -n -e 's/^average rate = .*, count=\([0-9]*\),.*/\1/p' -e 's/.*Total runtime = [0-9.]*, count = \([0-9]*\).*/\1/p' "$3" | tail -1)
  echo "${n:-0}"
}
wait_count() {   # wait_count TARGET TIMEOUT CMD...: polls CMD until it prints TARGET or stops growing for 2 s; prints "count seconds"
  local target=$1 timeout=$2 t0 last=-1 same=0 n; shift 2; t0=$(now)
  while true; do
    n=$("$@"); n=${n:-0}
    if [ "$n" -ge "$target" ]; then break; fi
    if [ "$n" = "$last" ]; then same=$((same + 1)); else same=0; last=$n; fi
    [ "$same" -ge 40 ] && break
    [ "$(echo "$(now) - $t0 > $timeout" | bc)" = 1 ] && break
    sleep 0.05
  done
  echo "$n $(echo "$(now) - $t0" | bc)"
}
syslog_ng_start() {   # syslog_ng_start DIR PORT: syslog-ng receiving on 127.0.0.1 TCP and UDP into DIR/out.json
  local dir=$1 port=$2; rm -rf "$dir"; mkdir -p "$dir"
  cat > "$dir/syslog-ng.conf" <<CONF
@version: 3.38
options { threaded(yes); keep-hostname(yes); stats-freq(0); };
source s_tcp { network(ip("127.0.0.1") port($port) transport("tcp") max-connections(10) log-iw-size(100000)); };
source s_udp { network(ip("127.0.0.1") port($port) transport("udp") so-rcvbuf(4194304)); };
destination d_json { file("$dir/out.json" template("\$(format-json --scope rfc5424 --scope nv-pairs --key ISODATE)\n")); };
log { source(s_tcp); source(s_udp); destination(d_json); flags(flow-control); };
CONF
  syslog-ng -F --no-caps -f "$dir/syslog-ng.conf" -p "$dir/pid" -R "$dir/persist" -c "$dir/ctl" > "$dir/syslog-ng.log" 2>&1 &
  SNG=$!
  for i in $(seq 1 200); do ss -ltn "sport = :$port" | grep -q LISTEN && return 0; sleep 0.05; done
  echo "syslog-ng did not start:"; cat "$dir/syslog-ng.log"; return 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }   # user + system time, in 1/100 s
cpu_us() { echo "scale=1; ($2 - $1) * 10000 / ($3 + 0.000001)" | bc; }   # cpu_us TICKS0 TICKS1 MESSAGES: CPU µs per message
file_lines() { [ -f "$1" ] && wc -l < "$1" || echo 0; }

syslog_ours() {   # syslog_ours PROTO RUN: one run of loggen against the application; sets O_SENT O_RECV O_S3 O_SECS O_RATE
  local proto=$1 r=$2 port hport name=syslog-$1-$2
  port=$(free_port); hport=$(free_port)
  app_start "$name" -Ds3logs.ship.enabled=true -Ds3logs.ship.file-enabled=false -Ds3logs.ship.tail= \
    -Ds3logs.syslog.enabled=true -Ds3logs.syslog.tcp-port="$port" -Ds3logs.syslog.udp-port="$port" \
    -Ds3logs.ship.format=json -Ds3logs.ship.gzip-level="$SYSLOG_LEVEL" -Ds3logs.ship.server="$name" \
    -Ds3logs.ship.batch.max-age=1s -Ds3logs.http.port="$hport" ${SYSLOG_APP_OPTS:-} >&2
  local sampler=
  if [ -n "${PROFILE:-}" ]; then bench/sample-stacks.sh "$APP" "${PROFILE_SAMPLES:-40}" 0.2 > "$WORK/profile-$name.txt" & sampler=$!; fi
  local input=ship-syslog-$proto w=0 w_recv=0
  if [ "$SYSLOG_WARMUP" != 0 ]; then   # warm-up, not timed: its messages are counted in S3 too
    w=$(SYSLOG_SECONDS=$SYSLOG_WARMUP loggen_run "$proto" "$port" "$WORK/loggen-warm-$name.txt")
    read -r w_recv _ < <(wait_count "$w" 60 metric "$hport" s3logs_ship_events_in_total "$input")
  fi
  local t0 c0; t0=$(now); c0=$(cpu_ticks "$APP")
  O_SENT=$(loggen_run "$proto" "$port" "$WORK/loggen-$name.txt")
  read -r O_RECV _ < <(wait_count "$((w_recv + O_SENT))" 60 metric "$hport" s3logs_ship_events_in_total "$input")
  O_RECV=$((O_RECV - w_recv))
  local t1; t1=$(now); O_CPU=$(cpu_us "$c0" "$(cpu_ticks "$APP")" "$O_RECV")
  O_SECS=$(echo "$t1 - $t0" | bc)   # loggen's start to the last message received (wait_count's idle 2 s excluded below)
  [ "$O_RECV" -lt "$O_SENT" ] && O_SECS=$SYSLOG_SECONDS
  O_RATE=$(echo "scale=0; $O_RECV / $O_SECS" | bc)
  wait_count "$((w_recv + O_RECV))" 120 metric "$hport" s3logs_ship_events_out_total "$input" > /dev/null
  if [ -n "$sampler" ]; then
    wait "$sampler" || true
    { echo "  stack samples of $name (threads in io.s3logroutes code that are not idle; top frame <- first own frame):"
      sed 's/^/    /' "$WORK/profile-$name.txt"; } | tee -a "$RESULTS" >&2
  fi
  app_stop
  local res; res=$(tool lines "$name/")
  O_S3=$(( $(echo "$res" | field lines) - w_recv )); O_BYTES=$(echo "$res" | field bytes)
  tool rm "$name/" > /dev/null
}

syslog_ng_run() {   # syslog_ng_run PROTO RUN: sets N_SENT N_RECV N_SECS N_RATE
  local proto=$1 r=$2 port dir=$WORK/sng-$1-$2
  port=$(free_port)
  syslog_ng_start "$dir" "$port"
  local w=0 w_recv=0
  if [ "$SYSLOG_WARMUP" != 0 ]; then
    w=$(SYSLOG_SECONDS=$SYSLOG_WARMUP loggen_run "$proto" "$port" "$WORK/loggen-warm-sng-$proto-$r.txt")
    read -r w_recv _ < <(wait_count "$w" 60 file_lines "$dir/out.json")
  fi
  local t0 c0; t0=$(now); c0=$(cpu_ticks "$SNG")
  N_SENT=$(loggen_run "$proto" "$port" "$WORK/loggen-sng-$proto-$r.txt")
  read -r N_RECV _ < <(wait_count "$((w_recv + N_SENT))" 60 file_lines "$dir/out.json")
  N_RECV=$((N_RECV - w_recv))
  local t1; t1=$(now); N_CPU=$(cpu_us "$c0" "$(cpu_ticks "$SNG")" "$N_RECV")
  N_SECS=$(echo "$t1 - $t0" | bc)
  [ "$N_RECV" -lt "$N_SENT" ] && N_SECS=$SYSLOG_SECONDS
  N_RATE=$(echo "scale=0; $N_RECV / $N_SECS" | bc)
  N_BYTES=$(stat -c %s "$dir/out.json" 2>/dev/null || echo 0)
  kill "$SNG" 2>/dev/null || true; wait "$SNG" 2>/dev/null || true; SNG=
  rm -rf "$dir"
}

syslog() {
  say "## syslog intake: loggen ${SYSLOG_SECONDS}s (after an untimed ${SYSLOG_WARMUP}s warm-up) at its highest rate, ${SYSLOG_SIZE}-byte messages (RFC 3164), one connection;"
  say "   ours: ship + syslog, format json, gzip level $SYSLOG_LEVEL, to S3Proxy ${SYSLOG_APP_OPTS:-}; syslog-ng $(syslog-ng --version | sed -n 's/^syslog-ng \S* (\(.*\))/\1/p'): network() TCP/UDP"
  say "   into one file, \$(format-json --scope rfc5424 --scope nv-pairs), flags(flow-control); rate = messages received / (loggen's start to the last received)"
  local ot=() nt=() ou=() nu=() bt=() oc=() nc=() bc=() lost=0
  for r in $(seq 1 "$RUNS"); do
    for proto in ${SYSLOG_PROTOS:-tcp udp}; do
      local l; l=$(load)
      if [ -n "${BASE_JAR:-}" ] && [ "$proto" = tcp ]; then   # an earlier build, in the same turn
        local main=$JAR; JAR=$BASE_JAR; syslog_ours "$proto" "base-$r"; JAR=$main
        say "  run $r $proto: BASE_JAR sent $O_SENT, received $O_RECV, in S3 $O_S3, ${O_SECS}s, $O_RATE msg/s, $O_CPU CPU µs/msg"
        bt+=("$O_RATE"); bc+=("$O_CPU")
      fi
      syslog_ours "$proto" "$r"
      syslog_ng_run "$proto" "$r"
      local ol nl; ol=$((O_SENT - O_S3)); nl=$((N_SENT - N_RECV))
      say "  run $r $proto: ours sent $O_SENT, received $O_RECV, in S3 $O_S3 ($O_BYTES bytes gzip), ${O_SECS}s, $O_RATE msg/s, $O_CPU CPU µs/msg, lost $ol;" \
          "syslog-ng sent $N_SENT, in its file $N_RECV ($N_BYTES bytes), ${N_SECS}s, $N_RATE msg/s, $N_CPU CPU µs/msg, lost $nl; load $l"
      if [ "$proto" = tcp ]; then
        ot+=("$O_RATE"); nt+=("$N_RATE"); oc+=("$O_CPU"); nc+=("$N_CPU")
        if [ "$O_S3" != "$O_SENT" ] || [ "$O_RECV" != "$O_SENT" ]; then say "  FAILED: TCP lost messages (ours)"; lost=1; fi
      else
        ou+=("$ol/$O_SENT"); nu+=("$nl/$N_SENT")
      fi
    done
  done
  if [ ${#ot[@]} -gt 0 ]; then
    local mo mn ra; mo=$(med "${ot[@]}"); mn=$(med "${nt[@]}")
    ra=$(echo "scale=2; $mo / $mn" | bc)
    say "  TCP median: ours $mo msg/s (${ot[*]}), syslog-ng $mn msg/s (${nt[*]}), ratio $ra; nothing lost: $([ $lost = 0 ] && echo yes || echo NO)"
    local mco mcn; mco=$(med "${oc[@]}"); mcn=$(med "${nc[@]}")
    say "  TCP CPU per message (the process's user + system time in the timed window / messages): ours $mco µs (${oc[*]}), syslog-ng $mcn µs (${nc[*]}), syslog-ng / ours $(echo "scale=2; $mcn / $mco" | bc)"
    row "syslog TCP CPU µs per message" "$mco µs" "syslog-ng: $mcn µs" "$(echo "scale=2; $mcn / $mco" | bc)" "—" "$(load)"
    if [ ${#bt[@]} -gt 0 ]; then
      local mb; mb=$(med "${bt[@]}")
      say "  TCP median of BASE_JAR: $mb msg/s (${bt[*]}), $(med "${bc[@]}") CPU µs/msg (${bc[*]}); this jar / BASE_JAR: $(echo "scale=2; $mo / $mb" | bc)"
      row "syslog TCP intake vs BASE_JAR" "$mo msg/s" "BASE_JAR: $mb msg/s" "$(echo "scale=2; $mo / $mb" | bc)" "—" "$(load)"
    fi
    row "syslog TCP intake (json, gzip $SYSLOG_LEVEL, to S3)" "$mo msg/s, all in S3: $([ $lost = 0 ] && echo yes || echo NO)" "syslog-ng to a JSON file: $mn msg/s" "$ra" "≥ 1.0: $(awk -v r="$ra" 'BEGIN {print (r >= 1) ? "met" : "missed"}')" "$(load)"
  fi
  if [ ${#ou[@]} -gt 0 ]; then
    say "  UDP lost/sent per run: ours ${ou[*]}; syslog-ng ${nu[*]}"
    row "syslog UDP loss (lost/sent per run)" "${ou[*]}" "syslog-ng: ${nu[*]}" "—" "reported" "$(load)"
  fi
  say "  gzip levels on ship's JSON lines of syslog events, in memory (GzipLevelBench, best of 5 passes; load $(load)):"
  java -Xmx2g -cp "$CP" io.s3logroutes.bench.GzipLevelBench "${GZIP_MESSAGES:-200000}" | sed 's/^RESULT /    /' | tee -a "$RESULTS"
}

# --- scale: time and peak RSS against the size of the work ---------------------------------------------------------
SCALE_COLLAPSE=${SCALE_COLLAPSE:-1000 10000 100000 1000000}; SCALE_S3PROXY_MAX=${SCALE_S3PROXY_MAX:-100000}
SCALE_FETCH=${SCALE_FETCH:-1000 10000 100000}; SCALE_SHIP_GIB=${SCALE_SHIP_GIB:-1 4 16}
SCALE_XMX=${SCALE_XMX:-128m}; SCALE_FETCH_XMX=${SCALE_FETCH_XMX-128m}; SCALE_BIG_RUNS=${SCALE_BIG_RUNS:-$RUNS}
scale_runs() { if [ "$1" -ge 1000000 ]; then echo "$SCALE_BIG_RUNS"; else echo "$RUNS"; fi; }   # scale_runs SIZE

scale_collapse_once() {   # scale_collapse_once ENDPOINT PREFIX: backlog command with -Xmx$SCALE_XMX; "seconds rss_mib listed_ms exit"
  local dir=$WORK/scale-app; rm -rf "$dir"; mkdir -p "$dir"
  local t0 t1 rc=0; t0=$(now)
  ( cd "$dir" && exec /usr/bin/time -f 'MAXRSS_KB=%M' -o "$dir/time.txt" java -Xmx"$SCALE_XMX" \
      -Ds3logs.s3.embedded=false -Ds3logs.s3.endpoint="$1" -Ds3logs.s3.path-style=true -Ds3logs.s3.bucket="$BUCKET" \
      -Ds3logs.collapse.layout=s3-access -Ds3logs.collapse.input-prefix="$2" \
      -jar "$JAR" collapse --from 2014-12-31 --to 2014-12-31 > "$dir/out.log" 2>&1 ) || rc=$?
  t1=$(now)
  [ "$rc" = 0 ] || { echo "collapse failed ($rc):" >&2; tail -5 "$dir/out.log" >&2; }
  local kb; kb=$(sed -n 's/^MAXRSS_KB=//p' "$dir/time.txt")
  local listed; listed=$(sed -n 's/.*listed [0-9]* inputs under .* in \([0-9]*\) ms.*/\1/p' "$dir/out.log" | head -1)
  echo "$(echo "$t1 - $t0" | bc) $((kb / 1024)) ${listed:-0} $rc"
}

scale_list_once() {   # scale_list_once ENDPOINT PREFIX: seconds of the raw SDK's listing of PREFIX (S3ToolBench count, JVM start excluded)
  java -Xmx1g -cp "$CP" io.s3logroutes.bench.S3ToolBench "$1" "$BUCKET" count "$2" | field seconds
}

SCALE_DAT=
scale_point() {   # scale_point CURVE SIZE "t1 t2 .." "rss1 rss2 .." [raw listing s ..] [our listing ms ..]: prints and records medians
  local curve=$1 size=$2 mt mr mb=
  mt=$(med $3); mr=$(med $4)
  [ -n "${5:-}" ] && mb=$(med $5)
  local per; per=$(awk -v t="$mt" -v n="$size" 'BEGIN {printf "%.4g", t * 1000 / n}')
  local n; n=$(printf '%s\n' $3 | wc -l)
  echo "$curve $size $mt $mr $per ${mb:-0} $n" >> "$SCALE_DAT"
  local ml=; [ -n "${6:-}" ] && ml=$(med $6)
  say "  $curve, $size: median ${mt}s (${per} ms per item), peak RSS ${mr} MiB, $n run(s)${mb:+; listing: ours $(awk -v m="$ml" 'BEGIN {printf "%.2f", m / 1000}')s, raw SDK ${mb}s (ratio $(awk -v m="$ml" -v b="$mb" 'BEGIN {printf "%.2f", m / 1000 / b}'))}; load $(load)"
}

scale() {
  say "## Scale: time and peak RSS against the size of the work (collapse -Xmx$SCALE_XMX; RUNS=$RUNS, SCALE_BIG_RUNS=$SCALE_BIG_RUNS)"
  SCALE_DAT=$WORK/scale.dat; : > "$SCALE_DAT"
  # collapse against the listing stub: N synthetic objects of one period, no storage (bench/ListingStubBench)
  local size r
  for size in ${SCALE_COLLAPSE/none/}; do
    local ts=() rs=() bs=() ls=()
    for r in $(seq 1 "$(scale_runs "$size")"); do
      local port; port=$(free_port)
      java -Xmx256m -Dsun.net.httpserver.nodelay=true -cp "$CP" io.s3logroutes.bench.ListingStubBench "$port" "$BUCKET" "stub/" "$size" 2048 > "$WORK/stub.log" 2>&1 &
      local stub=$!
      for i in $(seq 1 300); do grep -q READY "$WORK/stub.log" && break; sleep 0.1; done
      local l; l=$(load)
      local b; b=$(scale_list_once "http://127.0.0.1:$port" "stub/2014-12-31-")
      read -r secs rss listed rc < <(scale_collapse_once "http://127.0.0.1:$port" "stub/")
      local stats; stats=$(curl -s "http://127.0.0.1:$port/_stats" | grep -o 'deleted=[0-9]*')
      kill "$stub"; wait "$stub" 2>/dev/null || true
      say "  collapse (listing stub) $size run $r: exit $rc, ${secs}s, peak RSS ${rss} MiB, listing in the command ${listed} ms, raw SDK listing ${b}s, inputs $stats; load $l"
      ts+=("$secs"); rs+=("$rss"); bs+=("$b"); ls+=("$listed")
    done
    scale_point collapse-stub "$size" "${ts[*]}" "${rs[*]}" "${bs[*]}" "${ls[*]}"
  done
  # collapse against S3Proxy in memory, up to the size it handles
  for size in ${SCALE_COLLAPSE/none/}; do
    [ "$size" -le "$SCALE_S3PROXY_MAX" ] || continue
    local ts=() rs=() bs=() ls=()
    for r in $(seq 1 "$(scale_runs "$size")"); do
      tool populate access "scale/c$size-$r/" "$size" 2048 >/dev/null
      local l; l=$(load)
      local b; b=$(scale_list_once "$EP" "scale/c$size-$r/2014-12-31-")
      read -r secs rss listed rc < <(scale_collapse_once "$EP" "scale/c$size-$r/")
      local left; left=$(tool count "scale/c$size-$r/2014-12-31-" | field objects)
      say "  collapse (S3Proxy) $size run $r: exit $rc, ${secs}s, peak RSS ${rss} MiB, listing in the command ${listed} ms, raw SDK listing ${b}s, $left inputs left; load $l"
      ts+=("$secs"); rs+=("$rss"); bs+=("$b"); ls+=("$listed")
      tool rm "scale/c$size-$r/" >/dev/null
    done
    scale_point collapse-s3proxy "$size" "${ts[*]}" "${rs[*]}" "${bs[*]}" "${ls[*]}"
  done
  # fetch N ship objects into one file (as p5), peak RSS from VmHWM just before the stop (= ru_maxrss)
  for size in ${SCALE_FETCH/none/}; do
    local ts=() rs=()
    for r in $(seq 1 "$(scale_runs "$size")"); do
      tool populate ship "sf$size-$r/" "$size" 2048 >/dev/null
      local last=$((size - 1))
      local lastkey; lastkey=$(printf 'sf%d-%d/2020-01-01/%02d.%02d.%02d-%06d.gz' "$size" "$r" $((last / 1000 / 3600)) $((last / 1000 / 60 % 60)) $((last / 1000 % 60)) $((last % 1000 + 1)))
      local l t0 t1; l=$(load); t0=$(now)
      app_start "sf-$size-$r" ${SCALE_FETCH_XMX:+-Xmx$SCALE_FETCH_XMX} -Ds3logs.fetch.enabled=true -Ds3logs.fetch.prefix="sf$size-$r/" -Ds3logs.fetch.initial-delay=10ms -Ds3logs.fetch.settle=1s
      until [ -f "$APPDIR/data/lastkey.log" ] && [ "$(cut -f1 "$APPDIR/data/lastkey.log")" = "$lastkey" ]; do
        if app_exited; then return 1; fi
        sleep 0.05
      done
      t1=$(now)
      local rss; rss=$(peak_rss_mib "$APP")
      local lines; lines=$(wc -l < "$APPDIR/data/out/fetched.log")
      app_stop
      local secs; secs=$(echo "$t1 - $t0" | bc)
      say "  fetch $size run $r: ${secs}s, peak RSS ${rss} MiB, $lines lines; load $l"
      ts+=("$secs"); rs+=("$rss")
      tool rm "sf$size-$r/" >/dev/null
    done
    scale_point fetch "$size" "${ts[*]}" "${rs[*]}"
  done
  # ship N GiB of ~200-byte lines to a filesystem-backed S3Proxy (its output lives on disk under $WORK)
  if [ "$SCALE_SHIP_GIB" != none ]; then
    s3fs_start scale; local ep=$FS_EP
    java -Xmx1g -cp "$CP" io.s3logroutes.bench.S3ToolBench "$ep" "$BUCKET" mkbucket
    gen_lines "$WORK/one.log" 1024
    local gib
    for gib in $SCALE_SHIP_GIB; do
      local ts=() rs=()
      for r in $(seq 1 "$(if [ "$gib" -ge 16 ]; then echo "$SCALE_BIG_RUNS"; else echo "$RUNS"; fi)"); do
        : > "$WORK/ship.log"; for i in $(seq 1 "$gib"); do cat "$WORK/one.log" >> "$WORK/ship.log"; done
        local l; l=$(load)
        read -r secs rss < <(EP=$ep; ship_once "scale-$gib-$r" "$WORK/ship.log" -Ds3logs.s3.endpoint="$ep")
        say "  ship $gib GiB run $r: ${secs}s, peak RSS ${rss} MiB (sampled VmHWM), $(awk -v s="$secs" -v g="$gib" 'BEGIN {printf "%.1f", g * 1024 / s}') MiB/s; load $l"
        ts+=("$secs"); rs+=("$rss")
        rm -f "$WORK/ship.log"; rm -rf "${WORK:?}/scale-s3/$BUCKET"/*
      done
      scale_point ship "$((gib * 1024))" "${ts[*]}" "${rs[*]}"
    done
    rm -f "$WORK/one.log"
    kill "$S3FS" 2>/dev/null || true; wait "$S3FS" 2>/dev/null || true; S3FS=
    rm -rf "$WORK/scale-s3"
  fi
  scale_plots
}

scaleplot() {
  say "## Scale curves drawn again from the figures of an earlier run: $SCALE_FROM"
  SCALE_DAT=$WORK/scale.dat; cp "${SCALE_FROM:?SCALE_FROM=bench/results/scale-STAMP.dat}" "$SCALE_DAT"
  scale_plots
}

scale_plots() {   # the curves of this run's figures ($SCALE_DAT: curve size seconds rss ms_per_item baseline runs)
  local out=$ROOT/bench/results
  cp "$SCALE_DAT" "$out/scale-$STAMP.dat"
  say "  figures: bench/results/scale-$STAMP.dat (curve, size, median seconds, median peak RSS MiB, ms per item, raw SDK listing s, runs)"
  local c
  for c in collapse fetch ship; do
    grep -q "^$c" "$SCALE_DAT" || continue
    local unit=objects; [ "$c" = ship ] && unit=MiB
    gnuplot <<GP
set terminal pngcairo size 900,420 font ",10"
set output "$out/scale-$c.png"
set multiplot layout 1,2 title "$c: time and peak RSS against size ($STAMP, medians)"
set logscale x; set grid; set key top left
set xlabel "$unit"; set ylabel "seconds"; set logscale y
plot for [k in "$(grep "^$c" "$SCALE_DAT" | cut -d' ' -f1 | sort -u | tr '\n' ' ')"] "$SCALE_DAT" using (strcol(1) eq k ? \$2 : 1/0):3 with linespoints title k
unset logscale y; set ylabel "peak RSS (MiB)"; set yrange [0:*]
plot for [k in "$(grep "^$c" "$SCALE_DAT" | cut -d' ' -f1 | sort -u | tr '\n' ' ')"] "$SCALE_DAT" using (strcol(1) eq k ? \$2 : 1/0):4 with linespoints title k
unset multiplot
GP
    say "  plot: bench/results/scale-$c.png"
  done
  { echo; echo "| curve | size | median s | time per item (ms) | × the smallest size's time per item | peak RSS MiB | raw SDK listing s | runs |"
    echo "|---|---|---|---|---|---|---|---|"
    awk '{ if (!($1 in first)) first[$1] = $5; printf "| %s | %s | %s | %s | %.2f | %s | %s | %s |\n", $1, $2, $3, $5, $5 / first[$1], $4, ($6 == 0 ? "—" : $6), $7 }' "$SCALE_DAT"
  } | tee -a "$RESULTS"
  row "Scale curves" "see the table above and bench/results/scale-*.png" "the smallest size of each curve" "time per item" "linear time, flat RSS" "$(load)"
}

jitdigest() {
  say "## The S3 client's byte work under each JIT: SHA-256 and AES-GCM over 8 MiB, in memory (JitDigestBench), C1 only vs C2, in turns"
  local r mode out line; : > "$WORK/jit-c1"; : > "$WORK/jit-c2"
  for r in $(seq 1 "$RUNS"); do
    line="  run $r:"
    for mode in c1 c2; do   # $WORK/jit-MODE: one line per run, "SHA-256 AES-GCM" in MB/s
      local jit=(); [ "$mode" = c2 ] || jit=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1)
      out=$(java -Xmx256m "${jit[@]}" -cp "$CP" io.s3logroutes.bench.JitDigestBench)
      echo "$(echo "$out" | grep SHA-256 | field mb_per_s) $(echo "$out" | grep AES | field mb_per_s)" >> "$WORK/jit-$mode"
      line="$line $mode SHA-256 $(tail -1 "$WORK/jit-$mode" | cut -d' ' -f1) MB/s, AES-GCM $(tail -1 "$WORK/jit-$mode" | cut -d' ' -f2) MB/s;"
    done
    say "$line load $(load)"
  done
  local s1 s2 g1 g2
  s1=$(cut -d' ' -f1 "$WORK/jit-c1" | median); s2=$(cut -d' ' -f1 "$WORK/jit-c2" | median)
  g1=$(cut -d' ' -f2 "$WORK/jit-c1" | median); g2=$(cut -d' ' -f2 "$WORK/jit-c2" | median)
  say "  median: SHA-256 C1 $s1 MB/s, C2 $s2 MB/s; AES-GCM C1 $g1 MB/s, C2 $g2 MB/s"
  row "SHA-256 over 8 MiB, C1 only" "$s1 MB/s" "C2: $s2 MB/s" "$(echo "scale=2; $s1 / $s2" | bc)" "—" "$(load)"
  row "AES-GCM, 16 KiB records, C1 only" "$g1 MB/s" "C2: $g2 MB/s" "$(echo "scale=2; $g1 / $g2" | bc)" "—" "$(load)"
}

for s in "${SCENARIOS[@]}"; do
  echo >> "$RESULTS"
  "$s"
done

{
  echo
  echo "## Summary (medians of $RUNS runs; p4 and kills run once)"
  echo
  echo "| scenario | figure | baseline | ratio | target | load at the end |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${summary[@]}"
} | tee -a "$RESULTS"
echo "results: $RESULTS"
