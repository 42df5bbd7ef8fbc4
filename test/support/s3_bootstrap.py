"""Prepare a fresh moto server for the tests (test/support/s3-server.ts): a bucket and, when the server checks
credentials, an IAM user allowed everything, whose access key is printed as JSON on stdout.

    python s3_bootstrap.py <endpoint> <bucket> <auth: 0|1>
"""
import json
import sys

import boto3

endpoint, bucket, auth = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
session = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
keys = {"AWS_ACCESS_KEY_ID": "test-access-key", "AWS_SECRET_ACCESS_KEY": "test-secret-key"}
if auth:
    # These three calls and the bucket's creation are the ones the server lets through unauthenticated
    # (INITIAL_NO_AUTH_ACTION_COUNT=4); every later request must be signed with the key made here.
    iam = boto3.client("iam", **session)
    iam.create_user(UserName="pam")
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(UserName="pam", PolicyName="all", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="pam")["AccessKey"]
    keys = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}
boto3.client("s3", **session).create_bucket(Bucket=bucket)
print(json.dumps(keys))
