#!/usr/bin/env bash
# A throwaway single-node Ceph 16 (Debian's packages) with radosgw on 127.0.0.1:7480 for the tests (TestS3 with
# -Ds3logs.test.s3-server=rgw, through io.s3logroutes.testing.CephRgw). Adapted from the s3lab script
# start-ceph-rgw.sh: one mon, one memstore OSD (data in memory, lost on stop), cephx off; the user's keys come from
# RGW_ACCESS_KEY and RGW_SECRET_KEY (random per test JVM) and are never printed; one extra storage class,
# STANDARD_IA, which the tests use. Fixed ports (3300, 6789, 7480): one instance per machine.
# Needs: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd
set -euo pipefail
D=${CEPH_DIR:?CEPH_DIR names the state folder}
: "${RGW_ACCESS_KEY:?}" "${RGW_SECRET_KEY:?}"
rm -rf "$D"; mkdir -p "$D"/{run,log,mon.a,osd.0,rgw.a}
FSID=$(cat /proc/sys/kernel/random/uuid)
cat > "$D/ceph.conf" <<C
[global]
fsid = $FSID
mon_host = v2:127.0.0.1:3300/0
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
public_network = 127.0.0.0/8
cluster_network = 127.0.0.0/8
ms_bind_ipv4 = true
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
osd_crush_chooseleaf_type = 0
osd_pool_default_pg_autoscale_mode = off
osd_pool_default_pg_num = 8
mon_max_pg_per_osd = 1000
run_dir = $D/run
log_file = $D/log/\$name.log
admin_socket = $D/run/\$name.asok
pid_file = $D/run/\$name.pid
[mon.a]
mon_data = $D/mon.a
[osd.0]
osd_data = $D/osd.0
osd_objectstore = memstore
memstore_device_bytes = 2147483648
ms_mon_client_mode = crc
ms_client_mode = crc
ms_mon_service_mode = crc
ms_service_mode = crc
[client.rgw.a]
auth_client_required = none
ms_mon_client_mode = crc
keyring = /dev/null
rgw_frontends = beast endpoint=127.0.0.1:7480
rgw_data = $D/rgw.a
rgw_dns_name = localhost
C
export CEPH_CONF=$D/ceph.conf
monmaptool --create --fsid "$FSID" --addv a '[v2:127.0.0.1:3300,v1:127.0.0.1:6789]' "$D/monmap" >/dev/null
ceph-authtool --create-keyring "$D/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-mon -c "$D/ceph.conf" --mkfs -i a --monmap "$D/monmap" --keyring "$D/mon.keyring"
ceph-mon -c "$D/ceph.conf" -i a
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
ceph -c "$D/ceph.conf" osd new "$OSD_UUID" >/dev/null
ceph-osd -c "$D/ceph.conf" -i 0 --mkfs --osd-uuid "$OSD_UUID" 2>>"$D/log/mkfs.log"
ceph-osd -c "$D/ceph.conf" -i 0
up=
for i in $(seq 1 240); do ceph -c "$D/ceph.conf" osd stat 2>/dev/null | grep -q "1 up" && { up=1; break; }; sleep 0.25; done
[ -n "$up" ] || { echo "the OSD did not come up; see $D/log" >&2; exit 1; }
RA="radosgw-admin -c $D/ceph.conf"
$RA user create --uid=test --display-name=test --access-key="$RGW_ACCESS_KEY" --secret-key="$RGW_SECRET_KEY" >/dev/null
$RA zonegroup placement add --rgw-zonegroup default --placement-id default-placement --storage-class STANDARD_IA >/dev/null
$RA zone placement add --rgw-zone default --placement-id default-placement --storage-class STANDARD_IA \
  --data-pool default.rgw.buckets.data >/dev/null
radosgw -c "$D/ceph.conf" -n client.rgw.a
# radosgw runs in the background now; the caller waits for its HTTP answer on 127.0.0.1:7480
