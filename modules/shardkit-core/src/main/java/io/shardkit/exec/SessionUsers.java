package io.shardkit.exec;

/** Whether open statements still need a shard's connection, and dropping what they hold on a broken one. */
public interface SessionUsers {
    /** Whether anything open (a statement, a result) still needs the shard's connection. */
    boolean uses(int shard);

    /** The shard's connection broke and was given back: forget what was prepared on it. */
    void forgetShard(int shard);
}
