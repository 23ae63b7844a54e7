#!/usr/bin/env bash
# Stops the daemons that start-ceph-rgw.sh started in CEPH_DIR, by their pid files (SIGTERM, SIGKILL after 10 s).
# A pid whose process is not the daemon named by its file (a reused pid) is left alone.
D=${CEPH_DIR:?CEPH_DIR names the state folder}
for n in client.rgw.a:radosgw osd.0:ceph-osd mon.a:ceph-mon; do
  f=$D/run/${n%%:*}.pid
  [ -f "$f" ] || continue
  p=$(cat "$f")
  if [ "$(cat /proc/"$p"/comm 2>/dev/null)" = "${n##*:}" ] && kill "$p" 2>/dev/null; then
    for i in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p"
    echo "stopped ${n%%:*} ($p)"
  fi
  rm -f "$f"
done
exit 0
