package io.shardkit;
