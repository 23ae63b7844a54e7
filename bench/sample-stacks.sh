#!/usr/bin/env bash
# A poor man's profiler: takes N thread dumps of a JVM (jstack), INTERVAL seconds apart, and counts, over the
# application's threads that are not parked waiting for work, the first io.s3logroutes / JDK I/O frame of each stack.
# usage: bench/sample-stacks.sh PID [N=40] [INTERVAL=0.25]
set -euo pipefail
PID=$1; N=${2:-40}; INTERVAL=${3:-0.25}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT
for i in $(seq 1 "$N"); do
  jstack "$PID" >> "$OUT" 2>/dev/null || break
  echo "=====" >> "$OUT"
  sleep "$INTERVAL"
done
# one record per thread: keep threads whose stack mentions io.s3logroutes or the SDK, and report their top frame
# and their first io.s3logroutes frame
awk '
  /^"/ { if (stack != "") emit(); name=$0; stack=""; top=""; ours=""; next }
  /^[ \t]+at / { f=$2; if (top == "") top=f; if (ours == "" && f ~ /^io\.s3logroutes/) ours=f; stack=stack f "\n"; next }
  /^$/ { if (stack != "") emit(); stack=""; next }
  function emit() {
    if (ours == "") return;
    if (top ~ /Unsafe.park|Object.wait|Thread.sleep/ && stack !~ /force0|fsync|write0|read0|socketRead|deflate/) return;
    key = top " <- " ours; count[key]++; total++
  }
  END { for (k in count) printf "%5d %5.1f%%  %s\n", count[k], 100*count[k]/total, k | "sort -rn"; }
' "$OUT" | head -25
