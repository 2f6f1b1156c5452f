"""Limits on input size, configurable by environment so a deployment can raise them."""

import os

MAX_UPLOAD_BYTES = int(os.environ.get("GONGKAI_MAX_UPLOAD_MB", "50")) * 2**20
