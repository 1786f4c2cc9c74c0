/** Implementation of the embedded cluster; not part of the API. */
package io.glidepath.testkit.internal.cluster;
