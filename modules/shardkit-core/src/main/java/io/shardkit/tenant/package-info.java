/**
 * Schema-per-tenant tenancy at the two places shardkit touches a shard: the SQL a tenant's
 * connection sends (checked, and in rewrite mode put in the tenant's schema) and the pooled
 * connection it borrows (switched to the tenant's schema or role, checked and reset on return);
 * also the tenant DDL scripts and schema templates.
 *
 * <p>Internal: applications use {@code io.shardkit.Tenants} and {@code io.shardkit.TenantDataSource}.
 */
package io.shardkit.tenant;
