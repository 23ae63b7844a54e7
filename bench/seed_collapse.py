#!/usr/bin/env python3
"""The s3collapse script's collapse() reimplemented as a baseline with boto3: list the prefix, GET every key in turn
through a SpooledTemporaryFile (16 MB) into one local file, refusing a gzip/plain mix, check the size, upload the file
with one PutObject, then delete the inputs one by one.
usage: seed_collapse.py ENDPOINT BUCKET IN_PREFIX OUT_KEY LOCAL_FILE   (credentials from the environment)"""
import sys, time, tempfile
import boto3
from botocore.config import Config

endpoint, bucket, in_prefix, out_key, out_file = sys.argv[1:6]
client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      config=Config(s3={"addressing_style": "path"}))
t0 = time.time()
keys = []
for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=in_prefix):
    keys.extend((o["Key"], o["Size"]) for o in page.get("Contents", []))
in_size, was_gzip = 0, None
with open(out_file, "wb") as out:
    for key, size in keys:
        in_size += size
        with tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024) as tmp:
            body = client.get_object(Bucket=bucket, Key=key)["Body"]
            for chunk in iter(lambda: body.read(256 * 1024), b""):
                tmp.write(chunk)
            tmp.seek(0)
            is_gzip = tmp.read(2) == b"\x1f\x8b"
            if was_gzip is None:
                was_gzip = is_gzip
            if is_gzip != was_gzip:
                raise Exception("File %s mixes gzip and plain" % key)
            tmp.seek(0)
            for chunk in iter(lambda: tmp.read(256 * 1024), b""):
                out.write(chunk)
    out_size = out.tell()
if in_size != out_size:
    raise RuntimeError("collapsed size %d != expected %d" % (out_size, in_size))
with open(out_file, "rb") as f:
    client.put_object(Bucket=bucket, Key=out_key, Body=f)
if client.head_object(Bucket=bucket, Key=out_key)["ContentLength"] != out_size:
    raise RuntimeError("uploaded size differs")
for key, _ in keys:
    client.delete_object(Bucket=bucket, Key=key)
s = time.time() - t0
print("RESULT objects=%d bytes=%d seconds=%.3f" % (len(keys), out_size, s))
