package io.shardkit.testing;
