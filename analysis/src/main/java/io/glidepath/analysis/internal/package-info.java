/**
 * Implementation details of the analysis module: the expr-to-CEL rewriter, the CEL environment,
 * argument substitution, the strict template reader, HTTP and JSONPath helpers. Not API: the module
 * has no descriptor (dev.cel splits packages), so nothing enforces this; do not use these classes
 * directly.
 */
package io.glidepath.analysis.internal;
