/**
 * The seed's whole GitOps flow as one runnable story ({@link
 * io.glidepath.examples.demo.GitOpsDemo}, {@code glidepath demo}): CI write-back, sync, canary with
 * Prometheus analysis, promotion, automatic rollback with a notification, self-heal and backfill,
 * and its HTML report (package {@code io.glidepath.examples.demo.report}).
 */
package io.glidepath.examples.demo;
