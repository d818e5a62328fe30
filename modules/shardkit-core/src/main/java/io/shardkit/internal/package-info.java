/**
 * Helpers shared by shardkit's packages that belong to none of them, such as
 * {@link io.shardkit.internal.Closer} (closing many resources, keeping the first error).
 *
 * <p>Internal: not API; may change in any release.
 */
package io.shardkit.internal;
