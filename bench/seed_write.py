#!/usr/bin/env python3
"""The NXLog add-on's s3_write.py write loop, reimplemented faithfully as a baseline: one PutObject per event,
sequential, key SERVER/YYYY-MM-DD/HH.MM.SS-counter (counter per second, unpadded), body = the raw event.
usage: seed_write.py ENDPOINT BUCKET SERVER INPUT_FILE   (credentials from the environment)"""
import sys, time, datetime
import boto3
from botocore.config import Config

endpoint, bucket, server, path = sys.argv[1:5]
client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                      config=Config(s3={"addressing_style": "path"}))
last_second, counter, n = None, 0, 0
t0 = time.time()
with open(path, "rb") as f:
    for line in f:
        raw = line.rstrip(b"\n")
        now = datetime.datetime.utcnow()
        second = now.strftime("%Y-%m-%d/%H.%M.%S")
        counter = counter + 1 if second == last_second else 1
        last_second = second
        key = "%s/%s-%d" % (server, second, counter)
        client.put_object(Body=raw, Bucket=bucket, Key=key)
        n += 1
s = time.time() - t0
print("RESULT objects=%d threads=1 seconds=%.3f per_second=%.1f" % (n, s, n / s))
